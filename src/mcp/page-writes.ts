import { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { AppError } from '../core/errors.js';
import type { ConflictView, WriteResult } from '../core/page-writer.js';
import { stripControl } from '../core/text.js';
import { failure, guarded, ok, type ToolDeps } from './context.js';
import type { PageWriter } from '../core/page-writer.js';

/** What page_create, page_update and page_edit return on success (and the tests check). */
export const pageWriteSchema = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  version: z.number(),
  baseVersion: z.number(),
  written: z.boolean(),
  dryRun: z.boolean(),
  merged: z.boolean(),
  replaced: z.array(z.object({ heading: z.string().optional(), theirs: z.string(), ours: z.string() })),
  changes: z.array(z.object({ index: z.number(), before: z.string(), after: z.string() })),
  counts: z.array(z.number()).optional(),
});

export const adfDocInput = z.looseObject({ type: z.literal('doc'), version: z.number(), content: z.array(z.looseObject({ type: z.string() })) });

/** The success of a write, with a sentence an assistant can act on. */
export function writeOk(result: WriteResult, verb: string): CallToolResult {
  const title = stripControl(result.title);
  const text = result.dryRun
    ? `Dry run: ${result.changes.length} changed stretch(es) of blocks; nothing was sent.\n${result.changes.map((c) => `@@ block ${c.index + 1}\n- ${stripControl(c.before)}\n+ ${stripControl(c.after)}`).join('\n')}`
    : result.written
      ? `${verb} page ${result.id} "${title}": now version ${result.version}${result.merged ? ` (merged with others' changes since version ${result.baseVersion})` : ''}. Pass version ${result.version} as expectedVersion for the next change.`
      : `No change: page ${result.id} "${title}" stays at version ${result.version}.`;
  return ok({ ...result, title, replaced: result.replaced.map((r) => ({ ...r })), changes: result.changes.map((c) => ({ ...c })) }, text);
}

/** A conflict names the sections, shows both sides, and says how to retry; nothing was written. */
export function writeFailed(error: unknown): CallToolResult {
  if (!(error instanceof AppError) || error.code !== 'VERSION_CONFLICT' || !Array.isArray(error.details?.['conflicts'])) return failure(error);
  const current = error.details['currentVersion'];
  const conflicts = error.details['conflicts'] as ConflictView[];
  const blocks = conflicts.map((c) => `In ${c.heading ? `section "${stripControl(c.heading)}"` : 'the top of the page'}:\n--- theirs (version ${String(current)})\n${stripControl(c.theirs) || '(deleted)'}\n--- yours\n${stripControl(c.ours) || '(deleted)'}`);
  return {
    isError: true,
    content: [
      {
        type: 'text',
        text: `${error.message}\n${blocks.join('\n')}\nNext step: call page_read for the current version ${String(current)}, redo your change on it, and call again with expectedVersion ${String(current)}.\n(code: VERSION_CONFLICT)`,
      },
    ],
  };
}

/** The options every write tool takes. */
export const writeOptions = {
  message: z.string().optional().describe('The version comment.'),
  site: z.string().optional().describe('Site URL, name or cloudId (default: the page URL\'s, or the site chosen at sign-in).'),
  dryRun: z.boolean().optional().describe('Return what would change; write nothing.'),
};

/** Runs a write through the core's page writer and renders its success or its conflict. */
export function runWrite(deps: ToolDeps, name: string, verb: string, write: (writer: PageWriter) => Promise<WriteResult>): Promise<CallToolResult> {
  return guarded(deps, name, async () => {
    const core = await deps.core();
    try {
      return writeOk(await write(await core.writer()), verb);
    } catch (error) {
      return writeFailed(error);
    }
  });
}

/** The optional fields of a request, left out when absent. */
export function optional(args: { message?: string | undefined; site?: string | undefined; dryRun?: boolean | undefined }) {
  return { ...(args.message ? { message: args.message } : {}), ...(args.site ? { site: args.site } : {}), ...(args.dryRun ? { dryRun: true } : {}) };
}
