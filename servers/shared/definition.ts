/**
 * What a server is, described once (servers/<name>/definition.ts, listed in servers/registry.ts):
 * its names and words for people and for Claude's extension directory, its tools' and prompts'
 * static facts, the requests Home suggests and its settings (how it opens its data: server-data.ts). Everything
 * that needs a fact about a server reads it here: the tool modules, the host's switches, Home, the
 * supervisor, the .mcpb builder, the settings schema and the UI contract.
 */
/** A tool's facts: what the tool module registers and what everything else shows without running it. */
export interface ToolFacts {
  title: string;
  description: string;
  annotations: { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
}

export interface PromptFacts {
  title: string;
  description: string;
  /** Its arguments' names (the prompt module gives their schemas). */
  arguments: readonly string[];
}

/** A tool as the person's switches see it. */
export interface ToolSwitchInfo {
  name: string;
  title: string;
  description: string;
  readOnly: boolean;
}

/** A request Home suggests pasting into Claude, shown while the tool it needs is on. */
export interface Example {
  tool: string;
  text: (data: { firstCity: string | null }) => string;
}

/** An on/off setting of a server besides "enabled" and the per-tool switches. */
export interface ServerSwitch {
  default: boolean;
  /** How the window names it ("Allow AI to change the catalog"). */
  label: string;
  /** When off, every tool that changes data is off too. */
  gatesWrites?: boolean;
}

export interface ServerDefinition {
  /** The name in URLs, settings and config entries (mcp-tray-<name>). */
  name: string;
  /** How people see it: "Products". */
  title: string;
  /** One sentence for Claude's extension directory. */
  description: string;
  /** A paragraph (Markdown) for the extension's page. */
  longDescription: string;
  keywords: readonly string[];
  /** Every tool, in the order the server lists them. */
  tools: Readonly<Record<string, ToolFacts>>;
  prompts: Readonly<Record<string, PromptFacts>>;
  examples: readonly Example[];
  switches: Readonly<Record<string, ServerSwitch>>;
}

/** A tool's facts with its name, as the tool module registers it: `kit.add({ ...tool(products, 'query_products'), … })`. */
export function toolFacts<D extends ServerDefinition>(def: D, name: keyof D['tools'] & string): ToolFacts & { name: string } {
  return { name, ...def.tools[name]! };
}

/** A prompt's title and description, as the prompt module registers it. */
export function promptFacts<D extends ServerDefinition>(def: D, name: keyof D['prompts'] & string): { title: string; description: string } {
  const { title, description } = def.prompts[name]!;
  return { title, description };
}

/** Every tool of a definition as the switches see it. */
export function toolSwitchInfo(def: ServerDefinition): ToolSwitchInfo[] {
  return Object.entries(def.tools).map(([name, t]) => ({
    name,
    title: t.title,
    description: t.description,
    readOnly: t.annotations.readOnlyHint,
  }));
}

/**
 * How long 2026-07-28 clients may keep lists (ServerOptions.cacheHints): the prompts and the
 * resource templates never change while a server runs, so an hour; the tools (switches, the
 * catalog's own fields) and the resources (categories, cities) change any time, so the SDK's
 * default of not at all. Per person's data: never shared caches.
 */
export const CACHE_HINTS = {
  'prompts/list': { ttlMs: 3_600_000, cacheScope: 'private' },
  'resources/templates/list': { ttlMs: 3_600_000, cacheScope: 'private' },
} as const;
