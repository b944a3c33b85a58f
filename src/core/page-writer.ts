import { AppError } from './errors.js';
import type { ApiClient } from './confluence/http.js';
import { createPageRequest, updatePageRequest, type WrittenPage } from './confluence/page-writes.js';
import { applyEdits, type PageEdit } from './adf/edit.js';
import { blockKey, diffBlocks, mergeBlocks, type MergeConflict } from './adf/merge.js';
import type { AdfDoc, AdfNode } from './adf/types.js';
import type { Site } from './store/token-store.js';

/** The document functions the writer needs (the ADF core, loaded when a write needs it). */
export interface DocTools {
  fromMarkdown(markdown: string, options?: { base?: AdfDoc }): AdfDoc;
  toMarkdown(doc: AdfDoc): string;
  /** The Markdown of each top-level block, as `toMarkdown` joins them with blank lines. */
  renderBlocks(doc: AdfDoc): string[];
  validateAdf(doc: unknown, options?: { base?: AdfDoc }): { valid: boolean; errors: { path: string; message: string }[] };
}

export interface PageTarget {
  site: Site;
  id: string;
}

/** One version of a page as the writer needs it. */
export interface PageSnapshot {
  id: string;
  title: string;
  version: { number: number } | null;
  url: string | null;
  adf?: AdfDoc;
}

export interface PageWriterDeps {
  api: () => Promise<ApiClient>;
  site: (choice?: string) => Promise<Site>;
  resolve: (ref: string, siteChoice?: string) => Promise<PageTarget>;
  get: (target: PageTarget, options?: { version?: number }) => Promise<PageSnapshot>;
  spaceId: (site: Site, key: string) => Promise<string>;
  docs: () => Promise<DocTools>;
}

/** The new text of a page: Markdown (restored against the base) or an ADF document. */
export type PageBody = { markdown: string } | { adf: AdfDoc };

export interface UpdateRequest {
  page: string;
  site?: string;
  body: PageBody;
  /** The version the body was made from (front matter `version`, --base-version, expectedVersion). */
  baseVersion?: number;
  title?: string;
  message?: string;
  dryRun?: boolean;
  /** On conflict, write ours over theirs; without a base version, write over the current page. */
  force?: boolean;
}

export interface EditRequest {
  page: string;
  site?: string;
  edits: EditSpec[];
  /** The version the edits were meant for; the current one when absent. */
  expectedVersion?: number;
  message?: string;
  dryRun?: boolean;
}

/** An edit as callers give it: section content as Markdown or ADF blocks. */
export type EditSpec =
  | { op: 'replaceSection' | 'appendToSection' | 'insertAfterSection'; heading: string; markdown?: string; adf?: AdfNode[] }
  | { op: 'deleteSection'; heading: string }
  | { op: 'findReplace'; find: string; replace: string; all?: boolean };

/** One changed stretch of top-level blocks, with both sides shown as Markdown. */
export interface BlockChange {
  /** Position among the current page's top-level blocks. */
  index: number;
  before: string;
  after: string;
}

export interface ConflictView {
  heading?: string;
  /** Their blocks (what the page holds now) and ours, as Markdown; empty when a side deleted them. */
  theirs: string;
  ours: string;
}

export interface WriteResult {
  id: string;
  title: string;
  url: string | null;
  /** The page's version after the call (unchanged when nothing was written). */
  version: number;
  baseVersion: number;
  written: boolean;
  dryRun: boolean;
  /** True when others' changes since the base were kept alongside ours. */
  merged: boolean;
  /** With --force: the conflicting blocks of theirs that ours replaced. */
  replaced: ConflictView[];
  /** What the write changes on the current page (or would, with dry-run). */
  changes: BlockChange[];
  /** Per edit, how many places it changed (page edits only). */
  counts?: number[];
}

/** The converter and the schema check, loaded together when a write needs them. */
export async function loadDocTools(): Promise<DocTools> {
  // Only through index.js: the build keeps the converter in a bundle of its own behind that name.
  const [{ fromMarkdown, toMarkdown, renderDoc }, { validateAdf }] = await Promise.all([import('./adf/index.js'), import('./adf/validate.js')]);
  return { fromMarkdown, toMarkdown, renderBlocks: (doc) => renderDoc(doc).blocks, validateAdf };
}

const emptyDoc = (): AdfDoc => ({ type: 'doc', version: 1, content: [] });

/** Creates, updates and edits pages without losing what the change did not touch, and without overwriting others. */
export class PageWriter {
  constructor(private readonly deps: PageWriterDeps) {}

  /** A new page in a space (by key), validated before it is sent. */
  async create(request: { space: string; title: string; parent?: string; site?: string; body: PageBody; dryRun?: boolean }): Promise<WriteResult> {
    const docs = await this.deps.docs();
    let site: Site;
    let parentId: string | undefined;
    if (request.parent) {
      const parent = await this.deps.resolve(request.parent, request.site);
      site = parent.site;
      parentId = parent.id;
    } else {
      site = await this.deps.site(request.site);
    }
    const doc = 'adf' in request.body ? request.body.adf : docs.fromMarkdown(request.body.markdown);
    refuseInvalid(docs, doc);
    const spaceId = await this.deps.spaceId(site, request.space);
    const changes = this.changes(docs, emptyDoc(), doc);
    if (request.dryRun) {
      return { id: '', title: request.title, url: null, version: 0, baseVersion: 0, written: false, dryRun: true, merged: false, replaced: [], changes };
    }
    const page = await createPageRequest(await this.deps.api(), site, { spaceId, title: request.title, ...(parentId ? { parentId } : {}), doc });
    return { ...page, baseVersion: 0, written: true, dryRun: false, merged: false, replaced: [], changes };
  }

  /** Writes a new body made from `baseVersion`, merging with whatever was saved since. */
  async update(request: UpdateRequest): Promise<WriteResult> {
    const docs = await this.deps.docs();
    const target = await this.deps.resolve(request.page, request.site);
    const current = await this.read(target);
    const base = await this.baseFor(target, current, request.baseVersion, request.force === true);
    const ours = 'adf' in request.body ? request.body.adf : fromMarkdownAgainst(docs, request.body.markdown, base.adf!);
    refuseInvalid(docs, ours, base.adf!);
    return this.write(docs, target, base, current, ours, request);
  }

  /** Section edits and find/replace on the page's ADF, never through Markdown. */
  async edit(request: EditRequest): Promise<WriteResult> {
    const docs = await this.deps.docs();
    const target = await this.deps.resolve(request.page, request.site);
    const current = await this.read(target);
    const base = await this.baseFor(target, current, request.expectedVersion ?? current.version!.number, false);
    const edits: PageEdit[] = request.edits.map((e) => {
      if (e.op === 'deleteSection' || e.op === 'findReplace') return e;
      const content = e.adf ?? (e.markdown !== undefined ? docs.fromMarkdown(e.markdown, { base: base.adf! }).content : undefined);
      if (!content) throw new AppError('USAGE', `The ${e.op} edit of "${e.heading}" has no content.`, { hint: 'Give the new content as Markdown (or ADF blocks).' });
      return { op: e.op, heading: e.heading, content };
    });
    const { doc, counts } = applyEdits(base.adf!, edits);
    refuseInvalid(docs, doc, base.adf!);
    const result = await this.write(docs, target, base, current, doc, {
      ...(request.message ? { message: request.message } : {}),
      ...(request.dryRun ? { dryRun: true } : {}),
    });
    return { ...result, counts };
  }

  private async read(target: PageTarget): Promise<PageSnapshot & { version: { number: number }; adf: AdfDoc }> {
    const page = await this.deps.get(target);
    if (!page.version || !page.adf) {
      throw new AppError('BAD_RESPONSE', `Confluence sent page ${target.id} without its version or body.`, { hint: 'Try again; run with --verbose and report it if it persists.' });
    }
    return page as PageSnapshot & { version: { number: number }; adf: AdfDoc };
  }

  private async baseFor(target: PageTarget, current: PageSnapshot & { version: { number: number } }, baseVersion: number | undefined, force: boolean): Promise<PageSnapshot & { version: { number: number } }> {
    const now = current.version.number;
    if (baseVersion === undefined) {
      if (force) return current;
      throw new AppError('USAGE', 'The version this text was made from is unknown, so a concurrent change could be overwritten.', {
        hint: `Keep the front matter that \`confluence-adf pages get\` writes, or pass --base-version N (the page is at version ${now}); --force writes over the current page.`,
        details: { currentVersion: now },
      });
    }
    if (!Number.isInteger(baseVersion) || baseVersion < 1 || baseVersion > now) {
      throw new AppError('USAGE', `Page ${target.id} has no version ${baseVersion}: it is at version ${now}.`, {
        hint: 'Pass the version you read the page at (the `version` in the front matter of `pages get`).',
        details: { currentVersion: now, baseVersion },
      });
    }
    if (baseVersion === now) return current;
    return (await this.deps.get(target, { version: baseVersion })) as PageSnapshot & { version: { number: number } };
  }

  /**
   * Writes ours as current + 1: straight when the page is still at the base, else through a
   * three-way merge. A 409 between our read and our write re-reads the page and merges once more.
   */
  private async write(
    docs: DocTools,
    target: PageTarget,
    base: PageSnapshot & { version: { number: number } },
    firstRead: PageSnapshot & { version: { number: number }; adf: AdfDoc },
    ours: AdfDoc,
    request: { title?: string; message?: string; dryRun?: boolean; force?: boolean },
  ): Promise<WriteResult> {
    let current = firstRead;
    for (let attempt = 0; ; attempt++) {
      let doc = ours;
      let replaced: ConflictView[] = [];
      const merged = current.version.number !== base.version.number;
      if (merged) {
        const result = mergeBlocks(base.adf!, current.adf, ours);
        const views = result.conflicts.map((c) => this.conflictView(docs, c));
        if (views.length && !request.force) throw conflictError(target, base.version.number, current.version.number, views);
        doc = result.doc;
        replaced = views;
      }
      // A title is ours only when we changed it from the base; else theirs (which may be newer) stays.
      const title = request.title !== undefined && request.title !== base.title ? request.title : current.title;
      const changes = this.changes(docs, current.adf, doc);
      const outcome = { id: current.id, title, url: current.url, version: current.version.number, baseVersion: base.version.number, merged, replaced, changes };
      if (changes.length === 0 && title === current.title) return { ...outcome, written: false, dryRun: request.dryRun === true };
      if (request.dryRun) return { ...outcome, written: false, dryRun: true };
      let page: WrittenPage;
      try {
        page = await updatePageRequest(await this.deps.api(), target.site, {
          id: current.id,
          title,
          doc,
          version: current.version.number + 1,
          ...(request.message ? { message: request.message } : {}),
        });
      } catch (error) {
        if (error instanceof AppError && error.code === 'VERSION_CONFLICT' && attempt === 0) {
          current = await this.read(target);
          continue;
        }
        throw error;
      }
      return { ...outcome, ...page, url: page.url ?? current.url, written: true, dryRun: false };
    }
  }

  private changes(docs: DocTools, before: AdfDoc, after: AdfDoc): BlockChange[] {
    return diffBlocks(before.content, after.content).map((h) => ({
      index: h.start,
      before: render(docs, before.content.slice(h.start, h.end)),
      after: render(docs, h.blocks),
    }));
  }

  private conflictView(docs: DocTools, conflict: MergeConflict): ConflictView {
    return {
      ...(conflict.heading !== undefined ? { heading: conflict.heading } : {}),
      theirs: render(docs, conflict.theirs ?? []),
      ours: render(docs, conflict.ours ?? []),
    };
  }
}

/**
 * `fromMarkdown(markdown, { base })`, parsing only what changed. The leading and trailing blocks whose
 * Markdown is exactly what the base renders are the base's nodes (the converter's own law), so only
 * the stretch between them is parsed, with one unchanged block of context on each side; when the
 * context does not come back as it was (the edit reaches into its neighbours: a list continued, a
 * fence left open), the whole text is parsed instead. On a large page this is most of an update's time.
 */
export function fromMarkdownAgainst(docs: DocTools, markdown: string, base: AdfDoc): AdfDoc {
  const whole = () => docs.fromMarkdown(markdown, { base });
  const blocks = docs.renderBlocks(base);
  if (blocks.length !== base.content.length || markdown.includes('\r')) return whole();
  const text = markdown.replace(/\s+$/, '');
  let start = 0;
  let head = 0;
  while (head < blocks.length && text.startsWith(blocks[head]!, start)) {
    const after = start + blocks[head]!.length;
    if (after !== text.length && !text.startsWith('\n\n', after)) break;
    start = Math.min(after + 2, text.length);
    head++;
  }
  let end = text.length;
  let tail = 0;
  while (tail < blocks.length - head) {
    const block = blocks[blocks.length - 1 - tail]!;
    const from = end - block.length;
    if (from < start || text.slice(from, end) !== block || (from !== start && text.slice(from - 2, from) !== '\n\n')) break;
    end = Math.max(from - 2, start);
    tail++;
  }
  const middle = text.slice(start, Math.max(start, end));
  const kept = (from: number, to: number) => base.content.slice(from, to);
  if (middle.trim() === '') return { ...base, content: [...kept(0, head), ...kept(blocks.length - tail, blocks.length)] };
  // One unchanged neighbour on each side, parsed with the change, must come back as it was.
  const before = head > 0 ? 1 : 0;
  const after = tail > 0 ? 1 : 0;
  const context = [...(before ? [blocks[head - 1]!] : []), middle, ...(after ? [blocks[blocks.length - tail]!] : [])].join('\n\n');
  const parsed = docs.fromMarkdown(`${context}\n`, { base }).content;
  if (parsed.length < before + after) return whole();
  if (before && blockKey(parsed[0]) !== blockKey(base.content[head - 1])) return whole();
  if (after && blockKey(parsed.at(-1)) !== blockKey(base.content[blocks.length - tail])) return whole();
  return { ...base, content: [...kept(0, head), ...parsed.slice(before, parsed.length - after), ...kept(blocks.length - tail, blocks.length)] };
}

function render(docs: DocTools, blocks: AdfNode[]): string {
  return blocks.length ? docs.toMarkdown({ type: 'doc', version: 1, content: blocks }).trimEnd() : '';
}

/** Refuses a document the schema rejects; with a base, only what differs from the base is judged. */
function refuseInvalid(docs: DocTools, doc: AdfDoc, base?: AdfDoc): void {
  const verdict = docs.validateAdf(doc, base ? { base } : {});
  if (verdict.valid) return;
  const first = verdict.errors[0];
  throw new AppError('ADF_INVALID', `The document is not valid ADF${first ? ` at ${first.path || '/'}: ${first.message}` : ''}. Nothing was written.`, {
    hint: 'Fix the place named (`confluence-adf adf validate FILE` lists every error) and try again.',
    details: { errors: verdict.errors.slice(0, 5) },
  });
}

function conflictError(target: PageTarget, baseVersion: number, currentVersion: number, conflicts: ConflictView[]): AppError {
  const where = conflicts.map((c) => (c.heading ? `"${c.heading}"` : 'the top of the page')).join(', ');
  return new AppError(
    'VERSION_CONFLICT',
    `Page ${target.id} changed since version ${baseVersion} (now ${currentVersion}), and ${conflicts.length} block${conflicts.length === 1 ? '' : 's'} changed on both sides (in ${where}). Nothing was written.`,
    {
      hint: `Read version ${currentVersion} (\`confluence-adf pages get ${target.id}\`), redo your change there and update again; or pass --force to write yours over theirs in those blocks.`,
      details: { page: target.id, baseVersion, currentVersion, conflicts },
    },
  );
}
