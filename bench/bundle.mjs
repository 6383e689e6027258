// A benchmark's TypeScript entry (bench/*-entry.ts: the app's own modules), bundled for plain Node.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export async function loadEntry(root, name) {
  // Under node_modules/.cache: its packages resolve from there, and it is not one of the app's bundles in dist/.
  const out = path.join(root, 'node_modules', '.cache', 'mcp-tray-bench', `${name}.mjs`);
  await build({
    entryPoints: [path.join(root, 'bench', `${name}.ts`)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return import(pathToFileURL(out).href);
}
