import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { buildCql } from '../../core/confluence/search.js';
import { oneLine } from '../../core/text.js';
import { pagesSearchSchema } from '../schemas.js';
import { guarded, inToolTerms, ok, quotaPolicyFor, waitForQuotaArg, type ToolDeps } from '../context.js';

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'pages_search',
    {
      title: 'Search Confluence pages',
      description:
        'Finds Confluence pages with CQL (e.g. `type = page AND label = "runbook"`) or with plain words: text (in the body), title, space (a key). ' +
        'Given together they are joined by AND; the words are quoted for you. Returns results (id, title, space, url, excerpt, lastModified) ' +
        'and nextCursor: pass it back as cursor for more; null on the last page. Read a hit with page_read.',
      inputSchema: z.object({
        cql: z.string().optional().describe('A CQL query; combined with text/title/space by AND.'),
        text: z.string().optional().describe('Words the page must contain.'),
        title: z.string().optional().describe('Words the title must contain.'),
        space: z.string().optional().describe('A space key, e.g. ENG.'),
        limit: z.number().int().min(1).max(250).optional().describe('Results per call, 1 to 250 (default 25).'),
        cursor: z.string().optional().describe('The nextCursor of a previous call with the same query.'),
        waitForQuota: waitForQuotaArg,
        site: z.string().optional().describe('Site URL, name or cloudId (default: the site chosen at sign-in).'),
      }),
      outputSchema: pagesSearchSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, ctx) =>
      guarded(deps, 'pages_search', async () => {
        try {
          const cql = buildCql({ ...(args.cql ? { cql: args.cql } : {}), ...(args.text ? { text: args.text } : {}), ...(args.title ? { title: args.title } : {}), ...(args.space ? { space: args.space } : {}) });
          const core = await deps.core();
          const page = await core.withQuotaPolicy(quotaPolicyFor(args.waitForQuota, ctx), async () => {
            const site = await core.site(args.site);
            return core.search.page(site, cql, { limit: args.limit ?? 25, ...(args.cursor ? { cursor: args.cursor } : {}) });
          });
          const results = page.results.map((h) => ({ id: h.id, title: oneLine(h.title), space: h.space, url: h.url, excerpt: oneLine(h.excerpt), lastModified: h.lastModified }));
          const lines = results.map((h) => `${h.id}\t${h.title}\t${h.space ?? ''}\t${h.url ?? ''}${h.excerpt ? `\n\t${h.excerpt}` : ''}`);
          const text = `${results.length} page(s) for ${cql}${page.nextCursor ? ' (more: pass nextCursor as cursor)' : ''}:\n${lines.join('\n')}`;
          return ok({ cql, results, nextCursor: page.nextCursor ?? null }, text);
        } catch (error) {
          throw inToolTerms(error, {
            USAGE: 'Give cql, or at least one of text, title, space.',
            BAD_RESPONSE: 'Check the CQL syntax (fields such as type, space, title ~, text ~, ancestor, label, joined by AND/OR), or search with text instead.',
          });
        }
      }),
  );
}
