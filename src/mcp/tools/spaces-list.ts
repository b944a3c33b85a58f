import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { SPACE_SORTS, SPACE_STATUSES, SPACE_TYPES } from '../../core/confluence/spaces.js';
import { spacesListSchema } from '../schemas.js';
import { guarded, ok, quotaPolicyFor, waitForQuotaArg, type ToolDeps } from '../context.js';

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'spaces_list',
    {
      title: 'List Confluence spaces',
      description:
        'Lists spaces of a Confluence Cloud site, one page at a time. Returns results (id, key, name, type, status, url, and the other ' +
        'fields Confluence gives) and nextCursor: pass nextCursor back as cursor for the next page; it is null on the last page. ' +
        'site defaults to the one chosen at sign-in.',
      inputSchema: z.strictObject({
        site: z.string().optional().describe('Site URL, name or cloudId (default: the site chosen at sign-in).'),
        type: z.enum(SPACE_TYPES).optional(),
        status: z.enum(SPACE_STATUSES).optional(),
        keys: z.array(z.string()).max(250).optional().describe('Only these space keys.'),
        sort: z.enum(SPACE_SORTS).optional(),
        limit: z.number().int().min(1).max(250).optional().describe('Page size, 1 to 250 (default 25).'),
        cursor: z.string().optional().describe('The nextCursor of a previous call.'),
        waitForQuota: waitForQuotaArg,
      }),
      outputSchema: spacesListSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, ctx) =>
      guarded(deps, 'spaces_list', async () => {
        const core = await deps.core();
        const query = {
          limit: args.limit ?? 25,
          ...(args.type ? { type: args.type } : {}),
          ...(args.status ? { status: args.status } : {}),
          ...(args.keys ? { keys: args.keys } : {}),
          ...(args.sort ? { sort: args.sort } : {}),
          ...(args.cursor ? { cursor: args.cursor } : {}),
        };
        const { site, page } = await core.withQuotaPolicy(quotaPolicyFor(args.waitForQuota, ctx), async () => {
          const site = await core.site(args.site);
          return { site, page: await core.spacesPage(site, query) };
        });
        const lines = page.results.map((s) => `${s.key}\t${s.name}\t${s.type ?? ''}\t${s.status ?? ''}\t${s.url ?? ''}`);
        const text = `${page.results.length} space(s) on ${site.name}${page.nextCursor ? ' (more: pass nextCursor as cursor)' : ''}:\n${lines.join('\n')}`;
        return ok({ profile: core.profile.name, site, results: page.results, nextCursor: page.nextCursor ?? null }, `[profile ${core.profile.name}] ${text}`);
      }),
  );
}
