import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { colors } from '../../io.js';
import { printChanges, printConflicts, readPageFile, summary, wholeNumber } from '../../page-input.js';
import { AppError } from '../../../core/errors.js';
import { parsePageRef } from '../../../core/confluence/page-ref.js';

export interface UpdateOptions {
  file?: string;
  format?: string;
  baseVersion?: string;
  title?: string;
  message?: string;
  site?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

export async function run(ctx: CommandContext, options: UpdateOptions, args: string[]): Promise<number> {
  const { io } = ctx;
  const page = args[0]!;
  const { meta, body } = await readPageFile(io, options.file, options.format);
  // A file read from one page must not land on another.
  const fileId = meta['id'] === undefined ? undefined : String(meta['id']);
  if (fileId && fileId !== parsePageRef(page).id) {
    throw usage(`The file is page ${fileId} (its front matter says so), not ${parsePageRef(page).id}.`, `Update page ${fileId}, or remove the id line from the front matter.`);
  }
  const baseVersion = wholeNumber(options.baseVersion, '--base-version') ?? wholeNumber(meta['version'], 'the front matter version');
  const title = options.title ?? (typeof meta['title'] === 'string' ? meta['title'] : undefined);
  const core = await ctx.core();
  try {
    const result = await (await core.writer()).update({
      page,
      body,
      ...(baseVersion !== undefined ? { baseVersion } : {}),
      ...(title !== undefined ? { title } : {}),
      ...(options.message ? { message: options.message } : {}),
      ...(options.site ? { site: options.site } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.force ? { force: true } : {}),
    });
    if (options.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (options.dryRun) printChanges(io, result.changes);
    const c = colors(io, io.stderr);
    for (const r of result.replaced) ctx.say(`${c.yellow('!')} --force replaced their change${r.heading ? ` in "${r.heading}"` : ''}.`);
    ctx.say(`${c.green('✓')} ${summary(result, 'Updated')}`);
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.code === 'VERSION_CONFLICT') {
      if (options.json) io.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message, hint: error.hint, details: error.details } }, null, 2)}\n`);
      else printConflicts(io, error);
    }
    throw error;
  }
}
