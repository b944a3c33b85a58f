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

/**
 * Markdown to ADF. With a base, each top-level block whose Markdown is what the base renders is the
 * base's node again, untouched; a changed block keeps what the edit did not touch. Throws AppError
 * ADF_MARKDOWN_INVALID (details.line) for a broken directive or a placeholder the base does not know.
 */
export function fromMarkdown(markdown: string, options: FromMarkdownOptions = {}): AdfDoc {
  const source = markdown.replace(/\r\n?/g, '\n');
  const tree = parseMarkdown(source);
  const children = tree.children as unknown as MdNode[];
  const definitions = new Map<string, { url: string; title: string | null }>();
  for (const node of children) {
    if (node.type === 'definition' && !definitions.has(String(node.identifier))) {
      definitions.set(String(node.identifier), { url: String(node.url), title: (node.title as string | null) ?? null });
    }
  }
  const base = options.base;
  const rendering = base ? renderDoc(base) : undefined;
  const state: FromState = { refs: rendering?.refs, source, definitions, restored: new WeakSet(), ids: { next: 1 } };
  if (!base || !rendering) return { type: 'doc', version: 1, content: blocks(children, state, 'doc') };

  const baseContent: AdfNode[] = Array.isArray(base.content) ? base.content : [];
  const positions = new Map<string, number[]>();
  rendering.blocks.forEach((md, i) => {
    const list = positions.get(md);
    if (list) list.push(i);
    else positions.set(md, [i]);
  });
  const slices = children.map((node) => {
    const pos = node.position as { start: { offset: number }; end: { offset: number } };
    return source.slice(pos.start.offset, pos.end.offset);
  });
  const matched = matchInOrder(slices, positions);
  // Convert only the changed blocks; each may give zero or several ADF blocks.
  const fresh: AdfNode[] = [];
  const freshMatched: (number | undefined)[] = [];
  children.forEach((node, i) => {
    if (matched[i] !== undefined) {
      fresh.push(baseContent[matched[i]!]!);
      freshMatched.push(matched[i]);
    } else {
      for (const converted of blocks([node], state, 'doc')) {
        fresh.push(converted);
        freshMatched.push(undefined);
      }
    }
  });
  const content = pairGaps(fresh, baseContent, freshMatched, (node, partner) => (state.restored.has(node) ? node : reconcileNode(node, partner)));
  return { ...base, content } as AdfDoc;
}
