import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { oneLine } from '../../core/text.js';
import { pageChildrenSchema } from '../schemas.js';
import { guarded, inToolTerms, ok, quotaPolicyFor, waitForQuotaArg, type ToolDeps } from '../context.js';

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'page_children',
    {
      title: 'Pages below a Confluence page',
      description:
        'Lists the pages below a page (its children, their children, ... up to depth levels, breadth first), each with id, title, ' +
        'status, parentId and depth (1 = a direct child). page is an id or a page URL as the browser shows it. Returns nextCursor ' +
        'when there are more: pass it back as cursor. Read any of them with page_read.',
      inputSchema: z.object({
        page: z.string().describe('Page id, or its URL (e.g. https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Title).'),
        depth: z.number().int().min(1).max(5).optional().describe('Levels below the page, 1 to 5 (default 1: direct children).'),
        cursor: z.string().optional().describe('The nextCursor of a previous call for the same page and depth.'),
        waitForQuota: waitForQuotaArg,
        site: z.string().optional().describe('Site URL, name or cloudId when page is an id (default: the site chosen at sign-in).'),
      }),
      outputSchema: pageChildrenSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, ctx) =>
      guarded(deps, 'page_children', async () => {
        const core = await deps.core();
        try {
          return await core.withQuotaPolicy(quotaPolicyFor(args.waitForQuota, ctx), async () => {
          const target = await core.pages.resolve(args.page, args.site);
          const page = await core.pages.descendantsPage(target, { depth: args.depth ?? 1, limit: 250, ...(args.cursor ? { cursor: args.cursor } : {}) });
          const results = page.results.map((r) => ({ ...r, title: oneLine(r.title) }));
          const lines = results.map((r) => `${'  '.repeat(r.depth - 1)}- ${r.title} (${r.id})`);
          const text = `${results.length} page(s) below ${target.id}${page.nextCursor ? ' (more: pass nextCursor as cursor)' : ''}:\n${lines.join('\n')}`;
          return ok({ page: { id: target.id, site: target.site.url }, results, nextCursor: page.nextCursor ?? null }, text);
          });
        } catch (error) {
          throw inToolTerms(error, {
            USAGE: 'Pass page as the number in the page URL (/pages/123/) or the URL itself.',
            NOT_FOUND: 'Check the page id or URL; pages_search finds pages by title or text.',
          });
        }
      }),
  );
}
