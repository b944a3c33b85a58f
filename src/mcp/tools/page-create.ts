import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import type { ToolDeps } from '../context.js';
import { adfDocInput, optional, pageWriteSchema, runWrite, writeOptions } from '../page-writes.js';

export function register(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'page_create',
    {
      title: 'Create a Confluence page',
      description:
        'Creates a page in a space from Markdown (the dialect page_read returns) or an ADF document, validated before it is sent. ' +
        'On success returns id, title, url and version (1). A title already used in the space is an error (titles are unique per space). ' +
        'dryRun validates and returns the blocks without creating anything.',
      inputSchema: z.object({
        space: z.string().describe('The space key, e.g. ENG.'),
        title: z.string().min(1),
        parent: z.string().optional().describe('Parent page id or URL.'),
        markdown: z.string().optional().describe('The page body as Markdown; give this or adf.'),
        adf: adfDocInput.optional().describe('The page body as an ADF document; give this or markdown.'),
        site: writeOptions.site,
        dryRun: writeOptions.dryRun,
      }),
      outputSchema: pageWriteSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args) =>
      runWrite(deps, 'page_create', 'Created', (writer) =>
        writer.create({
          space: args.space,
          title: args.title,
          body: args.adf ? { adf: args.adf as never } : { markdown: args.markdown ?? '' },
          ...(args.parent ? { parent: args.parent } : {}),
          ...optional(args),
        }),
      ),
  );
}
