/** What every area of the host API (api/*.ts) shares: the server and client names as schemas, and the shape of a handler map. */
import * as z from 'zod';
import { SERVER_NAMES } from '../../../servers/registry.js';

export { SERVER_NAMES, SERVER_TITLES } from '../../../servers/registry.js';
export const ServerName = z.enum(SERVER_NAMES);
export type ServerName = z.infer<typeof ServerName>;

export const CLIENT_IDS = [
  'claude-desktop',
  'claude-code',
  'cursor',
  'vscode',
  'windsurf',
  'zed',
  'cline',
  'lm-studio',
  'gemini-cli',
  'copilot-cli',
  'opencode',
  'kiro',
  'continue',
  'goose',
  'codex',
] as const;
export const ClientId = z.enum(CLIENT_IDS);
export type ClientId = z.infer<typeof ClientId>;

export const none = z.strictObject({});
export const ToolName = z.string().min(1).max(128);
export const ToolList = z.array(ToolName).max(64);
export const configPath = z.string().min(1).max(4096).optional();

/** An area's handlers: one per method, given arguments the host has validated against the area's schemas. */
export type AreaHandlers<S extends Record<string, z.ZodType>, R extends { [K in keyof S]: unknown }> = {
  [K in keyof S]: (args: z.output<S[K]>) => Promise<R[K]>;
};
