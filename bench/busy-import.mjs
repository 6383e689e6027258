// A 100k import into a 100k catalog (preview + commit, the backup first), alone and while an AI app
// writes every 100 ms from processes of its own (test/fixtures/ai-writer.mjs: a client and the built
// products server it starts, over stdio, as Claude runs it). Runs alternate, fresh catalogs each time;
// the medians and their ratio are reported, with every write's answer time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadEntry } from './bundle.mjs';
import { csvOf, timedImport } from './import.mjs';

const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startWriter(root, dir, intervalMs) {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'test', 'fixtures', 'ai-writer.mjs'),
      path.join(root, 'dist', 'servers', 'products.cjs'),
      dir,
      String(intervalMs),
      '1',
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      if (err.includes('writing\n')) resolve();
    });
    exited.then((code) => reject(new Error(`the AI writer exited (${code}): ${err}`)));
  });
  return async () => {
    child.stdin.end();
    const code = await exited;
    if (code !== 0) throw new Error(`the AI writer failed (${code}): ${err}`);
    return JSON.parse(out);
  };
}

export async function run({ root, tmp }) {
  console.log('\n## A 100k import into a 100k catalog, alone and with an AI app writing every 100 ms from its own process');
  const mod = await loadEntry(root, 'import-entry');
  const seed = csvOf(100_000);
  // Different SKUs: the timed import adds 100k products to the 100k already there.
  const more = csvOf(100_000).replace(/IMP-/g, 'MORE-');
  const RUNS = 3;
  const alone = [];
  const busy = [];
  const waits = [];
  let failed = 0;
  for (let k = 0; k < RUNS; k++) {
    for (const withWriter of [false, true]) {
      const dir = path.join(tmp, `busy-import-${k}-${withWriter ? 'writer' : 'alone'}`);
      fs.mkdirSync(dir, { recursive: true });
      await timedImport(mod, dir, seed);
      const stop = withWriter ? await startWriter(root, dir, 100) : null;
      let r;
      try {
        r = await timedImport(mod, dir, more);
      } finally {
        if (stop) {
          const report = await stop();
          waits.push(...report.waits);
          failed += report.failed;
          if (report.failed) console.log(`  the AI app's failed writes: ${report.errors.join(' | ')}`);
        }
      }
      if (r.result.added !== 100_000) throw new Error(`busy import: ${JSON.stringify(r.result)}`);
      (withWriter ? busy : alone).push(r.totalMs);
    }
  }
  const ratio = median(busy) / median(alone);
  const maxWait = Math.max(...waits);
  console.log(
    `alone ${ms(median(alone))} (${alone.map(ms).join(', ')})   with the AI app writing ${ms(median(busy))} (${busy.map(ms).join(', ')})   ratio ${ratio.toFixed(2)}×   (target ≤ 1.5×)`,
  );
  console.log(
    `the AI app's writes meanwhile: ${waits.length}, ${failed} failed, answer time max ${ms(maxWait)}, median ${ms(median(waits))}   (target: every one ≤ 2 s, none failed)`,
  );
  return { aloneMs: median(alone), busyMs: median(busy), ratio, writes: waits.length, failed, maxWaitMs: maxWait };
}
