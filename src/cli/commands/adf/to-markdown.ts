import type { CommandContext } from '../../main.js';
import { parseAdf, readInput } from './input.js';

export async function run(ctx: CommandContext, _options: object, args: string[]): Promise<number> {
  const input = await readInput(ctx, args[0], 'an ADF document (JSON)', 'to-markdown');
  const doc = parseAdf(input.text, input.name);
  const { toMarkdown } = await import('../../../core/adf/index.js');
  ctx.io.stdout.write(toMarkdown(doc));
  return 0;
}
