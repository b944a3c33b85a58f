import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { QuotaPolicy } from '../core/confluence/http.js';
import { AppError, type ErrorCode } from '../core/errors.js';
import { forAssistant } from './hints.js';
import type { Core } from '../core/core.js';
import type { LoginResult, PendingLogin } from '../core/auth/login.js';

/** What every tool handler receives; the one piece of state is the browser login in progress. */
export interface ToolDeps {
  core(): Promise<Core>;
  openBrowser(url: string): Promise<boolean>;
  env: Readonly<Record<string, string | undefined>>;
  log(line: string): void;
  login: { pending?: PendingLogin; completion?: Promise<LoginResult>; startedAt?: number };
}

/** A success: the structured facts plus the same as text for clients that only read text. */
export function ok<T extends Record<string, unknown>>(structured: T, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** A failure as the CLI would print it: message and a hint for an assistant, and the code for programs. */
export function failure(error: unknown, core?: Pick<Core, 'profile' | 'envToken'>): CallToolResult {
  const e =
    error instanceof AppError ? error : new AppError('INTERNAL', `Unexpected error: ${(error as Error)?.message ?? String(error)}`);
  const retryAt = typeof e.details?.retryAt === 'string' ? e.details.retryAt : undefined;
  const hint =
    e.code === 'QUOTA_EXCEEDED'
      ? `Call the tool again after ${retryAt}, or with waitForQuota: true to wait for the reset.`
      : forAssistant(e.hint, { code: e.code, envToken: !!core?.envToken, profile: core?.profile });
  return {
    isError: true,
    content: [{ type: 'text', text: `${e.message}${hint ? `\nNext step: ${hint}` : ''}\n(code: ${e.code}${retryAt ? `, retryAt: ${retryAt}` : ''})` }],
    // Programs read the code and, for a quota pause, when to come back.
    structuredContent: { code: e.code, message: e.message, ...(hint ? { hint } : {}), ...(retryAt ? { retryAt } : {}) },
  };
}

/** Runs a handler and turns any thrown error into an isError result. */
export async function guarded(deps: ToolDeps, name: string, handler: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await handler();
  } catch (error) {
    deps.log(`${name} failed: ${error instanceof AppError ? error.code : (error as Error)?.name}`);
    return failure(error, await deps.core().catch(() => undefined));
  }
}

/** The same error with its next step in tool terms: the core's hints name CLI flags. */
export function inToolTerms(error: unknown, hints: Partial<Record<ErrorCode, string | ((e: AppError) => string)>>): unknown {
  if (!(error instanceof AppError)) return error;
  const hint = hints[error.code];
  if (hint === undefined) return error;
  return new AppError(error.code, error.message, { hint: typeof hint === 'string' ? hint : hint(error), cause: error, ...(error.details ? { details: error.details } : {}) });
}

/** The argument of every tool that calls Atlassian: wait out a quota pause instead of failing. */
export const waitForQuotaArg = z
  .boolean()
  .optional()
  .describe("When Atlassian's hourly quota is used up, wait for its reset (up to an hour, with progress notifications) instead of failing at once with retryAt.");

/** How often a waiting tool call sends a progress notification. */
const PROGRESS_EVERY_MS = 15_000;

/**
 * The quota policy of one tool call: fail at once, or wait with progress notifications when the client
 * asked for progress (a progressToken) so it can keep the call alive.
 */
export function quotaPolicyFor(wait: boolean | undefined, ctx: ServerContext | undefined, now: () => number = Date.now): QuotaPolicy {
  const token = ctx?.mcpReq._meta?.progressToken;
  let started: number | undefined;
  let last = 0;
  return {
    wait: !!wait,
    onWait: ({ until, reason }) => {
      const t = now();
      started ??= t;
      if (token === undefined || (last && t - last < PROGRESS_EVERY_MS)) return;
      last = t;
      const message = `Atlassian's hourly quota is used up${reason ? ` (${reason})` : ''}; waiting until ${new Date(until).toISOString()}.`;
      void ctx!.mcpReq
        .notify({ method: 'notifications/progress', params: { progressToken: token, progress: Math.round((t - started) / 1000), total: Math.round((until - started) / 1000), message } })
        .catch(() => undefined);
    },
  };
}
