/**
 * mdast -> ADF: one handler per mdast node type. Placeholder directives come back from the base's
 * references exactly; what people write that ADF cannot hold where they wrote it is fitted (a heading
 * in a list item becomes a paragraph), so the result is always a document Confluence accepts.
 */
import { AppError } from '../errors.js';
import type { AdfMark, AdfNode } from './types.js';
import { foldSpaces, placeholderLabel, type MdNode } from './to-mdast.js';
import type { RefRegistry } from './refs.js';
import { ALLOWED_BLOCKS, DIRECTIVE, markRank } from './dialect.js';
import { reconcileList } from './reconcile.js';

export interface FromState {
  /** The base's placeholders; absent when no base was given. */
  refs: RefRegistry | undefined;
  source: string;
  definitions: Map<string, { url: string; title: string | null }>;
  /** Nodes restored from placeholders: never fitted, they go back as they were. */
  restored: WeakSet<object>;
  /** Counter behind the localIds that tasks and decisions need. */
  ids: { next: number };
}

/**
 * A localId for a task or decision written in Markdown: UUID-shaped and derived from its place in the
 * document, so converting the same Markdown twice gives the same document.
 */
function localId(state: FromState): string {
  const n = state.ids.next++;
  let hex = '';
  for (let round = 0; hex.length < 32; round++) {
    let hash = 0x811c9dc5;
    for (const ch of `md-local-id:${n}:${round}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
    hex += (hash >>> 0).toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface Point {
  line: number;
  column: number;
  offset?: number;
}
const position = (node: MdNode) => node.position as { start: Point; end: Point } | undefined;

export function markdownError(node: MdNode, message: string, hint: string): AppError {
  const start = position(node)?.start;
  const line = start?.line ?? 1;
  return new AppError('ADF_MARKDOWN_INVALID', `Line ${line}: ${message}`, { hint, details: { line, column: start?.column ?? 1 } });
}

const attributes = (node: MdNode): Record<string, string> => {
  const raw = (node.attributes ?? {}) as Record<string, string | null | undefined>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
};

/** Plain text of phrasing content (labels, titles). */
export function plainText(nodes: MdNode[] | undefined): string {
  let out = '';
  for (const node of nodes ?? []) {
    if (typeof node.value === 'string' && node.type !== 'html') out += node.value;
    else if (node.type === 'break') out += '\n';
    else if (node.children) out += plainText(node.children);
  }
  return out;
}

function restore(node: MdNode, state: FromState): AdfNode | AdfMark {
  const ref = attributes(node).ref!;
  if (!state.refs) {
    throw markdownError(node, `placeholder "${ref}" needs the document it came from.`, 'Pass the original ADF with --base FILE (the file `adf to-markdown` read).');
  }
  const target = state.refs.get(ref);
  if (!target) {
    throw markdownError(node, `placeholder reference "${ref}" is not in the base document.`, 'Restore the line as `adf to-markdown` wrote it, or delete the whole placeholder to delete that element.');
  }
  if (target.kind === 'mark') return target.mark;
  state.restored.add(target.node);
  return target.node;
}

/** A placeholder block: the base node, with the blocks or text shown inside it as edited. */
function restoreBlock(node: MdNode, state: FromState): AdfNode {
  const base = restore(node, state) as AdfNode;
  if (!Array.isArray(base.content)) return base;
  const children = (node.children ?? []).filter((c) => !(c.data as { directiveLabel?: boolean } | undefined)?.directiveLabel);
  // A one-line label cannot show line breaks: unchanged text means the node as it was.
  if (node.type !== 'containerDirective' && foldSpaces(plainText(children)) === placeholderLabel(base)) return base;
  const fresh = node.type === 'containerDirective' ? blocks(children, state, base.type) : inline(children, state);
  const content = reconcileList(fresh, base.content);
  if (content.length === base.content.length && content.every((c, i) => c === base.content![i])) return base;
  const edited = { ...base, content };
  state.restored.add(edited);
  return edited;
}

function containerLabelText(node: MdNode): string {
  const label = node.children?.find((c) => (c.data as { directiveLabel?: boolean } | undefined)?.directiveLabel);
  return label ? plainText(label.children) : '';
}

function containerBody(node: MdNode): MdNode[] {
  return (node.children ?? []).filter((c) => !(c.data as { directiveLabel?: boolean } | undefined)?.directiveLabel);
}

function list(node: MdNode, state: FromState): AdfNode[] {
  const items = node.children ?? [];
  if (items.length > 0 && items.every((item) => item.checked === true || item.checked === false)) return [taskList(items, state)];
  const content = items.map((item) => {
    const inner = blocks(item.children ?? [], state, 'listItem');
    if (inner.length === 0 || !(['paragraph', 'codeBlock', 'mediaSingle'].includes(inner[0]!.type) || state.restored.has(inner[0]!))) inner.unshift({ type: 'paragraph', content: [] });
    return { type: 'listItem', content: inner };
  });
  if (node.ordered) return [{ type: 'orderedList', attrs: { order: typeof node.start === 'number' ? node.start : 1 }, content }];
  return [{ type: 'bulletList', content }];
}

/** GFM task items: the first paragraph is the task; nested lists become nested task lists, other blocks tasks of their own. */
function taskList(items: MdNode[], state: FromState): AdfNode {
  const content: AdfNode[] = [];
  const list: AdfNode = { type: 'taskList', attrs: { localId: localId(state) }, content };
  for (const item of items) {
    const state_ = item.checked ? 'DONE' : 'TODO';
    const children = item.children ?? [];
    let rest = children;
    if (children[0]?.type === 'paragraph') {
      content.push({ type: 'taskItem', attrs: { localId: localId(state), state: state_ }, content: inline(children[0].children ?? [], state) });
      rest = children.slice(1);
    } else content.push({ type: 'taskItem', attrs: { localId: localId(state), state: state_ }, content: [] });
    for (const child of rest) {
      if (child.type === 'list') content.push(taskList(child.children ?? [], state));
      else {
        const text = plainText(child.children ?? (child.value !== undefined ? [child] : []));
        content.push({ type: 'taskItem', attrs: { localId: localId(state), state: 'TODO' }, content: text ? [{ type: 'text', text }] : [] });
      }
    }
  }
  return list;
}

function table(node: MdNode, state: FromState): AdfNode[] {
  const rows = node.children ?? [];
  const width = Math.max(...rows.map((r) => r.children?.length ?? 0));
  return [
    {
      type: 'table',
      content: rows.map((row, r) => {
        const cells = row.children ?? [];
        return {
          type: 'tableRow',
          content: Array.from({ length: width }, (_, c) => ({
            type: r === 0 ? 'tableHeader' : 'tableCell',
            content: [{ type: 'paragraph', content: inline(cells[c]?.children ?? [], state) }],
          })),
        };
      }),
    },
  ];
}

function directiveBlock(node: MdNode, state: FromState): AdfNode[] {
  const attrs = attributes(node);
  if (attrs.ref !== undefined) return [restoreBlock(node, state)];
  const name = node.name as string;
  const container = node.type === 'containerDirective';
  if (container && name === DIRECTIVE.panel) {
    const nodeAttrs: Record<string, unknown> = { panelType: attrs.type ?? 'info' };
    if (attrs.color !== undefined) nodeAttrs.panelColor = attrs.color;
    if (attrs.icon !== undefined) nodeAttrs.panelIcon = attrs.icon;
    return [{ type: 'panel', attrs: nodeAttrs, content: blocks(containerBody(node), state, 'panel') }];
  }
  if (container && (name === DIRECTIVE.expand || name === DIRECTIVE.nestedExpand)) {
    const type = name === DIRECTIVE.expand ? 'expand' : 'nestedExpand';
    const body = blocks(containerBody(node), state, type);
    return [{ type, attrs: { title: containerLabelText(node) }, content: body.length ? body : [{ type: 'paragraph', content: [] }] }];
  }
  if (container && name === DIRECTIVE.decisions) {
    const list = { type: 'decisionList', attrs: { localId: localId(state) } };
    return [{ ...list, content: containerBody(node).flatMap((child) => decisionItems(child, state)) }];
  }
  if (name === DIRECTIVE.decision) {
    const list = { type: 'decisionList', attrs: { localId: localId(state) } };
    return [{ ...list, content: decisionItems(node, state) }];
  }
  if (!container && name === DIRECTIVE.blank) return [{ type: 'paragraph', content: [] }];
  if (!container && name === DIRECTIVE.card && attrs.url) return [{ type: 'blockCard', attrs: { url: attrs.url } }];
  if (!container && name === DIRECTIVE.embed && attrs.url) return [{ type: 'embedCard', attrs: attrs.layout ? { url: attrs.url, layout: attrs.layout } : { url: attrs.url } }];
  throw markdownError(
    node,
    `unknown directive "${container ? ':::' : '::'}${name}".`,
    'Use one of :::panel, :::expand, :::nested-expand, :::decisions, ::decision, ::card, ::embed, ::blank, or a placeholder exactly as `adf to-markdown` wrote it.',
  );
}

function decisionItems(node: MdNode, state: FromState): AdfNode[] {
  if (node.type === 'leafDirective' && node.name === DIRECTIVE.decision) {
    return [{ type: 'decisionItem', attrs: { localId: localId(state), state: attributes(node).state ?? 'DECIDED' }, content: inline(node.children ?? [], state) }];
  }
  if (node.type === 'containerDirective' && node.name === DIRECTIVE.decision) {
    const paragraphs = containerBody(node).filter((c) => c.type === 'paragraph');
    const content = paragraphs.flatMap((p, i) => [...(i > 0 ? [{ type: 'hardBreak' }, { type: 'hardBreak' }] : []), ...inline(p.children ?? [], state)]);
    return [{ type: 'decisionItem', attrs: { localId: localId(state), state: attributes(node).state ?? 'DECIDED' }, content }];
  }
  if (node.type === 'paragraph') return [{ type: 'decisionItem', attrs: { localId: localId(state), state: 'DECIDED' }, content: inline(node.children ?? [], state) }];
  throw markdownError(node, 'a :::decisions block holds only ::decision[...] lines.', 'Write each decision as ::decision[What was decided]{state=DECIDED}.');
}

const blockHandlers: Record<string, (node: MdNode, state: FromState) => AdfNode[]> = {
  paragraph: (node, state) => [{ type: 'paragraph', content: inline(node.children ?? [], state) }],
  heading: (node, state) => [{ type: 'heading', attrs: { level: node.depth }, content: inline(node.children ?? [], state) }],
  thematicBreak: () => [{ type: 'rule' }],
  blockquote: (node, state) => [{ type: 'blockquote', content: blocks(node.children ?? [], state, 'blockquote') }],
  list,
  code: (node) => {
    const language = [node.lang, node.meta].filter((p) => typeof p === 'string' && p).join(' ');
    return [{ type: 'codeBlock', ...(language ? { attrs: { language } } : {}), content: node.value ? [{ type: 'text', text: node.value }] : [] }];
  },
  // Confluence has no raw HTML: keep what was written, visibly, as code.
  html: (node) => [{ type: 'codeBlock', attrs: { language: 'html' }, content: node.value ? [{ type: 'text', text: node.value }] : [] }],
  table,
  containerDirective: directiveBlock,
  leafDirective: directiveBlock,
  definition: () => [],
  footnoteDefinition: (node, state) => blocks(node.children ?? [], state, 'doc'),
};

/** Blocks ADF does not allow inside `parent`: headings become paragraphs, containers give up their content. */
function fit(nodes: AdfNode[], parent: string, restored: WeakSet<object>): AdfNode[] {
  const allowed = ALLOWED_BLOCKS[parent];
  if (!allowed) return nodes;
  const out: AdfNode[] = [];
  for (const node of nodes) {
    if (allowed.has(node.type) || restored.has(node)) out.push(node);
    else if (node.type === 'heading') out.push({ type: 'paragraph', content: node.content ?? [] });
    else if (node.type === 'rule') out.push({ type: 'paragraph', content: [{ type: 'text', text: '---' }] });
    else if (node.type === 'table') out.push(...fit((node.content ?? []).flatMap((row) => (row.content ?? []).flatMap((cell) => cell.content ?? [])), parent, restored));
    else if (Array.isArray(node.content) && node.content.length && node.type !== 'paragraph') out.push(...fit(node.content, parent, restored));
    else out.push(node);
  }
  return out;
}

export function blocks(nodes: MdNode[], state: FromState, parent: string): AdfNode[] {
  const out: AdfNode[] = [];
  for (const node of nodes) {
    const handler = blockHandlers[node.type];
    if (handler) out.push(...handler(node, state));
  }
  const fitted = fit(out, parent, state.restored);
  // ADF containers hold at least one block: an empty one holds an empty paragraph.
  return fitted.length === 0 && parent !== 'doc' ? [{ type: 'paragraph', content: [] }] : fitted;
}

/** Phrasing content as ADF inline nodes: marks gathered on the way down, neighbours with the same marks merged. */
export function inline(nodes: MdNode[], state: FromState): AdfNode[] {
  const out: AdfNode[] = [];
  collectInline(nodes, state, [], out);
  return mergeTexts(out);
}

/** Code text takes no formatting in ADF: only its link and comment stay. */
const CODE_COMPANIONS = new Set(['code', 'link', 'annotation']);

function withMarks(node: AdfNode, marks: AdfMark[]): AdfNode {
  if (marks.some((m) => m.type === 'code')) marks = marks.filter((m) => CODE_COMPANIONS.has(m.type));
  if (marks.length === 0) return node;
  const sorted = [...marks].sort((a, b) => markRank(a.type) - markRank(b.type));
  return { ...node, marks: sorted };
}

function collectInline(nodes: MdNode[], state: FromState, marks: AdfMark[], out: AdfNode[]): void {
  for (const node of nodes) {
    const inside = (mark: AdfMark) => collectInline(node.children ?? [], state, addMark(marks, mark), out);
    switch (node.type) {
      case 'text':
        if (node.value) out.push(withMarks({ type: 'text', text: node.value }, marks));
        break;
      case 'inlineCode':
        if (node.value) out.push(withMarks({ type: 'text', text: node.value }, [...marks, { type: 'code' }]));
        break;
      case 'html':
        if (node.value) out.push(withMarks({ type: 'text', text: node.value }, marks));
        break;
      case 'break':
        out.push({ type: 'hardBreak' });
        break;
      case 'strong':
        inside({ type: 'strong' });
        break;
      case 'emphasis':
        inside({ type: 'em' });
        break;
      case 'delete':
        inside({ type: 'strike' });
        break;
      case 'link':
        inside(linkMark(node.url as string, node.title as string | null | undefined));
        break;
      case 'linkReference':
      case 'imageReference': {
        const def = state.definitions.get(String(node.identifier ?? ''));
        if (!def) out.push(withMarks({ type: 'text', text: sourceOf(node, state) }, marks));
        else if (node.type === 'linkReference') inside(linkMark(def.url, def.title));
        else out.push(imageText(String(node.alt ?? ''), def.url, def.title, marks));
        break;
      }
      case 'image':
        out.push(imageText(String(node.alt ?? ''), node.url as string, node.title as string | null, marks));
        break;
      case 'footnoteReference':
        out.push(withMarks({ type: 'text', text: `[^${String(node.label ?? node.identifier)}]` }, marks));
        break;
      case 'textDirective':
        textDirective(node, state, marks, out);
        break;
      default:
        if (node.children) collectInline(node.children, state, marks, out);
        else if (typeof node.value === 'string' && node.value) out.push(withMarks({ type: 'text', text: node.value }, marks));
    }
  }
}

/** Marks inside a new one: it replaces one of its type, except comments, which overlap. */
function addMark(marks: AdfMark[], mark: AdfMark): AdfMark[] {
  if (mark.type === 'annotation') return [...marks.filter((m) => JSON.stringify(m) !== JSON.stringify(mark)), mark];
  return [...marks.filter((m) => m.type !== mark.type), mark];
}

function linkMark(href: string, title: string | null | undefined): AdfMark {
  return { type: 'link', attrs: title ? { href, title } : { href } };
}

/** ADF has no inline image: an image written in Markdown becomes its alt text linked to its address. */
function imageText(alt: string, url: string, title: string | null | undefined, marks: AdfMark[]): AdfNode {
  const others = marks.filter((m) => m.type !== 'link');
  return withMarks({ type: 'text', text: alt || url || 'image' }, [...others, linkMark(url, title)]);
}

function sourceOf(node: MdNode, state: FromState): string {
  const pos = position(node);
  if (pos?.start.offset === undefined || pos.end.offset === undefined) return plainText(node.children);
  return state.source.slice(pos.start.offset, pos.end.offset);
}

function textDirective(node: MdNode, state: FromState, marks: AdfMark[], out: AdfNode[]): void {
  const attrs = attributes(node);
  const label = plainText(node.children);
  const inside = (mark: AdfMark) => collectInline(node.children ?? [], state, addMark(marks, mark), out);
  if (attrs.ref !== undefined) {
    const target = restore(node, state);
    if (node.name === 'mark') inside(target as AdfMark);
    else out.push(target as AdfNode);
    return;
  }
  switch (node.name) {
    case DIRECTIVE.status:
      if (label) return void out.push(withMarks({ type: 'status', attrs: { text: label, color: attrs.color ?? 'neutral' } }, marks));
      break;
    case DIRECTIVE.mention:
      if (attrs.id) return void out.push(withMarks({ type: 'mention', attrs: label ? { id: attrs.id, text: label } : { id: attrs.id } }, marks));
      break;
    case DIRECTIVE.date: {
      const timestamp = dateTimestamp(label, attrs.timestamp);
      if (timestamp) return void out.push(withMarks({ type: 'date', attrs: { timestamp } }, marks));
      break;
    }
    case DIRECTIVE.emoji:
      if (attrs.shortName) {
        const emoji: Record<string, unknown> = { shortName: attrs.shortName };
        if (attrs.id) emoji.id = attrs.id;
        if (label && label !== attrs.shortName) emoji.text = label;
        return void out.push(withMarks({ type: 'emoji', attrs: emoji }, marks));
      }
      break;
    case DIRECTIVE.card:
      if (attrs.url) return void out.push(withMarks({ type: 'inlineCard', attrs: { url: attrs.url } }, marks));
      break;
    case DIRECTIVE.underline:
      return inside({ type: 'underline' });
    case DIRECTIVE.sub:
    case DIRECTIVE.sup:
      return inside({ type: 'subsup', attrs: { type: node.name } });
    case DIRECTIVE.color:
      if (attrs.color) return inside({ type: 'textColor', attrs: { color: attrs.color } });
      break;
    case DIRECTIVE.background:
      if (attrs.color) return inside({ type: 'backgroundColor', attrs: { color: attrs.color } });
      break;
    case DIRECTIVE.comment:
      if (attrs.id) return inside({ type: 'annotation', attrs: { id: attrs.id, annotationType: 'inlineComment' } });
      break;
  }
  // Not ours (a colon in prose, "Note:this"): the text as written.
  out.push(withMarks({ type: 'text', text: sourceOf(node, state) }, marks));
}

/** The date's timestamp: kept when the shown day is unchanged, else midnight UTC of the day written. */
function dateTimestamp(label: string, timestamp: string | undefined): string | undefined {
  if (timestamp && /^-?\d+$/.test(timestamp) && new Date(Number(timestamp)).toISOString().slice(0, 10) === label.trim()) return timestamp;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(label.trim()) ? Date.parse(`${label.trim()}T00:00:00Z`) : NaN;
  if (!Number.isNaN(day)) return String(day);
  return timestamp && /^-?\d+$/.test(timestamp) ? timestamp : undefined;
}

function mergeTexts(nodes: AdfNode[]): AdfNode[] {
  const out: AdfNode[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (last && last.type === 'text' && node.type === 'text' && JSON.stringify(last.marks) === JSON.stringify(node.marks)) {
      out[out.length - 1] = { ...last, text: (last.text ?? '') + (node.text ?? '') };
    } else out.push(node);
  }
  return out;
}
