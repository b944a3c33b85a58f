import type { AdfMark, AdfNode } from './types.js';

/** What a placeholder's reference stands for: a node or a mark of the base document, kept exactly. */
export type RefTarget = { kind: 'node'; node: AdfNode } | { kind: 'mark'; mark: AdfMark };

/**
 * The placeholders of one rendering. A reference is a short hash of the JSON it stands for, so the
 * same document always gets the same references and a base can be matched without storing anything.
 */
export class RefRegistry {
  readonly byRef = new Map<string, RefTarget>();
  private readonly byJson = new Map<string, string>();

  add(target: RefTarget): string {
    const json = JSON.stringify(target.kind === 'node' ? target.node : target.mark);
    const known = this.byJson.get(json);
    if (known) return known;
    let ref = fnv1a(json);
    for (let n = 2; this.byRef.has(ref); n++) ref = `${fnv1a(json)}-${n}`;
    this.byRef.set(ref, target);
    this.byJson.set(json, ref);
    return ref;
  }

  get(ref: string): RefTarget | undefined {
    return this.byRef.get(ref);
  }
}

/** FNV-1a, 32 bits, as 8 hex digits: short enough to read past, wide enough for one page. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
