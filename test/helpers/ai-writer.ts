import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, serverScript } from './servers.js';

export interface WriterReport {
  writes: number;
  failed: number;
  errors: string[];
  /** Each call's answer time, ms. */
  waits: number[];
}

/**
 * An AI app writing to the catalog from processes of its own (test/fixtures/ai-writer.mjs: a client
 * process and the products server it starts, as Claude runs it): update_stock on one product every
 * `intervalMs`. Resolves once it is writing; stop() ends it and gives its report.
 */
export async function startAiWriter(dataDir: string, intervalMs: number, productId = 1) {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'test', 'fixtures', 'ai-writer.mjs'), serverScript('products'), dataDir, String(intervalMs), String(productId)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      err += d.toString();
      if (err.includes('writing\n')) resolve();
    };
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`The AI writer exited (${code}) before writing: ${err}`)));
  });
  return {
    pid: child.pid!,
    async stop(): Promise<WriterReport> {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`The AI writer failed (exit ${code}): ${err}`);
      return JSON.parse(out) as WriterReport;
    },
  };
}
