import type { CallToolResult } from '@modelcontextprotocol/server';
import { AppError } from '../core/errors.js';
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
  const hint = forAssistant(e.hint, { code: e.code, envToken: !!core?.envToken, profile: core?.profile });
  return { isError: true, content: [{ type: 'text', text: `${e.message}${hint ? `\nNext step: ${hint}` : ''}\n(code: ${e.code})` }] };
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
