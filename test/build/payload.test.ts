// Issue 15: the installer carries only what runs. Computed without Electron (build/payload.mjs):
// the files electron-builder.yml packs from the app folder and the production dependency tree.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/servers.js';
// @ts-expect-error -- plain ESM build helpers, no types
import { payload } from '../../build/payload.mjs';
// @ts-expect-error -- plain ESM build helpers, no types
import { PROVIDED, RUNTIME_EXTERNALS } from '../../build/externals.mjs';

const MB = 1024 * 1024;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);

function files(dir: string, match: RegExp, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files(p, match, out);
    else if (match.test(e.name)) out.push(p);
  }
  return out;
}

describe('what the installer carries', () => {
  const p = payload(ROOT) as { files: string[]; packages: string[]; bytes: number; appBytes: number; moduleBytes: number };
  const packed = new Set(p.packages.map((dir) => dir.replace(/^.*node_modules\//, '')));

  it('runtime dependencies are exactly what the bundles leave out', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...(RUNTIME_EXTERNALS as string[])].sort());
  });

  it('every module the built bundles load at run time is packed (or given by Electron)', () => {
    const bundles = files(path.join(ROOT, 'dist'), /\.(cjs|mjs)$/).filter((f) => !f.includes(`${path.sep}renderer${path.sep}`));
    const loaded = new Set<string>();
    for (const file of bundles) {
      const code = fs.readFileSync(file, 'utf8');
      // (Not inside a string: ajv's code generator carries `require("ajv/…")` as text, and a message
      // such as "runs from" followed by a quote is no import: specifiers hold no spaces, commas or `${`.)
      for (const m of code.matchAll(/(?<![`'"\w])(?:require\(|from ?|import\()\s*["']([^"'./\s,:`${}][^"'\s,`${}]*)["']/g)) {
        if (!isBuiltin(m[1]!)) loaded.add(packageOf(m[1]!));
      }
    }
    expect([...loaded].sort()).toEqual(expect.arrayContaining(['better-sqlite3']));
    for (const name of loaded) {
      expect({ name, packedOrProvided: packed.has(name) || (PROVIDED as string[]).includes(name) }).toEqual({
        name,
        packedOrProvided: true,
      });
    }
  });

  it('nothing the bundles inline is packed again', () => {
    const inlined = new Set<string>();
    for (const dir of ['servers', 'electron', 'renderer/src']) {
      for (const file of files(path.join(ROOT, dir), /\.(ts|tsx)$/)) {
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/^import (?!type )[^'"]*from '([^'.][^']*)'/gm)) {
          const name = packageOf(m[1]!);
          if (!isBuiltin(m[1]!) && !(RUNTIME_EXTERNALS as string[]).includes(name) && !(PROVIDED as string[]).includes(name))
            inlined.add(name);
        }
      }
    }
    expect([...inlined]).toEqual(
      expect.arrayContaining(['react', 'zod', '@modelcontextprotocol/server', '@modelcontextprotocol/client', 'ag-grid-community']),
    );
    expect([...inlined].filter((name) => packed.has(name))).toEqual([]);
  });

  it('better-sqlite3 brings its JS and compiled module, not its sources or build intermediates', () => {
    const ours = p.files.filter((f) => f.startsWith('node_modules/better-sqlite3/'));
    expect(ours).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(ours).toContain('node_modules/better-sqlite3/lib/index.js');
    expect(ours.filter((f) => /\/(deps|src)\/|\/obj(\.target)?\/|\.(a|o|mk|gypi)$/.test(f))).toEqual([]);
  });

  it(`stays within the budget: at most 25 MB besides Electron itself`, () => {
    expect(p.files).toContain('dist/electron/main.cjs');
    expect(p.files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(p.bytes).toBeLessThanOrEqual(25 * MB);
  });
});
