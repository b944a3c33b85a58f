import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { logoutSchema } from '../schemas.js';
import { guarded, ok, type ToolDeps } from '../context.js';

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'auth_logout',
    {
      title: 'Sign out of Confluence',
      description:
        'Signs confluence-adf out of Confluence Cloud on this machine: deletes every stored token (for the CLI and every MCP server ' +
        'sharing it) and tries to revoke them. The user must sign in again afterwards. Only call this when the user asks to sign out.',
      inputSchema: z.strictObject({}),
      outputSchema: logoutSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async () =>
      guarded(deps, 'auth_logout', async () => {
        const report = await (await deps.core()).logout();
        const text = report.wasSignedIn
          ? `Signed out: ${report.removed.length} local item(s) removed${report.failed.length ? `, ${report.failed.length} could not be removed` : ''}. Access can also be removed at Atlassian account settings → Connected apps.`
          : 'Was not signed in; nothing to remove.';
        return ok(report as unknown as Record<string, unknown>, text);
      }),
  );
}
