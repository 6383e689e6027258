// Issue 14, item 1: the renderer's types hold no Node. The contract it imports depends on schemas
// only, so a `process` or `Buffer` slipped into renderer code fails the renderer's typecheck.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/servers.js';

it('the renderer typecheck rejects Node globals, with all of the renderer and the contract in the program', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'probe.ts'), "export const pid: number = process.pid;\nexport const bytes = Buffer.from('x');\n");
  const config = path.join(dir, 'tsconfig.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(ROOT, 'renderer', 'tsconfig.json'),
      include: [path.join(ROOT, 'renderer', 'src'), path.join(dir, 'probe.ts')],
    }),
  );
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = await promisify(execFile)(process.execPath, [tsc, '-p', config, '--noEmit', '--listFilesOnly']);
  // The contract is in the program (so whatever it imports is too)…
  expect(r.stdout).toMatch(/electron\/core\/contract\.ts/);
  expect(r.stdout).not.toMatch(/@types\/node\//);
  // …and Node's globals are not.
  const check = await promisify(execFile)(process.execPath, [tsc, '-p', config, '--noEmit']).then(
    () => '',
    (e: { stdout: string }) => e.stdout,
  );
  expect(check).toMatch(/probe\.ts\(1,\d+\): error TS\d+: Cannot find name 'process'/);
  expect(check).toMatch(/probe\.ts\(2,\d+\): error TS\d+: Cannot find name 'Buffer'/);
  expect(check.split('\n').filter((l) => l.includes('error TS') && !l.includes('probe.ts'))).toEqual([]);
});
