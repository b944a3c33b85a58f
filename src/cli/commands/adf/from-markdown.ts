import fs from 'node:fs/promises';
import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { inFile, parseAdf, readInput } from './input.js';

export interface FromMarkdownOptions {
  base?: string;
}

export async function run(ctx: CommandContext, options: FromMarkdownOptions, args: string[]): Promise<number> {
  let base;
  if (options.base !== undefined) {
    let text: string;
    try {
      text = await fs.readFile(options.base, 'utf8');
    } catch (error) {
      throw usage(`Cannot read --base ${options.base}: ${(error as Error).message}`, 'Pass the ADF file the Markdown was made from (the input of `adf to-markdown`).');
    }
    base = parseAdf(text, options.base);
  }
  const input = await readInput(ctx, args[0], 'Markdown', 'from-markdown');
  const { fromMarkdown } = await import('../../../core/adf/index.js');
  let doc;
  try {
    doc = fromMarkdown(input.text, base ? { base } : {});
  } catch (error) {
    throw inFile(error, input.name);
  }
  ctx.io.stdout.write(`${JSON.stringify(doc)}\n`);
  return 0;
}
