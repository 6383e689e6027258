import { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { Client, ProtocolError } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { VERSION } from '../../servers/shared/version.js';
import { SERVER_TITLES } from '../../servers/registry.js';
import type { LogLine, ServerName, ServerState, ServerStatus, ToolInfo } from './contract.js';
import { HostError } from './errors.js';
import { ServerLog } from './logs.js';
import type { Runtime } from './runtime.js';

export interface RestartPolicy {
  /** First restart delay; doubles per crash in the window. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** This many crashes within windowMs parks the server in crash-loop. */
  maxCrashes: number;
  windowMs: number;
  /** How long a server may take to answer initialize. */
  startTimeoutMs: number;
}

export const DEFAULT_POLICY: RestartPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 60_000,
  startTimeoutMs: 20_000,
};

/** Status sequence numbers: from the clock at start-up, so a restarted host's are larger too. */
let lastSeq = Date.now();
const nextSeq = (): number => ++lastSeq;

/** Delay before the nth restart within the window (n from 1): 0.5 s, 1 s, 2 s, … capped. */
export const backoffDelay = (n: number, p: RestartPolicy) => Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.max(0, n - 1));

interface Events {
  status: [ServerStatus];
  log: [LogLine];
}

/**
 * One of the tray's own server instances: a child process reached through the SDK's stdio client,
 * so "running" means it really answered initialize. Crashes restart it with exponential backoff;
 * too many in the window park it in crash-loop until someone restarts it.
 */
export class ManagedServer extends EventEmitter<Events> {
  private state: ServerState = 'stopped';
  private client: Client | undefined;
  private transport: StdioClientTransport | undefined;
  private wanted = false;
  private generation = 0;
  private crashes: number[] = [];
  private restarts = 0;
  private lastError: string | null = null;
  private startedAt: Date | null = null;
  private nextRestartAt: Date | null = null;
  private timer: NodeJS.Timeout | undefined;
  private pid: number | null = null;
  /** The last stderr lines of the current instance: the likely reason when it dies. */
  private recentStderr: string[] = [];
  private lists: Pick<ServerStatus, 'tools' | 'resources' | 'resourceTemplates' | 'prompts'> = {
    tools: [],
    resources: [],
    resourceTemplates: [],
    prompts: [],
  };
  readonly log: ServerLog;

  constructor(
    readonly name: ServerName,
    private readonly runtime: Runtime,
    private readonly dataDir: string,
    logsDir: string | undefined,
    private readonly policy: RestartPolicy = DEFAULT_POLICY,
    private readonly enabled: () => boolean = () => true,
  ) {
    super();
    this.log = new ServerLog(name, logsDir, 2000, (line) => {
      if (line.stream === 'stderr') this.recentStderr = [...this.recentStderr.slice(-2), line.text];
      this.emit('log', line);
    });
  }

  private seq = nextSeq();

  status(): ServerStatus {
    const windowStart = Date.now() - this.policy.windowMs;
    return {
      name: this.name,
      title: SERVER_TITLES[this.name],
      enabled: this.enabled(),
      state: this.state,
      seq: this.seq,
      pid: this.pid,
      startedAt: this.startedAt?.toISOString() ?? null,
      restarts: this.restarts,
      crashesInWindow: this.crashes.filter((t) => t >= windowStart).length,
      lastError: this.lastError,
      nextRestartAt: this.nextRestartAt?.toISOString() ?? null,
      ...this.lists,
    };
  }

  private set(state: ServerState): void {
    this.state = state;
    this.changed();
  }

  private changed(): void {
    this.seq = nextSeq();
    this.emit('status', this.status());
  }

  /** Starts the server if it is not running. A manual start also clears a crash-loop. */
  start(): Promise<void> {
    this.wanted = true;
    if (this.state === 'running' || this.state === 'starting') return Promise.resolve();
    if (this.state === 'crash-loop') this.crashes = [];
    clearTimeout(this.timer);
    return this.launch();
  }

  private async launch(): Promise<void> {
    const gen = ++this.generation;
    this.nextRestartAt = null;
    this.recentStderr = [];
    this.set('starting');
    const transport = new StdioClientTransport({
      command: this.runtime.command,
      args: [this.runtime.serverScript(this.name), '--data-dir', this.dataDir],
      // Allow-listed environment: the SDK's safe defaults plus exactly what the runtime needs.
      env: { ...getDefaultEnvironment(), ...this.runtime.env },
      cwd: this.dataDir,
      stderr: 'pipe',
    });
    const decoder = new StringDecoder('utf8');
    transport.stderr?.on('data', (chunk: Buffer) => this.log.write(decoder.write(chunk)));
    const client = new Client({ name: 'mcp-tray', version: VERSION }, { capabilities: {} });
    client.onclose = () => void this.exited(gen, 'the server process exited unexpectedly');
    client.setNotificationHandler('notifications/tools/list_changed', () => void this.refreshLists(gen));
    client.setNotificationHandler('notifications/prompts/list_changed', () => void this.refreshLists(gen));
    client.setNotificationHandler('notifications/resources/list_changed', () => void this.refreshLists(gen));
    this.client = client;
    this.transport = transport;
    try {
      await client.connect(transport, { timeout: this.policy.startTimeoutMs });
      if (gen !== this.generation) return;
      this.pid = transport.pid;
      this.startedAt = new Date();
      await this.refreshLists(gen);
      if (gen !== this.generation) return;
      this.log.host(`started (pid ${this.pid})`);
      this.set('running');
    } catch (err) {
      if (gen !== this.generation) return;
      await this.exited(gen, `could not start: ${(err as Error).message}`);
    }
  }

  private async refreshLists(gen: number): Promise<void> {
    const client = this.client;
    if (!client || gen !== this.generation) return;
    try {
      const caps = client.getServerCapabilities() ?? {};
      const [tools, resources, templates, prompts] = await Promise.all([
        caps.tools ? client.listTools() : { tools: [] },
        caps.resources ? client.listResources() : { resources: [] },
        caps.resources ? client.listResourceTemplates() : { resourceTemplates: [] },
        caps.prompts ? client.listPrompts() : { prompts: [] },
      ]);
      if (gen !== this.generation) return;
      this.lists = {
        tools: tools.tools.map((t) => ({
          name: t.name,
          title: t.title,
          description: t.description,
          inputSchema: t.inputSchema as ToolInfo['inputSchema'],
          annotations: t.annotations,
          ...viewOf(t._meta),
        })),
        resources: resources.resources.map((r) => ({ uri: r.uri, name: r.name, title: r.title })),
        resourceTemplates: templates.resourceTemplates.map((t) => ({ uriTemplate: t.uriTemplate, name: t.name, title: t.title })),
        prompts: prompts.prompts.map((p) => ({ name: p.name, title: p.title, description: p.description })),
      };
      if (this.state === 'running') this.changed();
    } catch (err) {
      this.log.host(`could not list the server's capabilities: ${(err as Error).message}`);
    }
  }

  private async exited(gen: number, why: string): Promise<void> {
    let reason = why;
    if (gen !== this.generation) return;
    this.generation++; // later callbacks from this instance are stale
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    this.pid = null;
    this.startedAt = null;
    await transport?.close().catch(() => {});
    if (!this.wanted) {
      this.set('stopped');
      return;
    }
    const tail = this.recentStderr.filter((l) => !/: ready \(pid/.test(l)).join(' | ');
    if (tail) reason = `${reason} — its last words: ${tail}`;
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => t >= now - this.policy.windowMs), now];
    this.lastError = reason;
    this.log.host(`crashed: ${reason}`);
    if (this.crashes.length >= this.policy.maxCrashes) {
      this.log.host(`${this.crashes.length} crashes within ${this.policy.windowMs / 1000} s: not restarting until asked`);
      this.set('crash-loop');
      return;
    }
    const delay = backoffDelay(this.crashes.length, this.policy);
    this.nextRestartAt = new Date(now + delay);
    this.set('crashed');
    this.timer = setTimeout(() => {
      if (!this.wanted) return;
      this.restarts++;
      void this.launch();
    }, delay);
  }

  /** Stops the child: stdin closed, then SIGTERM, then SIGKILL (the SDK's close escalates). */
  async stop(): Promise<void> {
    this.wanted = false;
    clearTimeout(this.timer);
    this.nextRestartAt = null;
    const gen = ++this.generation;
    const client = this.client;
    this.client = undefined;
    this.transport = undefined;
    this.pid = null;
    this.startedAt = null;
    if (client) {
      this.set('stopping');
      await client.close().catch(() => {});
      this.log.host('stopped');
    }
    // Switched on again while this one wound down: the new launch owns the state now.
    if (gen === this.generation && this.state !== 'stopped') this.set('stopped');
  }

  async restart(): Promise<void> {
    await this.stop();
    this.crashes = [];
    this.lastError = null;
    await this.start();
  }

  async callTool(tool: string, args: Record<string, unknown>): Promise<{ isError: boolean; result: unknown }> {
    const client = this.client;
    if (!client || this.state !== 'running')
      throw new HostError(`${SERVER_TITLES[this.name]} is not running; switch it on first`, 'conflict');
    try {
      const result = await client.callTool({ name: tool, arguments: args });
      return { isError: result.isError === true, result };
    } catch (err) {
      if (err instanceof ProtocolError) return { isError: true, result: { error: { code: err.code, message: err.message } } };
      throw err;
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    await this.log.close();
  }
}

/** The MCP Apps view a tool links to (`_meta.ui.resourceUri`, or the older `_meta["ui/resourceUri"]`). */
function viewOf(meta: Record<string, unknown> | undefined): { ui?: string } {
  const ui = (meta?.ui as { resourceUri?: unknown } | undefined)?.resourceUri ?? meta?.['ui/resourceUri'];
  return typeof ui === 'string' && ui.startsWith('ui://') ? { ui } : {};
}
