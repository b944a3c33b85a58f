import { diffChars } from 'diff';
import { AppError } from '../errors.js';
import { findSection, headingText, type Section } from './index.js';
import type { AdfDoc, AdfNode } from './types.js';

/** One edit made on a page's ADF without going through Markdown. */
export type PageEdit =
  | { op: 'replaceSection'; heading: string; content: AdfNode[] }
  | { op: 'appendToSection'; heading: string; content: AdfNode[] }
  | { op: 'insertAfterSection'; heading: string; content: AdfNode[] }
  | { op: 'deleteSection'; heading: string }
  | { op: 'findReplace'; find: string; replace: string; all?: boolean };

export interface EditResult {
  doc: AdfDoc;
  /** Per edit: how many places it changed (blocks for a section, occurrences for a find/replace). */
  counts: number[];
}

/** Applies the edits in order, each to the result of the one before. The input is not modified. */
export function applyEdits(doc: AdfDoc, edits: readonly PageEdit[]): EditResult {
  let current = doc;
  const counts: number[] = [];
  for (const edit of edits) {
    const { doc: next, count } = applyEdit(current, edit);
    current = next;
    counts.push(count);
  }
  return { doc: current, counts };
}

function applyEdit(doc: AdfDoc, edit: PageEdit): { doc: AdfDoc; count: number } {
  if (edit.op === 'findReplace') return findReplace(doc, edit.find, edit.replace, edit.all ?? false);
  const section = locateSection(doc, edit.heading);
  const blocks = doc.content;
  const splice = (start: number, end: number, insert: AdfNode[]) => ({
    doc: { ...doc, content: [...blocks.slice(0, start), ...insert, ...blocks.slice(end)] },
    count: Math.max(end - start, insert.length),
  });
  switch (edit.op) {
    case 'deleteSection':
      return splice(section.index, section.end, []);
    case 'replaceSection':
      // New content that starts with a heading replaces the heading too; otherwise the heading
      // (with its localId and any comment anchored on it) stays and only the body is replaced.
      return edit.content[0]?.type === 'heading'
        ? splice(section.index, section.end, edit.content)
        : splice(section.index + 1, section.end, edit.content);
    case 'appendToSection': {
      // The section's own text ends where its first subsection starts.
      let end = section.index + 1;
      while (end < section.end && blocks[end]!.type !== 'heading') end++;
      return splice(end, end, edit.content);
    }
    case 'insertAfterSection':
      return splice(section.end, section.end, edit.content);
  }
}

/**
 * The section under a heading; `Parent > Heading` finds a heading inside its parent's section, and
 * an ambiguous heading lists every candidate with its parents, so the caller can name one that way.
 */
export function locateSection(doc: AdfDoc, heading: string): Section {
  const parts = heading.split(' > ');
  if (parts.length > 1) {
    const parent = locateSection(doc, parts.slice(0, -1).join(' > '));
    const inner = findSection({ ...doc, content: doc.content.slice(parent.index + 1, parent.end) }, parts.at(-1)!);
    return { index: inner.index + parent.index + 1, end: inner.end + parent.index + 1, level: inner.level };
  }
  try {
    return findSection(doc, heading);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'SECTION_AMBIGUOUS') throw error;
    const paths = headingPaths(doc);
    const candidates = ((error.details?.['candidates'] ?? []) as { index: number }[]).map((c) => ({ ...c, path: paths.get(c.index) ?? '' }));
    throw new AppError('SECTION_AMBIGUOUS', `${error.message} Candidates: ${candidates.map((c) => `"${c.path}"`).join(', ')}.`, {
      hint: 'Name the heading with its parent, as in "Parent > Heading".',
      details: { ...error.details, candidates },
    });
  }
}

/** Each top-level heading's index with its path of parent headings ("Design > Notes"). */
function headingPaths(doc: AdfDoc): Map<number, string> {
  const paths = new Map<number, string>();
  const trail: { level: number; text: string }[] = [];
  doc.content.forEach((block, index) => {
    const level = block.attrs?.['level'];
    if (block.type !== 'heading' || typeof level !== 'number') return;
    while (trail.length && trail.at(-1)!.level >= level) trail.pop();
    trail.push({ level, text: headingText(block) });
    paths.set(index, trail.map((t) => t.text).join(' > '));
  });
  return paths;
}

/** Where the text of a document's text nodes holds `find`; matches never cross a block or a non-text node. */
export function countOccurrences(doc: AdfNode, find: string): number {
  let count = 0;
  visitRuns(doc, (run) => {
    count += matchesIn(run.map((n) => n.text ?? '').join(''), find).length;
  });
  return count;
}

function visitRuns(node: AdfNode, onRun: (run: AdfNode[]) => void): void {
  const children = node.content;
  if (!children) return;
  let run: AdfNode[] = [];
  for (const child of children) {
    if (child.type === 'text' && typeof child.text === 'string') run.push(child);
    else {
      if (run.length) onRun(run);
      run = [];
      visitRuns(child, onRun);
    }
  }
  if (run.length) onRun(run);
}

function matchesIn(text: string, find: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(find); i !== -1; i = text.indexOf(find, i + find.length)) at.push(i);
  return at;
}

/**
 * Replaces `find` by `replace` in the text of the document. A match may span text nodes with
 * different marks: the characters the replacement keeps keep their marks, and inserted characters
 * take the marks of the character before them (as typing would), so links, emphasis and
 * inline-comment anchors survive. Nothing found, or several matches without `all`, is an error.
 */
export function findReplace(doc: AdfDoc, find: string, replace: string, all: boolean): { doc: AdfDoc; count: number } {
  if (find === '') throw new AppError('USAGE', 'The text to find is empty.', { hint: 'Pass the text to find with --find.' });
  const count = countOccurrences(doc, find);
  if (count === 0) {
    throw new AppError('TEXT_NOT_FOUND', `The page does not contain "${find}".`, {
      hint: 'Check the text as the page shows it (`confluence-adf pages get`); matches are case-sensitive.',
      details: { find },
    });
  }
  if (count > 1 && !all) {
    throw new AppError('TEXT_AMBIGUOUS', `The page contains "${find}" ${count} times.`, {
      hint: 'Pass --all to replace every one, or a longer text that occurs once.',
      details: { find, count },
    });
  }
  return { doc: replaceIn(doc, find, replace) as AdfDoc, count };
}

function replaceIn(node: AdfNode, find: string, replace: string): AdfNode {
  const children = node.content;
  if (!children) return node;
  const out: AdfNode[] = [];
  let changed = false;
  let run: AdfNode[] = [];
  const flush = () => {
    if (!run.length) return;
    const next = replaceInRun(run, find, replace);
    if (next !== run) changed = true;
    out.push(...next);
    run = [];
  };
  for (const child of children) {
    if (child.type === 'text' && typeof child.text === 'string') {
      run.push(child);
      continue;
    }
    flush();
    const next = replaceIn(child, find, replace);
    if (next !== child) changed = true;
    out.push(next);
  }
  flush();
  return changed ? { ...node, content: out } : node;
}

/** A run of text nodes with every match replaced; the same array when nothing matched. */
function replaceInRun(run: AdfNode[], find: string, replace: string): AdfNode[] {
  const text = run.map((n) => n.text!).join('');
  const matches = matchesIn(text, find);
  if (!matches.length) return run;
  // Which text node each character of the run came from.
  const owner: number[] = [];
  run.forEach((n, i) => {
    for (let k = 0; k < n.text!.length; k++) owner.push(i);
  });
  const pieces: { from: number; text: string }[] = [];
  const emit = (from: number, chars: string) => {
    const last = pieces.at(-1);
    if (last && last.from === from) last.text += chars;
    else pieces.push({ from, text: chars });
  };
  const copy = (start: number, end: number) => {
    for (let p = start; p < end; p++) emit(owner[p]!, text[p]!);
  };
  let cursor = 0;
  for (const at of matches) {
    copy(cursor, at);
    let pos = at;
    for (const part of diffChars(find, replace)) {
      if (part.added) {
        const from = pos > at ? owner[pos - 1]! : owner[Math.min(pos, text.length - 1)]!;
        emit(from, part.value);
      } else if (part.removed) {
        pos += part.value.length;
      } else {
        copy(pos, pos + part.value.length);
        pos += part.value.length;
      }
    }
    cursor = at + find.length;
  }
  copy(cursor, text.length);
  return pieces.filter((p) => p.text !== '').map((p) => ({ ...run[p.from]!, text: p.text }));
}

