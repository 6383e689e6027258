import { app } from 'electron';
import { main } from './main.js';

main().catch((err: Error) => {
  process.stderr.write(`mcp-tray: could not start: ${err.stack ?? err.message}\n`);
  app.exit(1);
});
