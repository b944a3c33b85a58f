import { fromMarkdown } from 'mdast-util-from-markdown';
import { toMarkdown, type Options as ToMarkdownOptions } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { directive } from 'micromark-extension-directive';
import { directiveFromMarkdown, directiveToMarkdown } from 'mdast-util-directive';
import type { Root, RootContent } from 'mdast';

/** The dialect: CommonMark + GFM + generic directives, the same extensions both ways. */
const parseExtensions = [gfm(), directive()];
/**
 * Without the tree transform that finds bare addresses in text after parsing: it ignores escapes, so a
 * plain "alice@example.com" written as `alice\@example.com` would come back linked. The tokenizer
 * still links bare addresses people write unescaped.
 */
const parseMdastExtensions = [...gfmFromMarkdown().map(({ transforms: _transforms, ...extension }) => extension), directiveFromMarkdown()];
const stringifyExtensions = [gfmToMarkdown({ tablePipeAlign: false }), directiveToMarkdown()];

export function parseMarkdown(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: parseExtensions, mdastExtensions: parseMdastExtensions });
}

const stringifyOptions: ToMarkdownOptions = {
  extensions: stringifyExtensions,
  fences: true,
  rule: '-',
  emphasis: '*',
  bullet: '-',
  listItemIndent: 'one',
  resourceLink: true,
};

/** One block of Markdown, without the trailing newline. */
export function stringifyBlock(node: RootContent, options: Pick<ToMarkdownOptions, 'bullet' | 'bulletOrdered'> = {}): string {
  const text = toMarkdown({ type: 'root', children: [node] }, { ...stringifyOptions, ...options });
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** A line no block can produce (NUL is not Markdown), to cut one serialization into its blocks. */
const BREAK = '<!--\u0000adf\u0000-->';

/**
 * Many blocks, each as stringifyBlock would write it (lists side by side excepted), in one call: the
 * serializer's set-up costs more than a small block.
 */
export function stringifyBlocks(nodes: RootContent[]): string[] {
  if (nodes.length === 0) return [];
  const children: RootContent[] = [];
  for (const [i, node] of nodes.entries()) {
    if (i > 0) children.push({ type: 'html', value: BREAK });
    children.push(node);
  }
  const text = toMarkdown({ type: 'root', children }, stringifyOptions);
  const blocks = (text.endsWith('\n') ? text.slice(0, -1) : text).split(`\n\n${BREAK}\n\n`);
  if (blocks.length !== nodes.length) return nodes.map((node) => stringifyBlock(node));
  return blocks;
}
