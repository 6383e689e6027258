import * as z from 'zod';
import {
  CLIENT_CAPABILITIES_META_KEY,
  acceptedContent,
  inputRequired,
  inputResponse,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { eraOf } from './subscriptions.js';

/** The one question: a single tick box, which every form-capable client can show. */
const Confirm = z.object({ confirm: z.boolean().meta({ title: 'Yes, go ahead' }) });
const CONFIRM_JSON = {
  type: 'object' as const,
  properties: { confirm: { type: 'boolean' as const, title: 'Yes, go ahead' } },
  required: ['confirm'],
};

export type Confirmation =
  | { kind: 'confirmed' }
  /** The person said no (or closed the question): `why` in words for the model. */
  | { kind: 'refused'; why: string }
  /** A 2026-07-28 client is asked by returning this; it answers and calls again. */
  | { kind: 'ask'; result: InputRequiredResult }
  /** The client cannot show a form: behave as before (the change history still has Undo). */
  | { kind: 'not-asked' };

/** Whether a capabilities object offers form elicitation ({} counts as form: the 2025-06-18 shape; only `url` does not). */
const formCapable = (elicitation: unknown): boolean =>
  typeof elicitation === 'object' && elicitation !== null && ('form' in elicitation || !('url' in elicitation));

/** Whether the connected client can show the person a question (form elicitation), on either era. */
export function canConfirm(server: McpServer, ctx: ServerContext): boolean {
  if (eraOf(server) !== 'modern') return formCapable(server.server.getClientCapabilities()?.elicitation);
  const caps = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_CAPABILITIES_META_KEY] as
    { elicitation?: unknown } | undefined;
  return formCapable(caps?.elicitation);
}

/**
 * Asks the person, in their chat, to confirm a change before it is made — where the client can
 * show a form: a 2025 client through elicitation/create (mid-call), a 2026-07-28 client through an
 * input_required result (it asks, then calls again with the answer).
 */
export async function confirmInChat(server: McpServer, ctx: ServerContext, message: string): Promise<Confirmation> {
  if (!canConfirm(server, ctx)) return { kind: 'not-asked' };
  if (eraOf(server) === 'modern') {
    const view = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
    if (view.kind === 'elicit' && view.action !== 'accept')
      return { kind: 'refused', why: `the person ${view.action === 'decline' ? 'said no' : 'closed the question'}` };
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', Confirm);
    if (answer?.confirm === true) return { kind: 'confirmed' };
    if (answer) return { kind: 'refused', why: 'the person did not tick "Yes, go ahead"' };
    return {
      kind: 'ask',
      result: inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message, requestedSchema: Confirm }) } }),
    };
  }
  const r = await ctx.mcpReq.elicitInput({ mode: 'form', message, requestedSchema: CONFIRM_JSON });
  if (r.action !== 'accept') return { kind: 'refused', why: `the person ${r.action === 'decline' ? 'said no' : 'closed the question'}` };
  return r.content?.confirm === true ? { kind: 'confirmed' } : { kind: 'refused', why: 'the person did not tick "Yes, go ahead"' };
}
