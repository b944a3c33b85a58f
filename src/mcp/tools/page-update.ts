import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import type { ToolDeps } from '../context.js';
import { adfDocInput, optional, pageWriteSchema, runWrite, writeOptions } from '../page-writes.js';
import { splitFrontMatter } from '../../core/adf/front-matter.js';

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'page_update',
    {
      title: 'Update a Confluence page',
      description:
        'Replaces the whole page body with Markdown (as page_read returned it, edited) or ADF: send the complete page (page_read ' +
        'with truncated false); blocks left out are deleted, so for part of a large page use page_edit. Placeholders and unchanged blocks are restored ' +
        'exactly from expectedVersion, so macros, images, mentions and comment anchors survive. expectedVersion is the version you read. ' +
        'If others saved since, their changes to other blocks are merged in and kept. On success returns the new version and the changed ' +
        'blocks. On conflict (the same block changed by both) nothing is written and the error names the sections, shows theirs and yours, ' +
        'and the current version: re-read with page_read and retry. dryRun returns the block diff without writing.',
      inputSchema: z.object({
        page: z.string().describe('Page id or URL.'),
        expectedVersion: z.number().int().min(1).describe('The version your text was made from (page_read returns it).'),
        markdown: z.string().optional().describe('The whole new body as Markdown; give this or adf.'),
        adf: adfDocInput.optional().describe('The whole new body as ADF; give this or markdown.'),
        title: z.string().optional().describe('A new title.'),
        ...writeOptions,
      }),
      outputSchema: pageWriteSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args) =>
      runWrite(deps, 'page_update', 'Updated', (writer) =>
        writer.update({
          page: args.page,
          baseVersion: args.expectedVersion,
          body: args.adf ? { adf: args.adf as never } : { markdown: splitFrontMatter(args.markdown ?? '').body },
          ...(args.title ? { title: args.title } : {}),
          ...optional(args),
        }),
      ),
  );
}
