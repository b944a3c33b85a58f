import { diffArrays } from 'diff';
import { headingText } from './index.js';
import type { AdfDoc, AdfNode } from './types.js';

/** One stretch of the base replaced by other blocks: `base.content[start..end)` becomes `blocks`. */
export interface BlockHunk {
  start: number;
  end: number;
  blocks: AdfNode[];
}

/** Blocks both sides changed, each differently. `base` is absent when both sides inserted at the same place. */
export interface MergeConflict {
  base?: AdfNode[];
  theirs?: AdfNode[];
  ours?: AdfNode[];
  /** The text of the heading of the section the conflict sits in (or of the heading itself). */
  heading?: string;
  /** Where the conflict starts among the base's top-level blocks. */
  index: number;
}

export interface MergeResult {
  /** The merged document; where the sides conflict it holds ours (what `--force` writes). */
  doc: AdfDoc;
  conflicts: MergeConflict[];
  /** How many of their blocks ours would overwrite (those inside conflicts). */
  replaced: number;
}

/**
 * A key equal for deep-equal blocks whatever the order of their object keys: Confluence re-serializes
 * what it stores, so the same block can come back with its attributes in another order.
 */
export function blockKey(node: unknown): string {
  return JSON.stringify(node, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/**
 * Keys for aligning two block lists: the plain JSON (fast), and the order-blind `blockKey` for the
 * blocks whose plain JSON has no twin on the other side, so a block re-serialized with its keys in
 * another order still matches its original. On a large page this is most of the cost of a diff.
 */
function comparableKeys(before: readonly AdfNode[], after: readonly AdfNode[]): [string[], string[]] {
  const a = before.map((b) => JSON.stringify(b));
  const b = after.map((n) => JSON.stringify(n));
  const inA = new Set(a);
  const inB = new Set(b);
  return [a.map((k, i) => (inB.has(k) ? k : blockKey(before[i]))), b.map((k, i) => (inA.has(k) ? k : blockKey(after[i])))];
}

/** The hunks that turn `before` into `after`, aligning deep-equal blocks (a shortest edit script). */
export function diffBlocks(before: readonly AdfNode[], after: readonly AdfNode[]): BlockHunk[] {
  const changes = diffArrays(...comparableKeys(before, after));
  const hunks: BlockHunk[] = [];
  let i = 0;
  let j = 0;
  let open: BlockHunk | undefined;
  for (const change of changes) {
    if (!change.added && !change.removed) {
      open = undefined;
      i += change.count;
      j += change.count;
      continue;
    }
    if (!open) {
      open = { start: i, end: i, blocks: [] };
      hunks.push(open);
    }
    if (change.removed) {
      i += change.count;
      open.end = i;
    } else {
      open.blocks.push(...after.slice(j, j + change.count));
      j += change.count;
    }
  }
  return hunks;
}

interface Side {
  side: 'theirs' | 'ours';
  hunk: BlockHunk;
}

/** Whether two hunks touch the same blocks of the base (two insertions at one place do; neighbours do not). */
function overlaps(a: BlockHunk, b: BlockHunk): boolean {
  const aEmpty = a.start === a.end;
  const bEmpty = b.start === b.end;
  if (aEmpty && bEmpty) return a.start === b.start;
  if (aEmpty) return b.start < a.start && a.start < b.end;
  if (bEmpty) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** `base[start..end)` with the given hunks (all inside that range, in order) applied. */
function applyWithin(base: readonly AdfNode[], start: number, end: number, hunks: readonly BlockHunk[]): AdfNode[] {
  const out: AdfNode[] = [];
  let cursor = start;
  for (const h of hunks) {
    out.push(...base.slice(cursor, h.start), ...h.blocks);
    cursor = h.end;
  }
  out.push(...base.slice(cursor, end));
  return out;
}

/** The plain text of a node and its descendants. */
export function nodeText(node: AdfNode): string {
  if (typeof node.text === 'string') return node.text;
  return (node.content ?? []).map(nodeText).join('');
}

function sectionHeading(base: readonly AdfNode[], index: number, blocks: readonly AdfNode[]): string | undefined {
  const own = blocks.find((b) => b.type === 'heading');
  if (own) return headingText(own);
  for (let k = Math.min(index, base.length) - 1; k >= 0; k--) {
    if (base[k]!.type === 'heading') return headingText(base[k]!);
  }
  return undefined;
}

/**
 * Three-way merge per top-level block. Blocks changed on one side only are taken from that side;
 * the same change on both sides is taken once; different changes to the same blocks are conflicts,
 * resolved to ours in `doc` and listed in `conflicts`.
 */
export function mergeBlocks(base: AdfDoc, theirs: AdfDoc, ours: AdfDoc): MergeResult {
  const b = base.content;
  const all: Side[] = [
    ...diffBlocks(b, theirs.content).map((hunk) => ({ side: 'theirs' as const, hunk })),
    ...diffBlocks(b, ours.content).map((hunk) => ({ side: 'ours' as const, hunk })),
  ].sort((x, y) => x.hunk.start - y.hunk.start || x.hunk.end - y.hunk.end);

  // Gather hunks that touch the same base blocks into clusters (each side's own hunks never overlap).
  const clusters: Side[][] = [];
  for (const entry of all) {
    const last = clusters.at(-1);
    if (last && last.some((other) => other.side !== entry.side && overlaps(other.hunk, entry.hunk))) last.push(entry);
    else clusters.push([entry]);
  }

  const out: AdfNode[] = [];
  const conflicts: MergeConflict[] = [];
  let replaced = 0;
  let cursor = 0;
  for (const cluster of clusters) {
    const start = Math.min(...cluster.map((c) => c.hunk.start));
    const end = Math.max(...cluster.map((c) => c.hunk.end));
    out.push(...b.slice(cursor, start));
    cursor = end;
    const theirsHunks = cluster.filter((c) => c.side === 'theirs').map((c) => c.hunk);
    const oursHunks = cluster.filter((c) => c.side === 'ours').map((c) => c.hunk);
    const oursBlocks = applyWithin(b, start, end, oursHunks);
    const theirsBlocks = applyWithin(b, start, end, theirsHunks);
    if (theirsHunks.length === 0) {
      out.push(...oursBlocks);
      continue;
    }
    if (oursHunks.length === 0 || blockKey(theirsBlocks) === blockKey(oursBlocks)) {
      out.push(...theirsBlocks);
      continue;
    }
    out.push(...oursBlocks);
    const conflict: MergeConflict = { index: start };
    if (end > start) conflict.base = b.slice(start, end);
    if (theirsBlocks.length) conflict.theirs = theirsBlocks;
    if (oursBlocks.length) conflict.ours = oursBlocks;
    const heading = sectionHeading(b, start, [...(conflict.base ?? []), ...oursBlocks, ...theirsBlocks]);
    if (heading !== undefined) conflict.heading = heading;
    conflicts.push(conflict);
    replaced += theirsBlocks.length;
  }
  out.push(...b.slice(cursor));
  return { doc: { ...theirs, content: out }, conflicts, replaced };
}
