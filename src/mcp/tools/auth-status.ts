import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { statusSchema } from '../schemas.js';
import { guarded, ok, type ToolDeps } from '../context.js';

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'auth_status',
    {
      title: 'Confluence sign-in status',
      description:
        'Reports whether confluence-adf is signed in to Confluence Cloud: the site (URL, cloudId), the account, granted scopes, ' +
        'token expiry, the 90/365-day refresh limits and where tokens are stored. Makes one API call to prove the token works ' +
        'unless offline is true. Never returns a token. Call this first when a Confluence tool fails with a sign-in error.',
      inputSchema: z.object({ offline: z.boolean().optional().describe('Skip the API call that proves the token works.') }),
      outputSchema: statusSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    async ({ offline }) =>
      guarded(deps, 'auth_status', async () => {
        const report = await (await deps.core()).status({ offline: !!offline });
        const text = report.signedIn
          ? `Signed in to ${report.site!.name} (${report.site!.url})${report.account ? ` as ${report.account.name}` : ''}; ${report.check.performed ? (report.check.ok ? 'the token works' : `check failed: ${report.check.message}`) : 'not checked'}.`
          : `Not signed in${report.reason ? `: ${report.reason}` : ''}. Ask the user to run \`confluence-adf auth login\`, or call auth_login_start.`;
        const pause = report.quota?.pausedUntil ? ` Atlassian's hourly quota is used up: requests are held until ${report.quota.pausedUntil}.` : '';
        return ok(report as unknown as Record<string, unknown>, `[profile ${report.profile.name}] ${text}${pause}`);
      }),
  );
}
