import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn real server processes; two cores here, so keep files from starving each other.
    maxWorkers: 2,
    env: { MCP_TRAY_CACHE_DIR: '' },
    reporters: ['default', './test/summary-reporter.ts'],
    setupFiles: ['./test/setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ['test/**/*.serial.test.ts'], sequence: { groupOrder: 0 } },
      },
      // Race tests: alone, after everything else, one file at a time.
      {
        extends: true,
        test: { name: 'serial', include: ['test/**/*.serial.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
