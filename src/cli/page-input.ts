import fs from 'node:fs/promises';
import { text as readText } from 'node:stream/consumers';
import { usage } from './main.js';
import type { IO } from './io.js';
import { colors } from './io.js';
import { splitFrontMatter } from '../core/adf/front-matter.js';
import type { AdfDoc } from '../core/adf/types.js';
import type { BlockChange, ConflictView, PageBody, WriteResult } from '../core/page-writer.js';
import { AppError } from '../core/errors.js';
import { stripControl } from '../core/text.js';

export const PAGE_FORMATS = ['markdown', 'adf'] as const;

/** Reads a file (or stdin for `-` or nothing) as Markdown with front matter, or as an ADF document. */
export async function readPageFile(io: IO, file: string | undefined, format: string | undefined, flag = '--file'): Promise<{ meta: Record<string, unknown>; body: PageBody }> {
  const source = file ?? '-';
  if (source === '-' && io.stdin.isTTY) throw usage(`Give the page text with ${flag} FILE, or pipe it in.`, `Run with ${flag} page.md, or \`... | confluence-adf pages ...\`.`);
  let text: string;
  try {
    text = source === '-' ? await readText(io.stdin) : await fs.readFile(source, 'utf8');
  } catch (error) {
    throw usage(`Cannot read ${source}: ${(error as Error).message}`, `Name a readable file with ${flag}.`);
  }
  const adf = format === 'adf' || (format === undefined && (/\.json$/i.test(source) || /^\s*\{/.test(text)));
  if (!adf) {
    const { meta, body } = splitFrontMatter(text);
    return { meta, body: { markdown: body } };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw usage(`${source} is not JSON: ${(error as Error).message}`, 'Pass an ADF document (`pages get --format adf`), or --format markdown.');
  }
  const d = doc as Partial<AdfDoc> | null;
  if (!d || d.type !== 'doc' || !Array.isArray(d.content)) {
    throw usage(`${source} is not an ADF document (no {"type": "doc", "content": [...]}).`, 'Pass an ADF document (`pages get --format adf`), or --format markdown.');
  }
  return { meta: {}, body: { adf: d as AdfDoc } };
}

/** A positive whole number from a flag or the front matter, or undefined. */
export function wholeNumber(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usage(`Invalid ${what} "${String(value)}".`, `Pass ${what} as a whole number from 1.`);
  return n;
}

const indent = (text: string, mark: string) => (text ? text.split('\n').map((l) => `${mark}${stripControl(l)}`).join('\n') : `${mark}(nothing)`);

/** The block diff for people: each changed stretch with what goes and what comes. */
export function printChanges(io: IO, changes: BlockChange[]): void {
  const c = colors(io, io.stdout);
  for (const change of changes) {
    io.stdout.write(`${c.cyan(`@@ block ${change.index + 1} @@`)}\n`);
    if (change.before) io.stdout.write(`${c.red(indent(change.before, '- '))}\n`);
    if (change.after) io.stdout.write(`${c.green(indent(change.after, '+ '))}\n`);
  }
}

/** Shows each conflicting block, theirs and ours, on stderr (the error's message follows). */
export function printConflicts(io: IO, error: AppError): void {
  const conflicts = (error.details?.['conflicts'] ?? []) as ConflictView[];
  const current = error.details?.['currentVersion'];
  const c = colors(io, io.stderr);
  for (const conflict of conflicts) {
    io.stderr.write(`${c.bold(`── conflict${conflict.heading ? ` in "${stripControl(conflict.heading)}"` : ''} ──`)}\n`);
    io.stderr.write(`${c.yellow(`theirs (version ${String(current)}):`)}\n${indent(conflict.theirs, '  ')}\n`);
    io.stderr.write(`${c.yellow('ours:')}\n${indent(conflict.ours, '  ')}\n`);
  }
}

/** The one-line outcome of a write, for people (stderr). */
export function summary(result: WriteResult, verb: 'Created' | 'Updated' | 'Edited'): string {
  const title = stripControl(result.title);
  if (result.dryRun) return `Dry run: ${result.changes.length} changed block stretch${result.changes.length === 1 ? '' : 'es'}; nothing was sent.`;
  if (!result.written) return `No change: page ${result.id} "${title}" stays at version ${result.version}.`;
  const merged = result.merged ? ` (merged with the changes made since version ${result.baseVersion})` : '';
  return `${verb} page ${result.id} "${title}": version ${result.version}${merged}${result.url ? `\n  ${stripControl(result.url)}` : ''}`;
}
