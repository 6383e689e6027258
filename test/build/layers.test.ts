// The layers are enforced, not only kept: ESLint refuses an import that runs the wrong way, and the
// window's bundle (as Vite built it, read from its source maps) carries no zod and no server code.
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/servers.js';

const ASSETS = path.join(ROOT, 'dist', 'renderer', 'assets');

/** Each built chunk's modules, as paths from the project root (packages as node_modules/<name>/…). */
function chunks(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of fs.readdirSync(ASSETS).filter((n) => n.endsWith('.js.map'))) {
    const map = JSON.parse(fs.readFileSync(path.join(ASSETS, f), 'utf8')) as { sources: string[] };
    out.set(
      f.replace(/\.map$/, ''),
      map.sources.map((s) => path.relative(ROOT, path.resolve(ASSETS, s))),
    );
  }
  return out;
}

describe("the window's bundle", () => {
  const html = fs.readFileSync(path.join(ROOT, 'dist', 'renderer', 'index.html'), 'utf8');
  const loadedAtStart = [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);

  it('what loads at start has no zod, no server code and no host code', () => {
    expect(loadedAtStart.length).toBeGreaterThan(0);
    const all = chunks();
    for (const chunk of loadedAtStart) {
      const modules = all.get(chunk)!;
      expect(modules.length).toBeGreaterThan(10);
      expect(modules.filter((m) => m.includes('node_modules/zod'))).toEqual([]);
      expect(modules.filter((m) => m.startsWith('electron/'))).toEqual([]);
      // The only modules of servers/ it may carry: the catalog's plain limits and field types, which import nothing.
      expect(modules.filter((m) => m.startsWith('servers/')).sort()).toEqual([
        'servers/products/field-types.ts',
        'servers/products/limits.ts',
      ]);
    }
    for (const plain of ['limits.ts', 'field-types.ts'])
      expect(fs.readFileSync(path.join(ROOT, 'servers', 'products', plain), 'utf8')).not.toMatch(/^import /m);
  });

  it('zod comes only with the MCP Apps view host, a chunk loaded when a view is shown', () => {
    const withZod = [...chunks()].filter(([, modules]) => modules.some((m) => m.includes('node_modules/zod'))).map(([name]) => name);
    expect(withZod).toEqual([expect.stringMatching(/^ViewFrame-/)]);
    expect(loadedAtStart).not.toContain(withZod[0]);
  });
});

describe('import rules (eslint.config.js)', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const problems = async (file: string, code: string) =>
    (await eslint.lintText(code, { filePath: path.join(ROOT, file) }))[0]!.messages
      .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
      .map((m) => m.message);

  it.each([
    ['renderer/src/x.ts', "import { methodSchemas } from '../../electron/core/contract';\nexport const x = methodSchemas;\n"],
    ['renderer/src/x.ts', "import * as z from 'zod';\nexport const x = z;\n"],
    ['renderer/src/x.ts', "import { SERVERS } from '../../servers/registry';\nexport const x = SERVERS;\n"],
    ['servers/shared/x.ts', "import { HostError } from '../../electron/core/errors.js';\nexport const x = HostError;\n"],
    ['views/shared/x.ts', "import { LIMITS } from '../../servers/products/limits.js';\nexport const x = LIMITS;\n"],
    ['servers/products/postgres/x.ts', "import { SqliteEngine } from '../sqlite/engine.js';\nexport const x = SqliteEngine;\n"],
    ['servers/products/postgres/x.ts', "import { nowIso } from '../../shared/db.js';\nexport const x = nowIso;\n"],
    ['servers/products/sqlite/x.ts', "import { PgEngine } from '../postgres/engine.js';\nexport const x = PgEngine;\n"],
    ['servers/products/domain/x.ts', "import { immediate } from '../../shared/db.js';\nexport const x = immediate;\n"],
    ['electron/preload/x.ts', "import type { IpcDeps } from '../main/ipc.js';\nexport type X = IpcDeps;\n"],
    ['electron/preload/x.ts', "import { methodSchemas } from '../core/contract.js';\nexport const x = methodSchemas;\n"],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await problems(file, code)).toHaveLength(1);
  });

  it.each([
    ['renderer/src/x.ts', "import type { HostState } from '../../electron/core/contract';\nexport type X = HostState;\n"],
    ['renderer/src/x.ts', "import { LIMITS } from '../../servers/products/limits';\nexport const x = LIMITS;\n"],
    [
      'electron/preload/x.ts',
      "import { METHOD_NAMES } from '../core/methods.js';\nimport type { HostApi } from '../core/contract.js';\nexport const x: [typeof METHOD_NAMES, HostApi?] = [METHOD_NAMES];\n",
    ],
    ['servers/products/postgres/x.ts', "import { nowIso } from '../../shared/time.js';\nexport const x = nowIso;\n"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});

it("the catalog view's low-stock line is the window's (a view may not import it)", async () => {
  const { LOW_STOCK_BELOW } = await import('../../servers/products/limits.js');
  expect(fs.readFileSync(path.join(ROOT, 'views', 'catalog', 'main.ts'), 'utf8')).toContain(`const LOW_STOCK_BELOW = ${LOW_STOCK_BELOW};`);
});
