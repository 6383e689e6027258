import { afterAll } from 'vitest';
import { stopTestPostgres } from './helpers/engines.js';
import { removeTempDirs } from './helpers/servers.js';

// Runs after the file's own afterAll hooks (which stop its servers): some folders hold 100,000-product catalogs.
afterAll(async () => {
  await stopTestPostgres();
  removeTempDirs();
});
