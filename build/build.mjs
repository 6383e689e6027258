// Bundles each program into one file: fewer files to resolve and parse is most of a fast cold start.
// better-sqlite3 stays external (a native module), electron is provided by the runtime.
import { build } from 'esbuild';
import { PROVIDED, RUNTIME_EXTERNALS } from './externals.mjs';
import { buildViews } from './views.mjs';
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
  // Prefer packages' ESM builds: some UMD builds (jsonc-parser) require() files esbuild cannot see.
  mainFields: ['module', 'main'],
  // Loaded from node_modules at run time (the app's only runtime dependencies) or given by Electron.
  external: [...RUNTIME_EXTERNALS.filter((m) => m !== 'electron-updater'), ...PROVIDED],
  // pg's optional native binding, never used (pure JavaScript driver): a stub instead of a run-time require.
  alias: { 'pg-native': path.join(root, 'build', 'stubs', 'pg-native.cjs') },
  // Bundled CommonJS dependencies call require(); give ESM output a real one.
  banner: {
    js: [
      "import { createRequire as __cr } from 'node:module';",
      "import { fileURLToPath as __fu } from 'node:url';",
      "import { dirname as __dn } from 'node:path';",
      'const require = __cr(import.meta.url);',
      'const __filename = __fu(import.meta.url);',
      'const __dirname = __dn(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
};

// Every servers/<name>/main.ts is a server (servers/registry.ts says what each one is).
const SERVERS = fs.readdirSync(path.join(root, 'servers')).filter((d) => fs.existsSync(path.join(root, 'servers', d, 'main.ts')));

await Promise.all([
  // The MCP Apps views the servers serve (ui:// resources), one self-contained HTML file each.
  buildViews(path.join(out, 'views')),
  // Servers are CommonJS so the launcher can start them with a V8 code cache (see servers/launcher.cjs).
  ...SERVERS.map((name) =>
    build({
      ...common,
      format: 'cjs',
      banner: undefined,
      entryPoints: [path.join(root, 'servers', name, 'main.ts')],
      outfile: path.join(out, 'servers', `${name}.bundle.cjs`),
    }),
  ),
  build({ ...common, entryPoints: [path.join(root, 'electron/core/cli.ts')], outfile: path.join(out, 'cli.mjs') }),
  // Reads Excel workbooks off the host's thread (electron/core/services/xlsx.ts, readProductXlsx).
  build({
    ...common,
    entryPoints: [path.join(root, 'electron/core/services/xlsx-worker.ts')],
    outfile: path.join(out, 'workers', 'xlsx.mjs'),
  }),
  // The entry point of the Claude extensions (.mcpb): runs on whatever Node Claude ships, builtins only.
  build({
    ...common,
    format: 'cjs',
    banner: undefined,
    target: 'node16',
    sourcemap: false,
    external: [],
    entryPoints: [path.join(root, 'electron/core/extensions/launcher.ts')],
    outfile: path.join(out, 'extension', 'launch.cjs'),
  }),
  // The desktop shell: main process and the sandboxed preload, both CommonJS (what Electron loads).
  build({
    ...common,
    format: 'cjs',
    banner: undefined,
    // electron-updater is loaded only in a packaged app, from node_modules.
    external: [...common.external, 'electron-updater'],
    entryPoints: [path.join(root, 'electron/main/index.ts')],
    outfile: path.join(out, 'electron', 'main.cjs'),
  }),
  build({
    ...common,
    format: 'cjs',
    banner: undefined,
    platform: 'browser',
    external: ['electron'],
    entryPoints: [path.join(root, 'electron/preload/preload.ts')],
    outfile: path.join(out, 'electron', 'preload.cjs'),
  }),
]);
// The UI: Vite builds renderer/ into dist/renderer (served by the headless shell, loaded by Electron).
if (!process.argv.includes('--no-renderer')) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}
fs.copyFileSync(path.join(root, 'build', 'icons', '512x512.png'), path.join(out, 'extension', 'icon.png'));
for (const name of SERVERS) fs.copyFileSync(path.join(root, 'servers', 'launcher.cjs'), path.join(out, 'servers', `${name}.cjs`));
