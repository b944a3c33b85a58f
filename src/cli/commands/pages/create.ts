import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { colors } from '../../io.js';
import { printChanges, readPageFile, summary } from '../../page-input.js';

export interface CreateOptions {
  space?: string;
  title?: string;
  parent?: string;
  file?: string;
  format?: string;
  site?: string;
  dryRun?: boolean;
  json?: boolean;
}

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

export async function run(ctx: CommandContext, options: CreateOptions): Promise<number> {
  const { io } = ctx;
  const { meta, body } = await readPageFile(io, options.file, options.format);
  const space = options.space ?? text(meta['space']);
  const title = options.title ?? text(meta['title']);
  const parent = options.parent ?? text(meta['parent']);
  if (!space) throw usage('Name the space of the new page.', 'Pass --space KEY (or `space:` in the front matter).');
  if (!title?.trim()) throw usage('Name the title of the new page.', 'Pass --title "..." (or `title:` in the front matter).');
  const core = await ctx.core();
  const result = await (await core.writer()).create({
    space,
    title,
    body,
    ...(parent ? { parent } : {}),
    ...(options.site ? { site: options.site } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
  if (options.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (options.dryRun) printChanges(io, result.changes);
  ctx.say(`${colors(io, io.stderr).green('✓')} ${summary(result, 'Created')}`);
  return 0;
}
