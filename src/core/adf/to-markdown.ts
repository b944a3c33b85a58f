import type { RootContent } from 'mdast';
import type { AdfDoc, AdfNode } from './types.js';
import { RefRegistry } from './refs.js';
import { block, type MdNode } from './to-mdast.js';
import { stringifyBlock, stringifyBlocks } from './markdown.js';

/** A document as Markdown, one string per top-level node, and the placeholders it used. */
export interface Rendering {
  blocks: string[];
  refs: RefRegistry;
}

/** Renders each top-level node on its own, so each block's Markdown is known (and reusable) exactly. */
export function renderDoc(doc: AdfDoc): Rendering {
  const state = { refs: new RefRegistry() };
  const content: AdfNode[] = Array.isArray(doc?.content) ? doc.content : [];
  const trees: MdNode[] = content.map((node) => block(node, state));
  // Two lists in a row would read back as one: the second takes the other bullet, rendered on its own.
  const alone = new Map<number, string>();
  let alternate = false;
  trees.forEach((md, i) => {
    const kind = (n: MdNode | undefined) => (n?.type === 'list' ? (n.ordered ? 'ordered' : 'bullet') : undefined);
    alternate = kind(md) !== undefined && kind(md) === kind(trees[i - 1]) ? !alternate : false;
    if (alternate) alone.set(i, stringifyBlock(md as RootContent, md.ordered ? { bulletOrdered: ')' } : { bullet: '*' }));
  });
  const together = stringifyBlocks(trees.map((md, i) => (alone.has(i) ? ({ type: 'paragraph', children: [] } as MdNode) : md)) as RootContent[]);
  const blocks = together.map((md, i) => alone.get(i) ?? md);
  return { blocks, refs: state.refs };
}

/** ADF as Markdown people and assistants can read and edit; `fromMarkdown` with this document as base gives it back exactly. */
export function toMarkdown(doc: AdfDoc): string {
  const { blocks } = renderDoc(doc);
  return blocks.length ? `${blocks.join('\n\n')}\n` : '';
}
