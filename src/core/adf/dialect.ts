/**
 * The Markdown dialect's vocabulary, shared by both directions: which ADF attributes a construct shows
 * (the others are carried over from the base), and the order marks nest in.
 */

/** Attributes each node type shows in Markdown; any other attribute comes back from the base. */
export const SHOWN_NODE_ATTRS: Record<string, readonly string[]> = {
  heading: ['level'],
  orderedList: ['order'],
  taskItem: ['state'],
  decisionItem: ['state'],
  codeBlock: ['language'],
  panel: ['panelType', 'panelColor', 'panelIcon'],
  expand: ['title'],
  nestedExpand: ['title'],
  mention: ['id', 'text'],
  emoji: ['shortName', 'id', 'text'],
  date: ['timestamp'],
  status: ['text', 'color'],
  inlineCard: ['url'],
  blockCard: ['url'],
  embedCard: ['url', 'layout'],
};

/** Marks Markdown shows, with the attributes it shows; an unknown mark becomes a placeholder. */
export const SHOWN_MARK_ATTRS: Record<string, readonly string[]> = {
  link: ['href', 'title'],
  annotation: ['id', 'annotationType'],
  textColor: ['color'],
  backgroundColor: ['color'],
  subsup: ['type'],
  underline: [],
  strike: [],
  strong: [],
  em: [],
  code: [],
};

/** Outermost first. A mark not listed (a placeholder) sits just inside the link and the comment. */
export const MARK_ORDER = ['link', 'annotation', '*', 'textColor', 'backgroundColor', 'subsup', 'underline', 'strike', 'strong', 'em', 'code'];

export function markRank(type: string): number {
  const i = MARK_ORDER.indexOf(type);
  return i === -1 ? MARK_ORDER.indexOf('*') : i;
}

/** Inline node types; everything else sits where blocks do. */
export const INLINE_TYPES = new Set(['text', 'hardBreak', 'mention', 'emoji', 'date', 'status', 'inlineCard', 'inlineExtension', 'placeholder', 'mediaInline']);

/** Directive names of the dialect (the other names with a `ref` are placeholders). */
export const DIRECTIVE = {
  panel: 'panel',
  expand: 'expand',
  nestedExpand: 'nested-expand',
  decisions: 'decisions',
  decision: 'decision',
  blank: 'blank',
  card: 'card',
  embed: 'embed',
  status: 'status',
  mention: 'mention',
  date: 'date',
  emoji: 'emoji',
  underline: 'u',
  color: 'color',
  background: 'bg',
  sub: 'sub',
  sup: 'sup',
  comment: 'comment',
} as const;

/** Which blocks ADF lets each container hold (what Markdown writes elsewhere is fitted, see from-mdast). */
export const ALLOWED_BLOCKS: Record<string, ReadonlySet<string>> = {
  listItem: new Set(['paragraph', 'bulletList', 'orderedList', 'taskList', 'codeBlock', 'mediaSingle', 'extension']),
  blockquote: new Set(['paragraph', 'orderedList', 'bulletList', 'codeBlock', 'mediaSingle', 'mediaGroup', 'extension']),
  panel: new Set(['paragraph', 'heading', 'bulletList', 'orderedList', 'blockCard', 'mediaGroup', 'mediaSingle', 'codeBlock', 'taskList', 'rule', 'decisionList', 'extension']),
  nestedExpand: new Set(['paragraph', 'heading', 'mediaGroup', 'mediaSingle', 'codeBlock', 'bulletList', 'orderedList', 'taskList', 'decisionList', 'rule', 'panel', 'blockquote', 'extension']),
  tableCell: new Set(['paragraph', 'panel', 'blockquote', 'orderedList', 'bulletList', 'rule', 'heading', 'codeBlock', 'mediaGroup', 'mediaSingle', 'decisionList', 'taskList', 'blockCard', 'embedCard', 'extension', 'nestedExpand']),
};
ALLOWED_BLOCKS.tableHeader = ALLOWED_BLOCKS.tableCell!;
ALLOWED_BLOCKS.expand = new Set([...ALLOWED_BLOCKS.nestedExpand!, 'table', 'nestedExpand', 'embedCard', 'blockCard', 'mediaInline']);
