import type { AdfDoc, AdfNode } from './types.js';
import type { MdNode } from './to-mdast.js';
import { parseMarkdown } from './markdown.js';
import { renderDoc } from './to-markdown.js';
import { blocks, type FromState } from './from-mdast.js';
import { matchInOrder, pairGaps, reconcileNode } from './reconcile.js';

export interface FromMarkdownOptions {
  /** The document the Markdown came from: its unchanged blocks and its placeholders come back exactly. */
  base?: AdfDoc;
}

type Definitions = FromState['definitions'];

function collectDefinitions(children: MdNode[], into: Definitions): void {
  for (const node of children) {
    if (node.type === 'definition' && !into.has(String(node.identifier))) {
      into.set(String(node.identifier), { url: String(node.url), title: (node.title as string | null) ?? null });
    }
  }
}

function sliceOf(source: string, node: MdNode): string {
  const pos = node.position as { start: { offset: number }; end: { offset: number } };
  return source.slice(pos.start.offset, pos.end.offset);
}

/**
 * The part of the Markdown that differs from the base's rendering: whole blocks at the start and at
 * the end that are the base's own, word for word, need no parsing. `before`/`after` count those blocks;
 * `from`/`to` bound the rest in the source.
 */
function unchangedEnds(source: string, rendered: string[]): { before: number; after: number; from: number; to: number } {
  let before = 0;
  let from = 0;
  while (before < rendered.length && source.startsWith(rendered[before]!, from) && source.startsWith('\n\n', from + rendered[before]!.length)) {
    from += rendered[before]!.length + 2;
    before++;
  }
  // Indented text after a block may continue it (a list item): then that block is not settled.
  while (before > 0 && /^[ \t]/.test(source.slice(from, from + 1))) {
    before--;
    from -= rendered[before]!.length + 2;
  }
  let to = source.length;
  while (to > from && source[to - 1] === '\n') to--;
  let after = 0;
  while (after < rendered.length - before) {
    const block = rendered[rendered.length - 1 - after]!;
    const start = to - block.length;
    if (start < from || source.slice(start, to) !== block) break;
    if (start === from) {
      after++;
      to = start;
      break;
    }
    if (start - 2 < from || source.slice(start - 2, start) !== '\n\n') break;
    after++;
    to = start - 2;
  }
  return { before, after, from, to: Math.max(from, to) };
}

/**
 * Markdown to ADF. With a base, each top-level block whose Markdown is what the base renders is the
 * base's node again, untouched; a changed block keeps what the edit did not touch. Throws AppError
 * ADF_MARKDOWN_INVALID (details.line) for a broken directive or a placeholder the base does not know.
 */
export function fromMarkdown(markdown: string, options: FromMarkdownOptions = {}): AdfDoc {
  const source = markdown.replace(/\r\n?/g, '\n');
  const base = options.base;
  if (!base) {
    const children = parseMarkdown(source).children as unknown as MdNode[];
    const definitions: Definitions = new Map();
    collectDefinitions(children, definitions);
    const state: FromState = { refs: undefined, source, definitions, restored: new WeakSet(), ids: { next: 1 } };
    return { type: 'doc', version: 1, content: blocks(children, state, 'doc') };
  }

  const rendering = renderDoc(base);
  const baseContent: AdfNode[] = Array.isArray(base.content) ? base.content : [];
  const rendered = rendering.blocks;
  // Parse only what changed, unless a link definition could reach across (then everything).
  const hasDefinitions = /^ {0,3}\[[^\]\n]+\]:/m.test(source);
  const ends = hasDefinitions ? { before: 0, after: 0, from: 0, to: source.length } : unchangedEnds(source, rendered);
  let region = ends;
  let text = source;
  let children: MdNode[] = [];
  if (ends.before > 0 || ends.after > 0) {
    // The changed part, parsed with the unchanged block on each side to prove the cut is clean, and
    // padded with newlines so that lines in errors are the file's.
    const left = ends.before > 0 ? rendered[ends.before - 1]! : undefined;
    const right = ends.after > 0 ? rendered[rendered.length - ends.after]! : undefined;
    const middle = source.slice(ends.from, ends.to);
    const start = left === undefined ? ends.from : ends.from - left.length - 2;
    const padding = '\n'.repeat(source.slice(0, start).split('\n').length - 1);
    text = `${padding}${left === undefined ? '' : `${left}\n\n`}${middle}${right === undefined ? '' : `\n\n${right}`}\n`;
    const parsed = parseMarkdown(text).children as unknown as MdNode[];
    const first = left === undefined ? 0 : 1;
    const last = right === undefined ? parsed.length : parsed.length - 1;
    const clean = (left === undefined || (parsed.length > 0 && sliceOf(text, parsed[0]!) === left)) && (right === undefined || (parsed.length > first && sliceOf(text, parsed[parsed.length - 1]!) === right));
    if (clean) children = parsed.slice(first, last);
    else region = { before: 0, after: 0, from: 0, to: source.length };
  }
  if (region.before === 0 && region.after === 0) {
    text = source;
    children = parseMarkdown(source).children as unknown as MdNode[];
  }
  const definitions: Definitions = new Map();
  collectDefinitions(children, definitions);
  const state: FromState = { refs: rendering.refs, source: text, definitions, restored: new WeakSet(), ids: { next: 1 } };

  // The changed part's blocks, matched against the base blocks between the unchanged ends.
  const lastMiddle = rendered.length - region.after;
  const positions = new Map<string, number[]>();
  for (let i = region.before; i < lastMiddle; i++) {
    const list = positions.get(rendered[i]!);
    if (list) list.push(i);
    else positions.set(rendered[i]!, [i]);
  }
  const matched = matchInOrder(children.map((node) => sliceOf(text, node)), positions);
  const fresh: AdfNode[] = [];
  const freshMatched: (number | undefined)[] = [];
  for (let i = 0; i < region.before; i++) {
    fresh.push(baseContent[i]!);
    freshMatched.push(i);
  }
  children.forEach((node, i) => {
    if (matched[i] !== undefined) {
      fresh.push(baseContent[matched[i]!]!);
      freshMatched.push(matched[i]);
    } else {
      // Only a changed block is converted; it may give zero or several ADF blocks.
      for (const converted of blocks([node], state, 'doc')) {
        fresh.push(converted);
        freshMatched.push(undefined);
      }
    }
  });
  for (let i = lastMiddle; i < rendered.length; i++) {
    fresh.push(baseContent[i]!);
    freshMatched.push(i);
  }
  const content = pairGaps(fresh, baseContent, freshMatched, (node, partner) => (state.restored.has(node) ? node : reconcileNode(node, partner)));
  return { ...base, content } as AdfDoc;
}
