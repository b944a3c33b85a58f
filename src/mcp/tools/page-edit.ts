import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import type { ToolDeps } from '../context.js';
import { optional, pageWriteSchema, runWrite, writeOptions } from '../page-writes.js';

const heading = z.string().describe('The section heading; "Parent > Heading" when the text is not unique.');
const markdown = z.string().describe('The new content as Markdown.');
const edit = z.discriminatedUnion('op', [
  z.object({ op: z.literal('replaceSection'), heading, markdown }),
  z.object({ op: z.literal('appendToSection'), heading, markdown }),
  z.object({ op: z.literal('insertAfterSection'), heading, markdown }),
  z.object({ op: z.literal('deleteSection'), heading }),
  z.object({
    op: z.literal('findReplace'),
    find: z.string().min(1).describe('Exact, case-sensitive text; may span bold, links and comment anchors.'),
    replace: z.string(),
    all: z.boolean().optional().describe('Replace every occurrence (else the text must occur once).'),
  }),
]);

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'page_edit',
    {
      title: 'Edit part of a Confluence page',
      description:
        'Small edits without sending the whole page: replace, append to, insert after or delete a section (found by heading), or ' +
        'find/replace text keeping its formatting. Everything else on the page stays exactly as it is. Edits apply in order. ' +
        'On success returns the new version, the changed blocks and per edit the number of places changed. A missing heading or text, ' +
        'or an ambiguous heading, is an error listing the candidates. With expectedVersion, changes others saved since are merged; ' +
        'a clash is a conflict error with the current version (nothing written). dryRun returns the block diff without writing.',
      inputSchema: z.object({
        page: z.string().describe('Page id or URL.'),
        edits: z.array(edit).min(1),
        expectedVersion: z.number().int().min(1).optional().describe('The version you looked at (default: the current one).'),
        ...writeOptions,
      }),
      outputSchema: pageWriteSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args) =>
      runWrite(deps, 'page_edit', 'Edited', (writer) =>
        writer.edit({ page: args.page, edits: args.edits, ...(args.expectedVersion ? { expectedVersion: args.expectedVersion } : {}), ...optional(args) }),
      ),
  );
}
