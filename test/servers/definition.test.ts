// Each server is described once (servers/<name>/definition.ts): the host's switches, Home, the
// .mcpb builder and the settings read the definition, never a running server. These tests hold the
// definition to what the real server, started as Claude starts it, says over MCP.
import { describe, expect, it } from 'vitest';
import { SERVERS, SERVER_NAMES } from '../../servers/registry.js';
import { SettingsSchema } from '../../servers/shared/settings-schema.js';
import { connect, tempDir } from '../helpers/servers.js';

describe.each(SERVER_NAMES)('the %s server is what its definition says', (name) => {
  const def = SERVERS[name];

  it('lists exactly the tools of its definition, in order, with their titles, descriptions and annotations', async () => {
    const c = await connect(name, tempDir());
    try {
      const { tools } = await c.client.listTools();
      expect(tools.map((t) => ({ name: t.name, title: t.title, description: t.description, annotations: t.annotations }))).toEqual(
        Object.entries(def.tools).map(([tool, f]) => ({
          name: tool,
          title: f.title,
          description: f.description,
          annotations: { ...f.annotations, title: f.title },
        })),
      );
      const { prompts } = await c.client.listPrompts();
      expect(
        prompts.map((p) => ({
          name: p.name,
          title: p.title,
          description: p.description,
          arguments: (p.arguments ?? []).map((a) => a.name),
        })),
      ).toEqual(Object.entries(def.prompts).map(([prompt, f]) => ({ name: prompt, ...f, arguments: [...f.arguments] })));
    } finally {
      await c.close();
    }
  });

  it('has its settings (enabled, switched-off tools, its own switches with their defaults) derived from the definition', () => {
    const servers = SettingsSchema.parse({}).servers as Record<string, Record<string, unknown>>;
    expect(servers[name]).toEqual({
      enabled: true,
      disabledTools: [],
      ...Object.fromEntries(Object.entries(def.switches).map(([k, sw]) => [k, sw.default])),
    });
  });

  it('suggests requests only for tools it has', () => {
    for (const e of def.examples) expect(Object.keys(def.tools)).toContain(e.tool);
  });
});
