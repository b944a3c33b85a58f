import type { CommandContext } from '../../main.js';
import { EXIT } from '../../exit-codes.js';
import { colors } from '../../io.js';
import { oneLine } from '../../../core/text.js';
import { parseJson, readInput } from './input.js';

export interface ValidateOptions {
  json?: boolean;
}

/** Errors shown to a person; --json gives them all. */
const SHOWN = 20;

export async function run(ctx: CommandContext, options: ValidateOptions, args: string[]): Promise<number> {
  const { io } = ctx;
  const { text, name: source } = await readInput(ctx, args[0], 'an ADF document (JSON)', 'validate');
  // Any JSON: what keeps it from being a document is reported as a mistake like the others.
  const doc = parseJson(text, source);
  // The validator is a megabyte of generated code: loaded only here, never at start-up.
  const { validateAdf } = await import('../../../core/adf/validate.js');
  const result = validateAdf(doc);
  if (options.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return result.valid ? EXIT.ok : EXIT.error;
  }
  const c = colors(io, io.stderr);
  if (result.valid) {
    ctx.say(`${c.green('✓')} ${oneLine(source)} is valid ADF.`);
    return EXIT.ok;
  }
  const count = result.errors.length;
  io.stderr.write(`${c.red('✗')} ${oneLine(source)} is not valid ADF: ${count} ${count === 1 ? 'mistake' : 'mistakes'}, the most useful first.\n`);
  for (const error of result.errors.slice(0, SHOWN)) io.stderr.write(`  ${c.bold(error.path || '/')}  ${oneLine(error.message)}\n`);
  if (count > SHOWN) io.stderr.write(`  … and ${count - SHOWN} more (--json lists them all)\n`);
  return EXIT.error;
}
