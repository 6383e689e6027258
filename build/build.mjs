// Bundles each program into one file: fewer files to resolve and parse is most of a fast cold start.
// better-sqlite3 stays external (a native module), electron is provided by the runtime.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  external: ['better-sqlite3', 'electron'],
  // Bundled CommonJS dependencies call require(); give ESM output a real one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
};

const entries = [
  { in: 'servers/products/main.ts', out: 'servers/products.mjs' },
  { in: 'servers/weather/main.ts', out: 'servers/weather.mjs' },
  ...(fs.existsSync(path.join(root, 'electron/core/cli.ts')) ? [{ in: 'electron/core/cli.ts', out: 'cli.mjs' }] : []),
];

await Promise.all(
  entries.map((e) =>
    build({ ...common, entryPoints: [path.join(root, e.in)], outfile: path.join(out, e.out) }),
  ),
);
