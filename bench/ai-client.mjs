// An AI client (the SDK's, over stdio, to the built products server) on its own thread: the import
// benchmark writes and tidies on the main thread, synchronously, and a client there would only read
// its answers between those steps. Here it times what Claude, in its own process, would see.
//
// Messages in: { run: 'writes' | 'searches' }, then { stop: true } to end the run; { close: true }.
// Messages out: 'ready' once connected; { waits, failed } when a run stops.
import { parentPort, workerData } from 'node:worker_threads';
import { startProducts } from './servers.mjs';

const { client } = await startProducts(workerData);
let stopped = false;
parentPort.on('message', async (m) => {
  if (m.stop) stopped = true;
  if (m.close) {
    await client.close();
    parentPort.close();
  }
  if (!m.run) return;
  stopped = false;
  const waits = [];
  let failed = 0;
  for (let i = 0; !stopped; i++) {
    const call =
      m.run === 'writes'
        ? { name: 'add_product', arguments: { name: `AI write ${i}`, price: 1, category: 'AI' } }
        : { name: 'query_products', arguments: { search: ['steel', 'oak', 'imported 4711'][i % 3], limit: 20 } };
    const t = performance.now();
    const res = await client.callTool(call);
    waits.push(performance.now() - t);
    if (res.isError) failed++;
    // Claude writes now and then (one every 25 ms); it searches as fast as answers come.
    if (m.run === 'writes') await new Promise((resolve) => setTimeout(resolve, 25));
  }
  parentPort.postMessage({ waits, failed });
});
parentPort.postMessage('ready');
