import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { AppError } from '../../core/errors.js';
import { loginCompleteSchema, loginStartSchema } from '../schemas.js';
import { guarded, ok, type ToolDeps } from '../context.js';

/** How long a started login keeps its loopback listener open, across auth_login_complete calls. */
const LOGIN_WINDOW_MS = 10 * 60_000;
/** One auth_login_complete waits less than the 60 s a standard MCP client allows a request, so LOGIN_TIMEOUT reaches the assistant. */
const DEFAULT_WAIT_S = 45;

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'auth_login_start',
    {
      title: 'Start a Confluence sign-in',
      description:
        'Starts a browser sign-in to Confluence Cloud with the OAuth app already configured (environment or an earlier CLI login). ' +
        'Opens the browser when it can and returns the URL: show it to the user and ask them to approve, then call auth_login_complete. ' +
        'Takes no secrets. Starting again replaces a sign-in still in progress.',
      inputSchema: z.strictObject({
        site: z.string().optional().describe('Site URL, name or cloudId to use when the account reaches several sites.'),
      }),
      outputSchema: loginStartSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ site }) =>
      guarded(deps, 'auth_login_start', async () => {
        await deps.login.pending?.cancel();
        deps.login = {};
        const core = await deps.core();
        const client = await core.configuredClient();
        const pending = await core.startLogin({ ...client, ...(site ? { site } : {}) });
        const completion = pending.complete({ timeoutMs: LOGIN_WINDOW_MS });
        completion.catch(() => undefined);
        deps.login = { pending, completion, startedAt: Date.now() };
        const browserOpened = await deps.openBrowser(pending.url);
        const message = browserOpened
          ? 'A browser window was opened on the Atlassian consent page. Ask the user to choose Accept, then call auth_login_complete.'
          : 'No browser could be opened. Ask the user to open the URL, choose Accept, then call auth_login_complete.';
        return ok({ url: pending.url, redirectUri: pending.redirectUri, browserOpened, message }, `${message}\n${pending.url}`);
      }),
  );

  server.registerTool(
    'auth_login_complete',
    {
      title: 'Finish a Confluence sign-in',
      description:
        `Waits (up to timeoutSeconds, default ${DEFAULT_WAIT_S}) for the user to approve the sign-in started by auth_login_start, then stores the ` +
        'tokens and reports the site signed in to. If the user has not approved yet it returns LOGIN_TIMEOUT and the sign-in stays open ' +
        '(10 minutes): call this again, as often as needed. Cancelling the request stops the wait, not the sign-in.',
      inputSchema: z.strictObject({
        timeoutSeconds: z.number().int().min(1).max(600).optional().describe(`How long to wait, in seconds (default ${DEFAULT_WAIT_S}, under the usual 60 s request timeout).`),
      }),
      outputSchema: loginCompleteSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ timeoutSeconds }, ctx) =>
      guarded(deps, 'auth_login_complete', async () => {
        const { completion } = deps.login;
        if (!completion) {
          throw new AppError('USAGE', 'No sign-in is in progress.', { hint: 'Call auth_login_start first.' });
        }
        const waitMs = (timeoutSeconds ?? DEFAULT_WAIT_S) * 1000;
        const progressToken = ctx.mcpReq._meta?.progressToken;
        const started = Date.now();
        const ticker =
          progressToken === undefined
            ? undefined
            : setInterval(() => {
                const waited = Math.round((Date.now() - started) / 1000);
                void ctx.mcpReq
                  .notify({ method: 'notifications/progress', params: { progressToken, progress: waited, total: waitMs / 1000, message: `Waiting for the user to approve in the browser (${waited} s)` } })
                  .catch(() => undefined);
              }, 2000);
        let timer: NodeJS.Timeout | undefined;
        try {
          const result = await Promise.race([
            completion,
            aborted(ctx.mcpReq.signal),
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(new AppError('LOGIN_TIMEOUT', `The user has not approved the sign-in yet (waited ${Math.round(waitMs / 1000)} s).`, { hint: 'The sign-in is still open: call auth_login_complete again, or auth_login_start to begin anew.' })),
                waitMs,
              );
            }),
          ]);
          deps.login = {};
          const structured = { signedIn: true as const, site: result.site, account: result.account ?? null, scopes: result.scopes, missingScopes: result.missingScopes };
          return ok(structured, `Signed in to ${result.site.name} (${result.site.url})${result.account ? ` as ${result.account.name}` : ''}.`);
        } catch (error) {
          // Waiting ran out or was cancelled: the sign-in itself stays open for the next call.
          const stillOpen = error instanceof AppError && ((error.code === 'LOGIN_TIMEOUT' && /not approved/.test(error.message)) || error.code === 'CANCELLED');
          if (!stillOpen) deps.login = {};
          throw error;
        } finally {
          clearTimeout(timer);
          if (ticker) clearInterval(ticker);
        }
      }),
  );
}

/** Rejects with CANCELLED when the client cancels the request (notifications/cancelled); never resolves otherwise. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    const cancel = () => reject(new AppError('CANCELLED', 'The client cancelled the wait.', { hint: 'The sign-in is still open: call auth_login_complete again.' }));
    if (signal.aborted) cancel();
    else signal.addEventListener('abort', cancel, { once: true });
  });
}
