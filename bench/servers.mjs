// The built products server, started as a client starts it (stdio), for the benchmarks.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';

/** The products server on a data folder, with the SDK client connected over stdio. */
export async function startProducts({ root, tmp, dir, env = {} }) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(root, 'dist', 'servers', 'products.cjs'), '--data-dir', dir],
    env: { ...getDefaultEnvironment(), MCP_TRAY_CACHE_DIR: path.join(tmp, 'v8'), ...env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  return { transport, client };
}
