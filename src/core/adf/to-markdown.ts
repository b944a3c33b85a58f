import type { RootContent } from 'mdast';
import type { AdfDoc, AdfNode } from './types.js';
import { RefRegistry } from './refs.js';
import { block } from './to-mdast.js';
import { stringifyBlock } from './markdown.js';

/** A document as Markdown, one string per top-level node, and the placeholders it used. */
export interface Rendering {
  blocks: string[];
  refs: RefRegistry;
}

/** Renders each top-level node on its own, so each block's Markdown is known (and reusable) exactly. */
export function renderDoc(doc: AdfDoc): Rendering {
  const state = { refs: new RefRegistry() };
  const content: AdfNode[] = Array.isArray(doc?.content) ? doc.content : [];
  const blocks: string[] = [];
  let previousList: string | undefined;
  let alternate = false;
  for (const node of content) {
    const md = block(node, state);
    // Two lists in a row would read back as one: the second takes the other bullet.
    const list = md.type === 'list' ? (md.ordered ? 'ordered' : 'bullet') : undefined;
    alternate = list !== undefined && list === previousList ? !alternate : false;
    previousList = list;
    const options = alternate ? (list === 'ordered' ? { bulletOrdered: ')' as const } : { bullet: '*' as const }) : { bullet: '-' as const };
    blocks.push(stringifyBlock(md as RootContent, options));
  }
  return { blocks, refs: state.refs };
}

/** ADF as Markdown people and assistants can read and edit; `fromMarkdown` with this document as base gives it back exactly. */
export function toMarkdown(doc: AdfDoc): string {
  const { blocks } = renderDoc(doc);
  return blocks.length ? `${blocks.join('\n\n')}\n` : '';
}
