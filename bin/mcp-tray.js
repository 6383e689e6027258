#!/usr/bin/env node
// The mcp-tray command. `mcp-tray server <name>` goes straight to the server bundle: client
// configs start servers this way, and nothing else should be loaded before the server answers.
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const [command, name, ...rest] = process.argv.slice(2);

function need(file) {
  if (!fs.existsSync(file)) {
    process.stderr.write(`mcp-tray: ${path.relative(process.cwd(), file)} is missing; run "npm run build" first\n`);
    process.exit(1);
  }
  return pathToFileURL(file).href;
}

// Every built server is dist/servers/<name>.cjs (see build/build.mjs).
if (command === 'server' && /^[a-z]+$/.test(name ?? '') && fs.existsSync(path.join(dist, 'servers', `${name}.cjs`))) {
  process.argv = [process.argv[0], process.argv[1], ...rest];
  createRequire(import.meta.url)(fileURLToPath(need(path.join(dist, 'servers', `${name}.cjs`))));
} else {
  const { main } = await import(need(path.join(dist, 'cli.mjs')));
  process.exitCode = await main(process.argv.slice(2));
}
