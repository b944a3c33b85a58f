import type { IO } from './io.js';
import { colors } from './io.js';

/** How one kind of result is drawn for people: a header row and one row per item, fitted to a width. */
export interface TableRows<T> {
  /** What the progress line counts ("spaces", "pages"). */
  noun: string;
  header: (width: number | undefined) => string;
  row: (item: T, width: number | undefined) => string;
}

/**
 * Streams cursor pages of results to stdout as they arrive: one JSON array for `--json`, else a table
 * (a bold header on a terminal, tab-separated rows in a pipe), with a progress count on a terminal's
 * stderr while `--all` walks. One write per page: a write per item costs a system call each on a pipe.
 */
export async function writePaged<T>(
  io: IO,
  pages: AsyncIterable<{ results: T[]; nextCursor?: string | undefined }>,
  options: { json?: boolean; all?: boolean },
  table: TableRows<T>,
): Promise<{ count: number; nextCursor: string | undefined }> {
  const tty = !!io.stdout.isTTY;
  const width = tty ? (io.stdout.columns ?? 100) : undefined;
  const c = colors(io, io.stdout);
  const progress = options.all && io.stderr.isTTY;
  let count = 0;
  let nextCursor: string | undefined;
  if (options.json) io.stdout.write('[');
  for await (const page of pages) {
    let chunk = '';
    for (const item of page.results) {
      if (options.json) chunk += `${count === 0 ? '\n' : ',\n'}  ${JSON.stringify(item)}`;
      else {
        if (count === 0 && tty) chunk += `${c.bold(table.header(width))}\n`;
        chunk += `${table.row(item, width)}\n`;
      }
      count++;
    }
    if (chunk) io.stdout.write(chunk);
    nextCursor = page.nextCursor;
    if (progress) io.stderr.write(`\r\x1b[2K${count} ${table.noun}…`);
  }
  if (progress) io.stderr.write('\r\x1b[2K');
  if (options.json) io.stdout.write(count === 0 ? ']\n' : '\n]\n');
  return { count, nextCursor };
}
