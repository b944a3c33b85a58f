import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { oneLine, stripControl } from '../../core/text.js';
import type { AdfDoc } from '../../core/adf/types.js';
import { textWindow } from '../../core/adf/window.js';
import { pageReadSchema } from '../schemas.js';
import { guarded, inToolTerms, ok, quotaPolicyFor, waitForQuotaArg, type ToolDeps } from '../context.js';

/** What a default answer stays under, in characters: outline, metadata and the body's part together. */
export const ANSWER_BUDGET = 20_000;
/** Outline entries an answer carries at most; a page with more lists the first ones. */
const OUTLINE_LIMIT = 100;

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'page_read',
    {
      title: 'Read a Confluence page',
      description:
        'Reads a Confluence page as Markdown (or as its ADF JSON with format "adf"), with its outline (headings with their size in characters). ' +
        'page is an id or a URL as the browser shows it. The answer stays under about 20,000 characters: a longer page comes in parts, ' +
        'with truncated true and nextOffset; call again with offset = nextOffset to read on, or with section = a heading from the ' +
        'outline to read just that part. version reads an older version. Returns id, title, space, version, url, parent, outline, ' +
        'markdown or adf, truncated, nextOffset.',
      inputSchema: z.object({
        page: z.string().describe('Page id, or its URL (e.g. https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Title).'),
        format: z.enum(['markdown', 'adf']).optional().describe('markdown (default) or adf (the stored JSON document).'),
        section: z.string().optional().describe('A heading of the page (from outline): only its section is returned.'),
        offset: z.number().int().min(0).optional().describe('Where to start, in characters: the nextOffset of a previous call.'),
        maxChars: z.number().int().min(500).max(200_000).optional().describe('At most this many characters of the body (default: what fits in about 20,000 with the outline).'),
        version: z.number().int().min(1).optional().describe('An older version number (default: the current one).'),
        waitForQuota: waitForQuotaArg,
        site: z.string().optional().describe('Site URL, name or cloudId when page is an id (default: the site chosen at sign-in).'),
      }),
      outputSchema: pageReadSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, ctx) =>
      guarded(deps, 'page_read', async () => {
        const core = await deps.core();
        try {
          return await core.withQuotaPolicy(quotaPolicyFor(args.waitForQuota, ctx), async () => {
          const target = await core.pages.resolve(args.page, args.site);
          const page = await core.pages.get(target, args.version === undefined ? {} : { version: args.version });
          const { outline, findSection, toMarkdown } = await import('../../core/adf/index.js');
          const doc = page.adf!;
          let part: AdfDoc = doc;
          if (args.section !== undefined) {
            const { index, end } = findSection(doc, args.section);
            part = { ...doc, content: doc.content.slice(index, end) };
          }
          const format = args.format ?? 'markdown';
          const whole = format === 'adf' ? JSON.stringify(part) : stripControl(toMarkdown(part));
          const offset = args.offset ?? 0;
          const fullOutline = outline(doc).map((h) => ({ ...h, text: oneLine(h.text) }));
          // The outline travels in every answer (twice: as data and as text): the body gets what is left.
          const outlineChars = JSON.stringify(fullOutline.slice(0, OUTLINE_LIMIT)).length;
          const window = textWindow(whole, offset, args.maxChars ?? Math.max(4_000, ANSWER_BUDGET - 2_000 - outlineChars));
          const facts = {
            id: page.id,
            title: oneLine(page.title),
            space: page.spaceKey,
            version: page.version?.number ?? null,
            url: page.url,
            parent: page.parentId,
            outline: fullOutline.slice(0, OUTLINE_LIMIT),
            outlineTruncated: fullOutline.length > OUTLINE_LIMIT,
            section: args.section ?? null,
            format,
            ...(format === 'adf' ? { adf: window.text } : { markdown: window.text }),
            totalChars: whole.length,
            offset,
            truncated: window.truncated,
            nextOffset: window.truncated ? window.end : null,
          };
          const readOn = window.truncated
            ? `\n\n[Part: characters ${offset}–${window.end} of ${whole.length}. To read on, call page_read with page "${page.id}"${args.section ? `, section "${args.section}"` : ''} and offset ${window.end}; or pass section with a heading from the outline.]`
            : '';
          const headings = facts.outline.map((h) => `${'  '.repeat(h.level - 1)}- ${h.text} (${h.chars} chars)`).join('\n');
          const header = `# ${facts.title}\npage ${page.id}, version ${facts.version ?? '?'}, space ${facts.space ?? '?'}, ${facts.url ?? ''}\n` +
            (args.section === undefined && window.truncated && headings ? `Outline:\n${headings}${facts.outlineTruncated ? '\n- …' : ''}\n` : '');
          return ok(facts, `${header}\n${window.text}${readOn}`);
          });
        } catch (error) {
          throw inToolTerms(error, {
            USAGE: 'Pass page as the number in the page URL (/pages/123/) or the URL itself.',
            NOT_FOUND: (e) => (e.details?.version ? 'Leave out version to read the current page.' : 'Check the page id or URL; pages_search finds pages by title or text.'),
            SECTION_NOT_FOUND: (e) => {
              const headings = (e.details?.headings as string[] | undefined) ?? [];
              return headings.length
                ? `Call page_read with section set to one of the headings: ${headings.slice(0, 30).map((h) => JSON.stringify(oneLine(h))).join(', ')}${headings.length > 30 ? ', …' : ''}; or leave section out to read the page from the start.`
                : 'This page has no headings: leave section out and read it with offset.';
            },
            SECTION_AMBIGUOUS: 'Several headings read the same: leave section out and read the page with offset instead.',
          });
        }
      }),
  );
}

