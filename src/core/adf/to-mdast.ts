/**
 * ADF -> mdast: one small handler per node type, gathered in one map. A node a handler cannot show
 * exactly (or an unknown one) becomes a placeholder directive whose `ref` names the original JSON,
 * with any text the node holds still shown inside it.
 */
import type { AdfMark, AdfNode } from './types.js';
import { RefRegistry } from './refs.js';
import { DIRECTIVE, INLINE_TYPES, markRank } from './dialect.js';

/** A loosely typed mdast node: the trees are built here and handed to mdast-util-to-markdown. */
export interface MdNode {
  type: string;
  children?: MdNode[];
  value?: string;
  [key: string]: unknown;
}

export interface ToState {
  refs: RefRegistry;
}

type BlockHandler = (node: AdfNode, state: ToState) => MdNode | undefined;

const NODE_KEYS = new Set(['type', 'attrs', 'content', 'marks', 'text']);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A node whose shape the handlers may trust; anything else is carried as a placeholder. */
function wellFormed(node: unknown): node is AdfNode {
  if (!isRecord(node) || typeof node.type !== 'string') return false;
  for (const key of Object.keys(node)) if (!NODE_KEYS.has(key)) return false;
  if (node.attrs !== undefined && !isRecord(node.attrs)) return false;
  if (node.content !== undefined && !(Array.isArray(node.content) && node.content.every((c) => isRecord(c) && typeof c.type === 'string'))) return false;
  if (node.marks !== undefined && !(Array.isArray(node.marks) && node.marks.every((m) => isRecord(m) && typeof m.type === 'string' && (m.attrs === undefined || isRecord(m.attrs))))) return false;
  return true;
}

const text = (value: string): MdNode => ({ type: 'text', value });
const attr = (node: AdfNode, key: string): unknown => node.attrs?.[key];
const str = (value: unknown): value is string => typeof value === 'string';

function directive(type: 'containerDirective' | 'leafDirective' | 'textDirective', name: string, attributes: Record<string, string>, children: MdNode[] = []): MdNode {
  return { type, name, attributes, children };
}

/** The label of a container directive is its first paragraph, flagged. */
function containerLabel(value: string): MdNode[] {
  return value ? [{ type: 'paragraph', data: { directiveLabel: true }, children: [text(value)] }] : [];
}

/** A short human label for a node Markdown cannot show: its title, key, file name or address. */
function shortLabel(node: Record<string, unknown>): string {
  const attrs = isRecord(node.attrs) ? node.attrs : {};
  for (const key of ['text', 'title', 'extensionTitle', 'extensionKey', 'alt', 'name', 'url', 'shortName']) {
    const value = attrs[key];
    if (typeof value === 'string' && value.trim()) return value.replace(/\s+/g, ' ').trim();
  }
  return '';
}

const DIRECTIVE_NAME = /^[a-zA-Z][a-zA-Z0-9_-]*$/;

/** The placeholder for a node: a container when it holds blocks, else a leaf or text directive with its text as label. */
/** The text a placeholder's label shows, spaces folded (a label is one line). */
export function placeholderLabel(node: unknown): string {
  const label = placeholder(node, { refs: new RefRegistry() }, 'inline').children ?? [];
  return foldSpaces(phrasingText(label));
}

export function foldSpaces(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function phrasingText(nodes: MdNode[]): string {
  return nodes.map((n) => (typeof n.value === 'string' ? n.value : n.type === 'break' ? ' ' : phrasingText(n.children ?? []))).join('');
}

export function placeholder(node: unknown, state: ToState, where: 'block' | 'inline'): MdNode {
  const record = isRecord(node) ? node : {};
  const ref = state.refs.add({ kind: 'node', node: node as AdfNode });
  const name = typeof record.type === 'string' && DIRECTIVE_NAME.test(record.type) ? record.type : 'adf';
  const content = Array.isArray(record.content) && record.content.every((c) => isRecord(c) && typeof c.type === 'string') ? (record.content as AdfNode[]) : undefined;
  const label = (): MdNode[] => {
    if (content && content.length) return inline(content, state);
    if (typeof record.text === 'string' && record.text) return [text(record.text)];
    const short = shortLabel(record);
    return short ? [text(short)] : [];
  };
  if (where === 'inline') return directive('textDirective', name, { ref }, label());
  if (content && content.length && content.every((c) => !INLINE_TYPES.has(c.type))) {
    return directive('containerDirective', name, { ref }, [...containerLabel(shortLabel(record)), ...blocks(content, state)]);
  }
  return directive('leafDirective', name, { ref }, label());
}

function listItem(node: AdfNode, state: ToState): MdNode | undefined {
  if (node.type !== 'listItem' || !wellFormed(node)) return undefined;
  const children = blocks(node.content ?? [], state);
  const spread = children.length > 1 && !(children.length === 2 && children[1]!.type === 'list');
  return { type: 'listItem', spread, checked: null, children };
}

function list(node: AdfNode, state: ToState, ordered: boolean): MdNode | undefined {
  const items: MdNode[] = [];
  for (const child of node.content ?? []) {
    const item = listItem(child, state);
    if (!item) return undefined;
    items.push(item);
  }
  const start = attr(node, 'order');
  if (ordered && start !== undefined && !(Number.isInteger(start) && (start as number) >= 0)) return undefined;
  return { type: 'list', ordered, start: ordered ? ((start as number | undefined) ?? 1) : null, spread: false, children: items };
}

function taskList(node: AdfNode, state: ToState): MdNode | undefined {
  const items: MdNode[] = [];
  for (const child of node.content ?? []) {
    if (child.type === 'taskList' && items.length > 0 && wellFormed(child)) {
      const nested = taskList(child, state);
      if (!nested) return undefined;
      items[items.length - 1]!.children!.push(nested);
      continue;
    }
    const status = attr(child, 'state');
    if (child.type !== 'taskItem' || !wellFormed(child) || (status !== 'TODO' && status !== 'DONE')) return undefined;
    if (!child.content?.length) return undefined; // "- [ ]" alone is not a task in GFM: keep it exactly
    items.push({ type: 'listItem', spread: false, checked: status === 'DONE', children: [{ type: 'paragraph', children: inline(child.content, state) }] });
  }
  if (items.length === 0) return undefined;
  return { type: 'list', ordered: false, start: null, spread: false, children: items };
}

function decisionList(node: AdfNode, state: ToState): MdNode | undefined {
  const items: MdNode[] = [];
  for (const child of node.content ?? []) {
    const status = attr(child, 'state');
    if (child.type !== 'decisionItem' || !wellFormed(child) || !str(status)) return undefined;
    const label = inline(child.content ?? [], state);
    // A leaf directive is one line: a decision with line breaks is written as a container.
    const multiline = (child.content ?? []).some((n) => n.type === 'hardBreak' || /\n/.test(n.text ?? ''));
    items.push(multiline ? directive('containerDirective', DIRECTIVE.decision, { state: status }, [{ type: 'paragraph', children: label }]) : directive('leafDirective', DIRECTIVE.decision, { state: status }, label));
  }
  return directive('containerDirective', DIRECTIVE.decisions, {}, items);
}

/** A table GFM can write exactly: a header row, no spans, one paragraph of inline text per cell. */
function simpleTable(node: AdfNode, state: ToState): MdNode | undefined {
  const rows = node.content ?? [];
  if (rows.length === 0) return undefined;
  const width = rows[0]!.content?.length ?? 0;
  if (width === 0) return undefined;
  const mdRows: MdNode[] = [];
  for (const [r, row] of rows.entries()) {
    if (row.type !== 'tableRow' || !wellFormed(row) || row.attrs || row.marks || row.content?.length !== width) return undefined;
    const cells: MdNode[] = [];
    for (const cell of row.content) {
      if (cell.type !== (r === 0 ? 'tableHeader' : 'tableCell') || !wellFormed(cell) || cell.marks) return undefined;
      const span = (key: string) => attr(cell, key) === undefined || attr(cell, key) === 1;
      if (!span('colspan') || !span('rowspan')) return undefined;
      const content = cell.content ?? [];
      if (content.length !== 1 || content[0]!.type !== 'paragraph' || !wellFormed(content[0])) return undefined;
      const inner = content[0].content ?? [];
      if (inner.some((n) => n.type === 'hardBreak' || (n.type === 'text' && /\n/.test(n.text ?? '')))) return undefined;
      cells.push({ type: 'tableCell', children: inline(inner, state) });
    }
    mdRows.push({ type: 'tableRow', children: cells });
  }
  return { type: 'table', align: [], children: mdRows };
}

function codeBlock(node: AdfNode): MdNode | undefined {
  let value = '';
  for (const child of node.content ?? []) {
    if (child.type !== 'text' || !wellFormed(child) || child.marks || !str(child.text)) return undefined;
    value += child.text;
  }
  const language = attr(node, 'language');
  if (language !== undefined && language !== null && !(str(language) && language.trim() === language && !/\n/.test(language))) return undefined;
  const [lang, ...meta] = str(language) && language ? language.split(' ') : [];
  return { type: 'code', lang: lang ?? null, meta: meta.length ? meta.join(' ') : null, value };
}

const blockHandlers: Record<string, BlockHandler> = {
  paragraph: (node, state) => (node.content?.length ? { type: 'paragraph', children: inline(node.content, state) } : directive('leafDirective', DIRECTIVE.blank, {})),
  heading: (node, state) => {
    const level = attr(node, 'level');
    if (!Number.isInteger(level) || (level as number) < 1 || (level as number) > 6) return undefined;
    return { type: 'heading', depth: level, children: inline(node.content ?? [], state) };
  },
  bulletList: (node, state) => list(node, state, false),
  orderedList: (node, state) => list(node, state, true),
  taskList,
  decisionList,
  codeBlock,
  blockquote: (node, state) => ({ type: 'blockquote', children: blocks(node.content ?? [], state) }),
  rule: () => ({ type: 'thematicBreak' }),
  panel: (node, state) => {
    const type = attr(node, 'panelType');
    if (!str(type)) return undefined;
    const attributes: Record<string, string> = { type };
    for (const [key, name] of [['panelColor', 'color'], ['panelIcon', 'icon']] as const) {
      const value = attr(node, key);
      if (value === undefined) continue;
      if (!str(value)) return undefined;
      attributes[name] = value;
    }
    return directive('containerDirective', DIRECTIVE.panel, attributes, blocks(node.content ?? [], state));
  },
  expand: (node, state) => expand(node, state, DIRECTIVE.expand),
  nestedExpand: (node, state) => expand(node, state, DIRECTIVE.nestedExpand),
  table: simpleTable,
  blockCard: (node) => (str(attr(node, 'url')) && Object.keys(node.attrs ?? {}).length === 1 ? directive('leafDirective', DIRECTIVE.card, { url: attr(node, 'url') as string }) : undefined),
  embedCard: (node) => {
    const url = attr(node, 'url');
    const layout = attr(node, 'layout');
    if (!str(url) || (layout !== undefined && !str(layout))) return undefined;
    return directive('leafDirective', DIRECTIVE.embed, layout ? { url, layout } : { url });
  },
};

function expand(node: AdfNode, state: ToState, name: string): MdNode | undefined {
  const title = attr(node, 'title');
  if (title !== undefined && !str(title)) return undefined;
  return directive('containerDirective', name, {}, [...containerLabel(title ?? ''), ...blocks(node.content ?? [], state)]);
}

/** One block (any node where a block sits) as mdast. */
export function block(node: AdfNode, state: ToState): MdNode {
  const handler = wellFormed(node) ? blockHandlers[node.type] : undefined;
  return (handler && handler(node, state)) || placeholder(node, state, 'block');
}

export function blocks(nodes: AdfNode[], state: ToState): MdNode[] {
  // A container holding one empty paragraph (ADF's least content) is written empty.
  if (nodes.length === 1 && isEmptyParagraph(nodes[0])) return [];
  return nodes.map((node) => block(node, state));
}

function isEmptyParagraph(node: unknown): boolean {
  return wellFormed(node) && node.type === 'paragraph' && !node.attrs && !node.marks && !node.content?.length;
}

/** Inline nodes without their marks. */
const inlineHandlers: Record<string, (node: AdfNode, state: ToState) => MdNode | undefined> = {
  text: (node) => {
    if (!str(node.text) || node.text === '') return undefined;
    return node.marks?.some((m) => m.type === 'code') ? { type: 'inlineCode', value: node.text } : text(node.text);
  },
  hardBreak: () => ({ type: 'break' }),
  mention: (node) => {
    const id = attr(node, 'id');
    const label = attr(node, 'text');
    if (!str(id) || (label !== undefined && !str(label))) return undefined;
    return directive('textDirective', DIRECTIVE.mention, { id }, label ? [text(label)] : []);
  },
  emoji: (node) => {
    const shortName = attr(node, 'shortName');
    const id = attr(node, 'id');
    const shown = attr(node, 'text');
    if (!str(shortName) || (id !== undefined && !str(id)) || (shown !== undefined && !str(shown)) || shown === shortName) return undefined;
    return directive('textDirective', DIRECTIVE.emoji, id ? { shortName, id } : { shortName }, [text(shown || shortName)]);
  },
  date: (node) => {
    const timestamp = attr(node, 'timestamp');
    if (!str(timestamp) || !/^-?\d+$/.test(timestamp)) return undefined;
    const day = new Date(Number(timestamp));
    if (Number.isNaN(day.getTime())) return undefined;
    return directive('textDirective', DIRECTIVE.date, { timestamp }, [text(day.toISOString().slice(0, 10))]);
  },
  status: (node) => {
    const label = attr(node, 'text');
    const color = attr(node, 'color');
    if (!str(label) || !label || !str(color)) return undefined;
    return directive('textDirective', DIRECTIVE.status, { color }, [text(label)]);
  },
  inlineCard: (node) => (str(attr(node, 'url')) && Object.keys(node.attrs ?? {}).length === 1 ? directive('textDirective', DIRECTIVE.card, { url: attr(node, 'url') as string }) : undefined),
};

/** The mdast parent a mark becomes, or undefined when only a placeholder can carry it. */
function markWrapper(mark: AdfMark): MdNode | undefined {
  const a = mark.attrs ?? {};
  const keys = Object.keys(a);
  const only = (...allowed: string[]) => keys.every((k) => allowed.includes(k));
  switch (mark.type) {
    case 'strong':
      return keys.length ? undefined : { type: 'strong', children: [] };
    case 'em':
      return keys.length ? undefined : { type: 'emphasis', children: [] };
    case 'strike':
      return keys.length ? undefined : { type: 'delete', children: [] };
    case 'underline':
      return keys.length ? undefined : directive('textDirective', DIRECTIVE.underline, {});
    case 'link':
      // Other attributes (__confluenceMetadata) are not shown: they come back from the base.
      if (!str(a.href) || (a.title !== undefined && a.title !== null && !str(a.title))) return undefined;
      return { type: 'link', url: a.href, title: a.title ?? null, children: [] };
    case 'textColor':
    case 'backgroundColor':
      if (!str(a.color) || !only('color')) return undefined;
      return directive('textDirective', mark.type === 'textColor' ? DIRECTIVE.color : DIRECTIVE.background, { color: a.color });
    case 'subsup':
      if ((a.type !== 'sub' && a.type !== 'sup') || !only('type')) return undefined;
      return directive('textDirective', a.type === 'sub' ? DIRECTIVE.sub : DIRECTIVE.sup, {});
    case 'annotation':
      if (!str(a.id) || a.annotationType !== 'inlineComment') return undefined;
      return directive('textDirective', DIRECTIVE.comment, { id: a.id });
    default:
      return undefined;
  }
}

/**
 * Inline nodes as phrasing content. Marks become nested parents, outermost first in MARK_ORDER, and
 * neighbours that share a mark share its parent, so `**a _b_**` stays one strong.
 */
export function inline(nodes: AdfNode[], state: ToState): MdNode[] {
  const root: MdNode[] = [];
  const open: { key: string; node: MdNode }[] = [];
  for (const node of nodes) {
    const handler = wellFormed(node) ? inlineHandlers[node.type] : undefined;
    let leaf = handler?.(node, state);
    let marks: AdfMark[] = [];
    if (!leaf) leaf = placeholder(node, state, 'inline');
    else {
      marks = (node.marks ?? []).filter((m) => !(m.type === 'code' && leaf!.type === 'inlineCode' && !m.attrs));
      marks = [...marks].sort((x, y) => markRank(x.type) - markRank(y.type));
    }
    const keys = marks.map((m) => JSON.stringify(m));
    let depth = 0;
    while (depth < open.length && depth < keys.length && open[depth]!.key === keys[depth]) depth++;
    open.length = depth;
    for (const [i, mark] of marks.entries()) {
      if (i < depth) continue;
      const wrapper = markWrapper(mark) ?? directive('textDirective', 'mark', { ref: state.refs.add({ kind: 'mark', mark }) });
      (open.length ? open[open.length - 1]!.node.children! : root).push(wrapper);
      open.push({ key: keys[i]!, node: wrapper });
    }
    (open.length ? open[open.length - 1]!.node.children! : root).push(leaf);
  }
  return root;
}
