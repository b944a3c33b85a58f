import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { colors } from '../../io.js';
import { parseLimit } from '../../flags.js';
import type { Space, SpacesPage } from '../../../core/confluence/spaces.js';

export interface ListOptions {
  site?: string;
  type?: string;
  status?: string;
  keys?: string;
  sort?: string;
  limit?: string;
  all?: boolean;
  cursor?: string;
  json?: boolean;
}

/** Columns for people: key, name, type, status, URL; the name gives way when the terminal is narrow. */
function tableRow(space: Space, width: number | undefined): string {
  const cells = [space.key.padEnd(12), '', (space.type ?? '').padEnd(15), (space.status ?? '').padEnd(9), space.url ?? ''];
  if (width === undefined) return [space.key, space.name, space.type ?? '', space.status ?? '', space.url ?? ''].join('\t');
  const fixed = cells.reduce((n, cell) => n + cell.length + 1, 0);
  const room = Math.max(8, width - fixed - 1);
  cells[1] = (space.name.length > room ? `${space.name.slice(0, room - 1)}…` : space.name).padEnd(Math.min(room, 40));
  const line = cells.join(' ');
  return line.length > width ? line.slice(0, width) : line;
}

export async function run(ctx: CommandContext, options: ListOptions): Promise<number> {
  const { io } = ctx;
  if (options.all && options.cursor) throw usage('--all and --cursor cannot be combined.', 'Use --all for every page, or --cursor for one page.');
  const limit = parseLimit(options.limit, !!options.all);
  const core = await ctx.core();
  const site = await core.site(options.site);
  const query = {
    limit,
    ...(options.type ? { type: options.type } : {}),
    ...(options.status ? { status: options.status } : {}),
    ...(options.keys ? { keys: options.keys.split(',').map((k) => k.trim()).filter(Boolean) } : {}),
    ...(options.sort ? { sort: options.sort } : {}),
    ...(options.cursor ? { cursor: options.cursor } : {}),
  };
  const pages: AsyncIterable<SpacesPage> = options.all
    ? core.allSpaces(site, query)
    : (async function* () {
        yield await core.spacesPage(site, query);
      })();

  const tty = !!io.stdout.isTTY;
  const width = tty ? (io.stdout.columns ?? 100) : undefined;
  const c = colors(io, io.stdout);
  const progress = options.all && io.stderr.isTTY;
  let count = 0;
  let nextCursor: string | undefined;
  if (options.json) io.stdout.write('[');
  for await (const page of pages) {
    // One write per page: a write per space costs a system call each on a pipe.
    let chunk = '';
    for (const space of page.results) {
      if (options.json) chunk += `${count === 0 ? '\n' : ',\n'}  ${JSON.stringify(space)}`;
      else {
        if (count === 0 && tty) chunk += `${c.bold(tableRow({ id: '', key: 'KEY', name: 'NAME', type: 'TYPE', status: 'STATUS', url: 'URL' }, width))}\n`;
        chunk += `${tableRow(space, width)}\n`;
      }
      count++;
    }
    if (chunk) io.stdout.write(chunk);
    nextCursor = page.nextCursor;
    if (progress) io.stderr.write(`\r\x1b[2K${count} spaces…`);
  }
  if (progress) io.stderr.write('\r\x1b[2K');
  if (options.json) io.stdout.write(count === 0 ? ']\n' : '\n]\n');
  else if (count === 0) ctx.say(`No spaces found on ${site.name}${options.type || options.status || options.keys ? ' matching those filters' : ''}.`);
  if (!options.all && nextCursor) ctx.say(`More spaces: --cursor ${nextCursor}  (or --all)`);
  return 0;
}
