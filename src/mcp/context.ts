import type { CallToolResult } from '@modelcontextprotocol/server';
import { AppError, LOGIN_NEEDED_CODES, type ErrorCode } from '../core/errors.js';
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

/** A failure as the CLI would print it: message and hint, and the code for programs. */
export function failure(error: unknown): CallToolResult {
  const e =
    error instanceof AppError ? error : new AppError('INTERNAL', `Unexpected error: ${(error as Error)?.message ?? String(error)}`);
  let hint = e.hint;
  if (LOGIN_NEEDED_CODES.has(e.code)) {
    hint = 'Ask the user to run `confluence-adf auth login` in a terminal, or call auth_login_start and have them open the URL.';
  }
  return { isError: true, content: [{ type: 'text', text: `${e.message}${hint ? `\nNext step: ${hint}` : ''}\n(code: ${e.code})` }] };
}

/** Runs a handler and turns any thrown error into an isError result. */
export async function guarded(deps: ToolDeps, name: string, handler: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await handler();
  } catch (error) {
    deps.log(`${name} failed: ${error instanceof AppError ? error.code : (error as Error)?.name}`);
    return failure(error);
  }
}

/** The same error with its next step in tool terms: the core's hints name CLI flags. */
export function inToolTerms(error: unknown, hints: Partial<Record<ErrorCode, string | ((e: AppError) => string)>>): unknown {
  if (!(error instanceof AppError)) return error;
  const hint = hints[error.code];
  if (hint === undefined) return error;
  return new AppError(error.code, error.message, { hint: typeof hint === 'string' ? hint : hint(error), cause: error, ...(error.details ? { details: error.details } : {}) });
}
