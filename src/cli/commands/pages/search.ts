import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { colors } from '../../io.js';
import { parseLimit } from '../../flags.js';
import { oneLine } from '../../../core/text.js';
import { buildCql, type SearchHit, type SearchPage } from '../../../core/confluence/search.js';

export interface SearchOptions {
  text?: string;
  title?: string;
  space?: string;
  limit?: string;
  all?: boolean;
  cursor?: string;
  json?: boolean;
  site?: string;
}

/** Columns for people: id, title, space, last modified, URL; the title gives way on a narrow terminal. */
function row(hit: Pick<SearchHit, 'id' | 'title' | 'space' | 'lastModified' | 'url'>, width: number | undefined): string {
  const title = oneLine(hit.title);
  const cells = [hit.id, title, oneLine(hit.space ?? ''), (hit.lastModified ?? '').slice(0, 10), oneLine(hit.url ?? '')];
  if (width === undefined) return cells.join('\t');
  const fixed = [cells[0]!.padEnd(10), '', cells[2]!.padEnd(8), cells[3]!.padEnd(10), cells[4]!];
  const room = Math.max(8, width - fixed.reduce((n, c) => n + c.length + 1, 0) - 1);
  fixed[1] = (title.length > room ? `${title.slice(0, room - 1)}…` : title).padEnd(Math.min(room, 40));
  const line = fixed.join(' ');
  return line.length > width ? line.slice(0, width) : line;
}

export async function run(ctx: CommandContext, options: SearchOptions, args: string[]): Promise<number> {
  const { io } = ctx;
  if (options.all && options.cursor) throw usage('--all and --cursor cannot be combined.', 'Use --all for every result, or --cursor for one page of them.');
  const limit = parseLimit(options.limit, !!options.all);
  const cql = buildCql({
    ...(args[0] ? { cql: args[0] } : {}),
    ...(options.text ? { text: options.text } : {}),
    ...(options.title ? { title: options.title } : {}),
    ...(options.space ? { space: options.space } : {}),
  });
  const core = await ctx.core();
  const site = await core.site(options.site);
  const pages: AsyncIterable<SearchPage> = options.all
    ? core.search.all(site, cql, { limit })
    : (async function* () {
        yield await core.search.page(site, cql, { limit, ...(options.cursor ? { cursor: options.cursor } : {}) });
      })();
  const tty = !!io.stdout.isTTY;
  const width = tty ? (io.stdout.columns ?? 100) : undefined;
  const c = colors(io, io.stdout);
  const progress = options.all && io.stderr.isTTY;
  let count = 0;
  let nextCursor: string | undefined;
  if (options.json) io.stdout.write('[');
  for await (const page of pages) {
    let chunk = '';
    for (const hit of page.results) {
      if (options.json) chunk += `${count === 0 ? '\n' : ',\n'}  ${JSON.stringify(hit)}`;
      else {
        if (count === 0 && tty) chunk += `${c.bold(row({ id: 'ID', title: 'TITLE', space: 'SPACE', lastModified: 'MODIFIED', url: 'URL' }, width))}\n`;
        chunk += `${row(hit, width)}\n`;
      }
      count++;
    }
    io.stdout.write(chunk);
    nextCursor = page.nextCursor;
    if (progress) io.stderr.write(`\r\x1b[2K${count} pages…`);
  }
  if (progress) io.stderr.write('\r\x1b[2K');
  if (options.json) io.stdout.write(count === 0 ? ']\n' : '\n]\n');
  else if (count === 0) ctx.say(`Nothing on ${site.name} matches ${cql}.`);
  if (!options.all && nextCursor) ctx.say(`More results: --cursor ${nextCursor}  (or --all)`);
  return 0;
}
