/**
 * Keeping what an edit did not touch. A changed block is converted afresh from Markdown, then matched
 * against the base block it replaced: children that show the same in Markdown are the base's own nodes
 * again, and in a changed node the attributes and marks Markdown does not show come back from the base
 * (localId, __confluenceMetadata, alignment, unknown attributes).
 */
import type { AdfMark, AdfNode } from './types.js';
import { SHOWN_MARK_ATTRS, SHOWN_NODE_ATTRS } from './dialect.js';

function pick(attrs: Record<string, unknown> | undefined, keys: readonly string[] | undefined): Record<string, unknown> | undefined {
  if (!attrs) return undefined;
  if (!keys) return attrs;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (attrs[key] !== undefined && attrs[key] !== null) out[key] = attrs[key];
  return out;
}

function markKey(mark: AdfMark): unknown {
  const shown = SHOWN_MARK_ATTRS[mark.type];
  return shown ? { type: mark.type, attrs: pick(mark.attrs, shown) } : mark;
}

/** What Markdown shows of a node: equal keys mean an edit cannot have told the two apart. */
export function shownKey(node: AdfNode): string {
  return JSON.stringify(shown(node));
}

function shown(node: AdfNode): unknown {
  if (!(node.type in SHOWN_NODE_ATTRS) && !KNOWN_PLAIN.has(node.type)) return node;
  const attrs = pick(node.attrs, SHOWN_NODE_ATTRS[node.type] ?? []);
  if (node.type === 'orderedList' && attrs && attrs.order === undefined) attrs.order = 1;
  const marks = (node.marks ?? []).filter((m) => m.type in SHOWN_MARK_ATTRS).map(markKey);
  marks.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return [node.type, attrs ?? {}, marks, node.text ?? null, Array.isArray(node.content) ? node.content.map(shown) : null];
}

const KNOWN_PLAIN = new Set(['paragraph', 'text', 'hardBreak', 'bulletList', 'listItem', 'taskList', 'decisionList', 'blockquote', 'rule', 'table', 'tableRow', 'tableHeader', 'tableCell']);

/**
 * The fresh nodes, with every one that shows the same as a base node (in order) replaced by that base
 * node, and the rest paired with a base node of their type in the same gap and merged with it.
 */
export function reconcileList(fresh: AdfNode[], base: AdfNode[] | undefined): AdfNode[] {
  if (!base || base.length === 0 || fresh.length === 0) return fresh;
  const positions = new Map<string, number[]>();
  base.forEach((node, i) => {
    const key = shownKey(node);
    const list = positions.get(key);
    if (list) list.push(i);
    else positions.set(key, [i]);
  });
  const matched: (number | undefined)[] = matchInOrder(fresh.map(shownKey), positions);
  return pairGaps(fresh, base, matched, reconcileNode);
}

/** Greedy in-order matching of keys to base positions (each base position used once, never backwards). */
export function matchInOrder(keys: string[], positions: Map<string, number[]>): (number | undefined)[] {
  const used = new Map<string, number>();
  let last = -1;
  let lastFresh = -1;
  return keys.map((key, i) => {
    const list = positions.get(key);
    if (!list) return undefined;
    let at = used.get(key) ?? 0;
    while (at < list.length && list[at]! <= last) at++;
    if (at >= list.length) return undefined;
    // Of equal blocks, the one at the same distance from the last match (an edit in place shifts nothing).
    const expected = last + (i - lastFresh);
    if (list[at] !== expected) {
      const same = list.indexOf(expected, at);
      if (same !== -1) at = same;
    }
    used.set(key, at + 1);
    last = list[at]!;
    lastFresh = i;
    return last;
  });
}

/** Matched nodes become the base's; an unmatched one is merged with the first unmatched base node of its type between the same anchors. */
export function pairGaps(fresh: AdfNode[], base: AdfNode[], matched: (number | undefined)[], merge: (fresh: AdfNode, base: AdfNode) => AdfNode): AdfNode[] {
  const out: AdfNode[] = [];
  const taken = new Set<number>(matched.filter((m): m is number => m !== undefined));
  let previous = -1;
  for (let i = 0; i < fresh.length; i++) {
    const m = matched[i];
    if (m !== undefined) {
      out.push(base[m]!);
      previous = m;
      continue;
    }
    let next = base.length;
    for (let j = i + 1; j < fresh.length; j++) {
      if (matched[j] !== undefined) {
        next = matched[j]!;
        break;
      }
    }
    let partner: number | undefined;
    for (let b = previous + 1; b < next; b++) {
      if (!taken.has(b) && base[b]!.type === fresh[i]!.type) {
        partner = b;
        break;
      }
    }
    if (partner === undefined) out.push(fresh[i]!);
    else {
      taken.add(partner);
      out.push(merge(fresh[i]!, base[partner]!));
    }
  }
  return out;
}

function mergeMarks(fresh: AdfMark[] | undefined, base: AdfMark[] | undefined): AdfMark[] | undefined {
  if (!base?.length) return fresh;
  const out = (fresh ?? []).map((mark) => base.find((b) => JSON.stringify(markKey(b)) === JSON.stringify(markKey(mark))) ?? mark);
  for (const mark of base) if (!(mark.type in SHOWN_MARK_ATTRS) && !out.includes(mark)) out.push(mark);
  if (out.length === base.length && out.every((m) => base.includes(m))) return base;
  return out.length ? out : undefined;
}

/** A changed node: what Markdown shows from the fresh one, everything else from the base one. */
export function reconcileNode(fresh: AdfNode, base: AdfNode): AdfNode {
  if (fresh.type !== base.type) return fresh;
  const out: AdfNode = { ...base, ...fresh };
  const shownAttrs = SHOWN_NODE_ATTRS[fresh.type] ?? [];
  // Shown attributes as edited; the others (localId, unknown ones) as they were, over any made up afresh.
  const attrs: Record<string, unknown> = { ...(fresh.attrs ?? {}) };
  for (const [key, value] of Object.entries(base.attrs ?? {})) if (!shownAttrs.includes(key)) attrs[key] = value;
  for (const key of shownAttrs) if (base.attrs && key in base.attrs && !(fresh.attrs && key in fresh.attrs) && (base.attrs[key] === null || base.attrs[key] === undefined)) attrs[key] = base.attrs[key];
  if (Object.keys(attrs).length) out.attrs = attrs;
  else delete out.attrs;
  const marks = mergeMarks(fresh.marks, base.marks);
  if (marks) out.marks = marks;
  else delete out.marks;
  if (Array.isArray(fresh.content) && !(fresh.content.length === 0 && base.content === undefined)) out.content = reconcileList(fresh.content, base.content);
  else delete out.content;
  if (fresh.text === undefined) delete out.text;
  return out;
}
