import { fromMarkdown } from 'mdast-util-from-markdown';
import { defaultHandlers, toMarkdown, type Options as ToMarkdownOptions, type State, type Unsafe } from 'mdast-util-to-markdown';
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

type SafeConfig = Parameters<State['safe']>[1];

/**
 * The serializer makes every piece of text safe by running each of its sixty-odd "unsafe" patterns
 * over it, a third of the time spent writing a page. A pattern can only match where its own character
 * occurs (in the text or in the context around it), so the serializer's own safe() gets only the
 * patterns in scope whose character is there: the same answer, from a handful of patterns. Text with
 * none of those characters and no backslash is already safe. (Tested against the full list.)
 */
function quickSafe(state: State): State['safe'] {
  const slow = state.safe;
  const scopes = new Map<string, Map<string, Unsafe[]>>();
  const chosen = new Map<string, Unsafe[]>();
  return function safe(value: string | null | undefined, config: SafeConfig) {
    if (!value) return slow.call(state, value, config);
    const stackKey = state.stack.join(' ');
    let byCharacter = scopes.get(stackKey);
    if (!byCharacter) {
      byCharacter = new Map();
      for (const pattern of state.unsafe) {
        if (!inScope(state.stack, pattern)) continue;
        const list = byCharacter.get(pattern.character);
        if (list) list.push(pattern);
        else byCharacter.set(pattern.character, [pattern]);
      }
      scopes.set(stackKey, byCharacter);
    }
    const whole = `${config.before ?? ''}${value}${config.after ?? ''}`;
    let present = '';
    for (const character of byCharacter.keys()) if (whole.includes(character)) present += character;
    if (present === '' && !value.includes('\\')) return value;
    const key = `${stackKey}\u0000${present}`;
    let patterns = chosen.get(key);
    if (!patterns) {
      patterns = [...present].flatMap((character) => byCharacter.get(character)!);
      chosen.set(key, patterns);
    }
    const all = state.unsafe;
    state.unsafe = patterns;
    try {
      return slow.call(state, value, config);
    } finally {
      state.unsafe = all;
    }
  };
}

/** The serializer's own rule for whether an unsafe pattern applies inside these constructs. */
function inScope(stack: readonly string[], pattern: Unsafe): boolean {
  const listed = (list: Unsafe['inConstruct'], none: boolean) => {
    const names = typeof list === 'string' ? [list] : list;
    return !names || names.length === 0 ? none : names.some((name) => stack.includes(name));
  };
  return listed(pattern.inConstruct, true) && !listed(pattern.notInConstruct, false);
}

const quickened = new WeakSet<State>();
let quick = true;
/** Runs `work` with the serializer's own safe() alone (for the test that holds the two equal). */
export function withFullSafe<T>(work: () => T): T {
  quick = false;
  try {
    return work();
  } finally {
    quick = true;
  }
}
const rootWithQuickSafe: NonNullable<ToMarkdownOptions['handlers']>['root'] = (node, parent, state, info) => {
  if (quick && !quickened.has(state)) {
    quickened.add(state);
    state.safe = quickSafe(state);
  }
  return defaultHandlers.root(node, parent, state, info);
};

const stringifyOptions: ToMarkdownOptions = {
  handlers: { root: rootWithQuickSafe },
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
