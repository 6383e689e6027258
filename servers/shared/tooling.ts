import {
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type InputRequiredResult,
  type ToolAnnotations,
} from '@modelcontextprotocol/server';
import type { McpServer, RegisteredTool, ServerContext } from '@modelcontextprotocol/server';
import type * as z from 'zod';
import { formatZodError } from './settings-schema.js';
import { StoreError, busyError } from './errors.js';

/**
 * A tool's link to its MCP Apps view, in the current and the older form, as ext-apps'
 * registerAppTool writes it (test/servers/views.test.ts compares the two). The helper itself is not
 * called: bundled into our CommonJS servers, ext-apps' copy of zod initialises out of order.
 */
export const appToolMeta = (resourceUri: string) => ({ ui: { resourceUri }, 'ui/resourceUri': resourceUri });

/** A failure the model can act on: returned as a result with isError: true, never as a protocol error. */
export { StoreError as ToolError };

export interface ToolReturn {
  /** Machine-readable result, validated against the tool's output schema and sent as structuredContent. */
  structured?: Record<string, unknown>;
  /** What the model reads. Defaults to the structured result as JSON. */
  text?: string;
  /** A 2026-07-28 multi-round-trip: the client answers these (a question for the person) and calls again. */
  inputRequired?: InputRequiredResult;
}

export interface ToolSpec<I extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** Use z.strictObject so unknown fields are reported instead of silently dropped. */
  input: I;
  output?: z.ZodObject;
  annotations: ToolAnnotations;
  /** An MCP Apps view (ui:// resource) that shows this tool's result in clients that render views. */
  ui?: string;
  /** `extra` carries the request's abort signal and progress token. */
  run: (args: z.output<I>, extra: ToolExtra) => ToolReturn | Promise<ToolReturn>;
}

/** The request's context: its abort signal, and (on 2026-07-28 requests) the envelope naming the client. */
export type ToolExtra = ServerContext;

/** After each tool call; `ctx` is the request's (on 2026-07-28 requests its envelope names the client). */
export type CallObserver = (tool: string, startedAt: Date, durationMs: number, error?: string, ctx?: ServerContext) => void;

/**
 * Registers tools on an McpServer (so listing, enable/disable and list_changed come from the SDK)
 * but answers tools/call itself, because the protocol wants different failures kept apart:
 * - an unknown or disabled tool is a JSON-RPC error (-32602), as the spec says;
 * - bad arguments and failed operations are results with isError: true, so the model can fix its call.
 */
export class ToolKit {
  private readonly tools = new Map<string, { spec: ToolSpec; registered: RegisteredTool; offBecause?: string }>();
  private installed = false;

  constructor(
    private readonly server: McpServer,
    private readonly observe: CallObserver = () => {},
  ) {}

  add<I extends z.ZodObject>(spec: ToolSpec<I>): RegisteredTool {
    const config = {
      title: spec.title,
      description: spec.description,
      inputSchema: spec.input,
      ...(spec.output ? { outputSchema: spec.output } : {}),
      annotations: { title: spec.title, ...spec.annotations },
    };
    // Never called: tools/call is answered by handle() below.
    const never = (() => ({ content: [] })) as never;
    const registered = this.server.registerTool(spec.name, spec.ui ? { ...config, _meta: appToolMeta(spec.ui) } : config, never);
    this.tools.set(spec.name, { spec: spec as unknown as ToolSpec, registered });
    if (!this.installed) {
      // The SDK installs its own tools/call handler on the first registration; ours replaces it, once.
      this.server.server.setRequestHandler('tools/call', (request, ctx) => this.handle(request.params.name, request.params.arguments, ctx));
      this.installed = true;
    }
    return registered;
  }

  /**
   * Lists each tool or not, as `on` decides (the person's switches in MCP Tray). Each change sends
   * notifications/tools/list_changed when connected, so clients drop or regain the tool at once.
   */
  /**
   * Gives tools new schemas (the catalog's fields changed): what they accept and return from now
   * on; connected clients are sent one tools/list_changed.
   */
  reshape(shapes: Record<string, { input: z.ZodObject | z.ZodType; output?: z.ZodObject }>): void {
    for (const [name, shape] of Object.entries(shapes)) {
      const entry = this.tools.get(name);
      if (!entry) continue;
      entry.spec = { ...entry.spec, input: shape.input as z.ZodObject, ...(shape.output ? { output: shape.output } : {}) };
      // The SDK lists a tool from these (its update() would announce each tool on its own).
      entry.registered.inputSchema = shape.input as z.ZodObject;
      if (shape.output) entry.registered.outputSchema = shape.output;
    }
    if (this.server.isConnected()) this.server.sendToolListChanged();
  }

  applySwitches(on: (tool: string, readOnly: boolean) => true | string): void {
    for (const entry of this.tools.values()) {
      const verdict = on(entry.spec.name, entry.spec.annotations.readOnlyHint === true);
      entry.offBecause = verdict === true ? undefined : verdict;
      if (verdict === true && !entry.registered.enabled) entry.registered.enable();
      if (verdict !== true && entry.registered.enabled) entry.registered.disable();
    }
  }

  private async handle(
    name: string,
    args: Record<string, unknown> | undefined,
    extra: ToolExtra,
  ): Promise<CallToolResult | InputRequiredResult> {
    const entry = this.tools.get(name);
    if (!entry || !entry.registered.enabled) {
      const hint = entry ? ` (switched off in MCP Tray${entry.offBecause ? `: ${entry.offBecause}` : ''})` : '';
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}${hint}`);
    }
    const startedAt = new Date();
    const t0 = performance.now();
    let result: CallToolResult;
    let error: string | undefined;
    try {
      const parsed = entry.spec.input.safeParse(args ?? {});
      if (!parsed.success) throw new StoreError(`Invalid arguments for ${name}: ${formatZodError(parsed.error)}`, 'invalid');
      const out = await entry.spec.run(parsed.data, extra);
      if (out.inputRequired) return out.inputRequired; // asked, not answered: no call to record yet
      if (entry.spec.output && out.structured) {
        const checked = entry.spec.output.safeParse(out.structured);
        if (!checked.success) throw new Error(`internal error: result does not match output schema: ${formatZodError(checked.error)}`);
      }
      result = {
        content: [{ type: 'text', text: out.text ?? JSON.stringify(out.structured ?? {}, null, 2) }],
        ...(out.structured ? { structuredContent: out.structured } : {}),
      };
    } catch (caught) {
      // Never SQLite's raw "database is locked": the same plain words every caller gets.
      const err = busyError(caught) ?? caught;
      error = err instanceof Error ? err.message : String(err);
      if (!(err instanceof StoreError))
        process.stderr.write(`tool ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : error}\n`);
      result = { content: [{ type: 'text', text: error }], isError: true };
    }
    this.observe(name, startedAt, performance.now() - t0, error, extra);
    return result;
  }
}
