/** The Claude area's handlers (api/claude.ts has its methods' schemas and results). */
import { SEED_PRODUCTS, isSampleCatalog } from '../../../servers/products/samples.js';
import fs from 'node:fs';
import path from 'node:path';
import { friendlyClientName } from '../../../servers/shared/clients.js';
import { StoreError } from '../../../servers/shared/errors.js';
import { runChecks } from '../doctor.js';
import { HostError } from '../errors.js';
import type { HostParts } from '../parts.js';
import { catalogLocation } from '../services/catalog-location.js';
import { setupStatus } from '../setup.js';
import { SERVER_NAMES, type AreaHandlers } from '../api/common.js';
import { type schemas, type Results, type SetupStatus } from '../api/claude.js';

/** Home's checklist, from real signals: Claude's config, the activity our servers record, Claude's own logs. */
async function setup(p: HostParts): Promise<SetupStatus> {
  const claude = p.connectors().status('claude-desktop');
  const claudeLogs = p.claude().logReport();
  const activity = p.activity().reader;
  const isClaude = (name: string | null) => friendlyClientName(name ?? undefined) === 'Claude Desktop';
  const live = [
    ...new Set(
      activity
        .liveConnections()
        .filter((c) => isClaude(c.clientName))
        .map((c) => c.server),
    ),
  ];
  const call = activity.recentCalls(200).find((c) => isClaude(c.clientName));
  const cities = p.weather().list();
  const tools = p.toolSwitches();
  return setupStatus({
    servers: p.statuses(),
    claude,
    claudeLogs,
    writtenAt: p.connectors().writtenAt('claude-desktop'),
    liveServers: live,
    lastCall: call ? { server: call.server, tool: call.tool, at: call.at } : null,
    ...(await catalogSize(p)),
    cities: { count: cities.length, firstName: cities[0]?.name ?? null },
    install: p.claude().install(),
    toolOn: (server, tool) => tools[server].find((t) => t.name === tool)?.on ?? false,
    toolsOff: SERVER_NAMES.flatMap((n) => tools[n].filter((t) => !t.on).map((t) => `${n}.${t.name}`)),
    repaired: p.claude().repaired(claudeLogs),
    platform: p.platform.platform,
    now: Date.now(),
  });
}

/** How many products there are, or (a shared database that is away) why that cannot be said now. */
async function catalogSize(p: HostParts): Promise<{ products: number; samples: boolean; catalogProblem: string | null }> {
  try {
    const catalog = await p.catalog();
    const { rows, total } = await catalog.list({ offset: 0, limit: SEED_PRODUCTS.length + 1, sort: 'id' });
    return { products: total, samples: isSampleCatalog(rows), catalogProblem: null };
  } catch (err) {
    if (err instanceof StoreError && err.code === 'unavailable') return { products: 0, samples: false, catalogProblem: err.message };
    throw err;
  }
}

export function handlers(p: HostParts): AreaHandlers<typeof schemas, Results> {
  return {
    getSetup: async () => setup(p),
    getClaudeLogs: async () => p.claude().logReport(),
    runChecks: async ({ startServers }) => {
      const catalog = await p.catalog();
      const shared =
        catalog.store.engine === 'postgres'
          ? (() => {
              const { where, searchIndexed } = catalogLocation({ files: p.files, settings: p.settings, catalog });
              return { where, searchIndexed: searchIndexed !== false, probe: () => catalog.store.count() };
            })()
          : undefined;
      return runChecks({
        dataDir: p.dataDir,
        settings: p.settings.get(),
        databases: [
          ...(catalog.db ? [{ file: p.files.products, db: catalog.db }] : []),
          { file: p.files.weather, db: p.weather().db },
          { file: p.files.activity, db: p.activity().db },
        ],
        sharedCatalog: shared,
        clients: p.connectors().list(),
        claudeLogs: p.claude().logReport(),
        install: p.claude().install(),
        entryFor: (server) => p.connectors().launchFor(server),
        startServers,
        tools: p.toolSwitches(),
        routes: p.claude().routes(),
      });
    },
    getExtensions: async () => p.claude().extensions(),
    buildExtensions: async ({ outDir, release }) => {
      const dir = outDir ? path.resolve(outDir) : p.claude().extensionsDir();
      const built = await p.claude().buildBundles(undefined, dir, release);
      return { dir, files: built.map((b) => ({ server: b.server, file: b.file, bytes: b.bytes })) };
    },
    installExtension: async ({ server }) => {
      // Built fresh each time: it carries this install's paths, which may have moved since.
      const [built] = await p.claude().buildBundles([server]);
      const file = built!.file;
      if (!p.runtime.openPath)
        return { opened: false, file, message: `Built ${path.basename(file)}: open it to install it in Claude Desktop.` };
      const error = await p.runtime.openPath(file);
      if (error)
        throw new HostError(
          `Could not open ${path.basename(file)} (${error}). Double-click it in ${path.dirname(file)} instead.`,
          'internal',
        );
      return { opened: true, file, message: `${path.basename(file)} went to Claude Desktop: click Install in the window Claude opens.` };
    },
    getExtensionFile: async ({ server }) => {
      const [built] = await p.claude().buildBundles([server]);
      return { name: path.basename(built!.file), base64: fs.readFileSync(built!.file).toString('base64') };
    },
  };
}
