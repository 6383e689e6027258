// A benchmark's TypeScript entry (bench/*-entry.ts: the app's own modules), bundled for plain Node.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Bundles a TypeScript entry of the app's for plain Node (its packages left to node_modules); returns the file. */
export async function bundleForNode(root, entry, name) {
  // Under node_modules/.cache: its packages resolve from there, and it is not one of the app's bundles in dist/.
  const out = path.join(root, 'node_modules', '.cache', 'mcp-tray-bench', `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return out;
}

export async function loadEntry(root, name) {
  return import(pathToFileURL(await bundleForNode(root, path.join(root, 'bench', `${name}.ts`), name)).href);
}
