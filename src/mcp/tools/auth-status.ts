import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { statusSchema } from '../schemas.js';
import { guarded, ok, type ToolDeps } from '../context.js';
import { forAssistant } from '../hints.js';

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'auth_status',
    {
      title: 'Confluence sign-in status',
      description:
        'Reports whether confluence-adf is signed in to Confluence Cloud: the site (URL, cloudId), the account, granted scopes, ' +
        'token expiry, the 90/365-day refresh limits and where tokens are stored. Makes one API call to prove the token works ' +
        'unless offline is true. Never returns a token. Call this first when a Confluence tool fails with a sign-in error.',
      inputSchema: z.strictObject({ offline: z.boolean().optional().describe('Skip the API call that proves the token works.') }),
      outputSchema: statusSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    async ({ offline }) =>
      guarded(deps, 'auth_status', async () => {
        const core = await deps.core();
        const report = await core.status({ offline: !!offline });
        const told = (hint: string | undefined, code?: string) => forAssistant(hint, { ...(code ? { code } : {}), envToken: !!core.envToken, profile: core.profile });
        const nextStep = (hint: string | undefined, code?: string) => (told(hint, code) ? ` Next step: ${told(hint, code)}` : '');
        let text: string;
        if (report.signedIn) {
          const check = report.check.performed ? (report.check.ok ? 'the token works' : `check failed: ${report.check.message}${nextStep(report.check.hint, report.check.code)}`) : 'not checked';
          text = `Signed in to ${report.site!.name} (${report.site!.url})${report.account ? ` as ${report.account.name}` : ''}; ${check}`;
          if (!text.endsWith('.')) text += '.';
        } else if (!report.reason && report.check.message) {
          // Not a missing login but something in the way of reading it (a damaged file, a locked keychain): say that.
          text = `${report.check.message}${nextStep(report.check.hint, report.check.code)}`;
        } else {
          text = `Not signed in: ${report.reason ?? 'no login'}.${nextStep(report.hint, 'NOT_SIGNED_IN')}`;
        }
        const pause = report.quota?.pausedUntil ? ` Atlassian's hourly quota is used up: requests are held until ${report.quota.pausedUntil}.` : '';
        return ok(report as unknown as Record<string, unknown>, `[profile ${report.profile.name}] ${text}${pause}`);
      }),
  );
}
