import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { colors } from '../../io.js';
import { printChanges, printConflicts, readPageFile, summary, wholeNumber } from '../../page-input.js';
import { AppError } from '../../../core/errors.js';
import type { EditSpec } from '../../../core/page-writer.js';
import type { AdfNode } from '../../../core/adf/types.js';

export interface EditOptions {
  section?: string;
  replace?: string;
  append?: string;
  insertAfter?: string;
  delete?: boolean;
  find?: string;
  replaceText?: string;
  all?: boolean;
  format?: string;
  expectedVersion?: string;
  message?: string;
  site?: string;
  dryRun?: boolean;
  json?: boolean;
}

async function content(ctx: CommandContext, file: string, format: string | undefined): Promise<{ markdown: string } | { adf: AdfNode[] }> {
  const { body } = await readPageFile(ctx.io, file, format, 'the section file');
  return 'adf' in body ? { adf: body.adf.content } : { markdown: body.markdown };
}

/** The one edit the flags describe; a usage error when they describe none or several. */
async function editFrom(ctx: CommandContext, o: EditOptions): Promise<EditSpec> {
  const sectionOps = [o.replace !== undefined, o.append !== undefined, o.insertAfter !== undefined, !!o.delete].filter(Boolean).length;
  if (o.find !== undefined) {
    if (o.section !== undefined || sectionOps) throw usage('--find cannot be combined with --section.', 'Run one edit at a time.');
    if (o.replaceText === undefined) throw usage('--find needs --replace-text.', 'Pass --replace-text "new text" (empty to delete the text).');
    return { op: 'findReplace', find: o.find, replace: o.replaceText, ...(o.all ? { all: true } : {}) };
  }
  if (o.section === undefined) throw usage('Say what to edit: --section HEADING or --find TEXT.', 'e.g. --section "Risks" --replace risks.md, or --find "Q3" --replace-text "Q4".');
  if (sectionOps !== 1) throw usage('With --section, pass exactly one of --replace FILE, --append FILE, --insert-after FILE, --delete.', 'e.g. --section "Risks" --append more-risks.md');
  if (o.delete) return { op: 'deleteSection', heading: o.section };
  const [op, file] = o.replace !== undefined ? (['replaceSection', o.replace] as const) : o.append !== undefined ? (['appendToSection', o.append] as const) : (['insertAfterSection', o.insertAfter!] as const);
  return { op, heading: o.section, ...(await content(ctx, file, o.format)) };
}

export async function run(ctx: CommandContext, options: EditOptions, args: string[]): Promise<number> {
  const { io } = ctx;
  const edit = await editFrom(ctx, options);
  const expectedVersion = wholeNumber(options.expectedVersion, '--expected-version');
  const core = await ctx.core();
  try {
    const result = await (await core.writer()).edit({
      page: args[0]!,
      edits: [edit],
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      ...(options.message ? { message: options.message } : {}),
      ...(options.site ? { site: options.site } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
    });
    if (options.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (options.dryRun) printChanges(io, result.changes);
    const count = result.counts?.[0] ?? 0;
    const what = edit.op === 'findReplace' ? `${count} replacement${count === 1 ? '' : 's'}` : `${count} block${count === 1 ? '' : 's'}`;
    ctx.say(`${colors(io, io.stderr).green('✓')} ${summary(result, 'Edited')} (${what})`);
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.code === 'VERSION_CONFLICT' && !options.json) printConflicts(io, error);
    throw error;
  }
}
