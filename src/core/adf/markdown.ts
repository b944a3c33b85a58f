import { fromMarkdown } from 'mdast-util-from-markdown';
import { toMarkdown, type Options as ToMarkdownOptions } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { directive } from 'micromark-extension-directive';
import { directiveFromMarkdown, directiveToMarkdown } from 'mdast-util-directive';
import type { Root, RootContent } from 'mdast';

/** The dialect: CommonMark + GFM + generic directives, the same extensions both ways. */
const parseExtensions = [gfm(), directive()];
const parseMdastExtensions = [gfmFromMarkdown(), directiveFromMarkdown()];
const stringifyExtensions = [gfmToMarkdown({ tablePipeAlign: false }), directiveToMarkdown()];

export function parseMarkdown(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: parseExtensions, mdastExtensions: parseMdastExtensions });
}

/** One block of Markdown, without the trailing newline. */
export function stringifyBlock(node: RootContent, options: Pick<ToMarkdownOptions, 'bullet' | 'bulletOrdered'> = {}): string {
  const text = toMarkdown({ type: 'root', children: [node] }, {
    extensions: stringifyExtensions,
    fences: true,
    rule: '-',
    emphasis: '*',
    listItemIndent: 'one',
    resourceLink: true,
    ...options,
  });
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
