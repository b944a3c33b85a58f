/**
 * Page writes inside the emulator: POST /wiki/api/v2/pages and PUT /wiki/api/v2/pages/{id} with
 * Confluence's rules (../shared/confluence-pages.md): the version sent must be the current + 1 or the
 * answer is 409 with Atlassian's own words; titles are unique per space (400); over 5 MB is 413;
 * structurally broken ADF is a 400 in the v2 error envelope, while the attribute quirks real pages
 * carry are accepted. Every version is kept, and every write, accepted or not, is recorded.
 */
import { getPage, v2Error, type AdfDocLike, type PageRecord, type PagesRequest, type PageStore } from './pages.js';

export interface PageWrite {
  method: 'POST' | 'PUT';
  pageId: string | undefined;
  status: number;
  /** The version number the client sent (PUT). */
  sentVersion?: number;
  /** The document sent, parsed, when it parsed. */
  doc?: AdfDocLike;
  title?: string;
}

const PAGES = /^\/ex\/confluence\/([^/]+)\/wiki\/api\/v2\/pages(?:\/([^/]+))?$/;
const SCOPE_WRITE_PAGE = 'write:page:confluence';
/** Confluence refuses request bodies over 5 MB. */
export const MAX_WRITE_BYTES = 5 * 1024 * 1024;

/** Inline nodes: these may not stand where a block must. */
const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji', 'date', 'status', 'inlineCard', 'inlineExtension', 'placeholder', 'mediaInline']);
/** Blocks: these may not stand inside a paragraph or a heading. */
const BLOCK = new Set([
  'paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'taskList', 'taskItem', 'decisionList', 'decisionItem', 'codeBlock',
  'blockquote', 'rule', 'panel', 'expand', 'nestedExpand', 'table', 'tableRow', 'tableHeader', 'tableCell', 'mediaSingle', 'mediaGroup',
  'layoutSection', 'layoutColumn', 'blockCard', 'embedCard', 'extension', 'bodiedExtension', 'multiBodiedExtension', 'extensionFrame',
]);
/** Nodes whose content is inline. */
const TEXT_BLOCKS = new Set(['paragraph', 'heading']);

/**
 * The first structural break in a document, or undefined: broken structure only (a block inside a
 * paragraph, an empty text node, an unknown node where a block must be), never attribute quirks.
 * `known` holds node types the page already carries: what Confluence stored, it takes back.
 */
export function structuralError(doc: unknown, known: ReadonlySet<string> = new Set()): string | undefined {
  const d = doc as AdfDocLike | null;
  if (!d || typeof d !== 'object' || d.type !== 'doc' || !Array.isArray(d.content)) return 'the body is not an ADF document (type "doc" with a content array)';
  const walk = (node: unknown, path: string, context: 'block' | 'inline' | 'any'): string | undefined => {
    const n = node as { type?: unknown; text?: unknown; content?: unknown } | null;
    if (!n || typeof n !== 'object' || typeof n.type !== 'string') return `${path}: a node without a type`;
    if (n.type === 'text' && (typeof n.text !== 'string' || n.text === '')) return `${path}: a text node must have non-empty text`;
    if (context === 'inline' && BLOCK.has(n.type)) return `${path}: a ${n.type} cannot be inside a paragraph or heading`;
    if (context === 'block' && INLINE.has(n.type)) return `${path}: a ${n.type} cannot stand where a block must`;
    if (context === 'block' && !BLOCK.has(n.type) && !known.has(n.type)) return `${path}: unknown node type "${n.type}" where a block must be`;
    if (n.content === undefined) return undefined;
    if (!Array.isArray(n.content)) return `${path}.content: not an array`;
    // Inside nodes not modelled here anything goes: Confluence knows more nodes than the emulator.
    const inner = TEXT_BLOCKS.has(n.type) ? 'inline' : BLOCK_CONTAINERS.has(n.type) ? 'block' : 'any';
    for (let i = 0; i < n.content.length; i++) {
      const error = walk(n.content[i], `${path}.content[${i}]`, inner);
      if (error) return error;
    }
    return undefined;
  };
  for (let i = 0; i < d.content.length; i++) {
    const error = walk(d.content[i], `content[${i}]`, 'block');
    if (error) return error;
  }
  return undefined;
}

/** Nodes whose content must be blocks. */
const BLOCK_CONTAINERS = new Set(['doc', 'blockquote', 'panel', 'listItem', 'tableCell', 'tableHeader', 'layoutColumn', 'expand', 'nestedExpand', 'bodiedExtension', 'taskList', 'decisionList']);

function titleTaken(store: PageStore, siteId: string, spaceId: string, title: string, except?: string): boolean {
  return store.pagesOf(siteId).some((p) => p.id !== except && p.spaceId === spaceId && p.status === 'current' && store.current(p).title === title);
}

/** Answers POST and PUT of pages; false when the path is not a page write. */
export function handlePageWrite(store: PageStore, request: PagesRequest): boolean {
  const match = PAGES.exec(request.url.pathname);
  if (!match) return false;
  const [, cloudId, id] = match;
  const method = request.method as 'POST' | 'PUT';
  if ((method === 'POST') !== (id === undefined)) return false;
  const record: PageWrite = { method, pageId: id, status: 0 };
  store.writes.push(record);
  const send = (status: number, payload: unknown, headers?: Record<string, string>) => {
    record.status = status;
    request.send(status, payload, headers);
  };
  const bad = (detail: string, title = 'Invalid request parameter', code = 'INVALID_REQUEST_PARAMETER') => send(400, v2Error(400, code, title, detail));

  const siteUrl = request.siteUrl(cloudId!);
  if (!siteUrl) return void send(404, v2Error(404, 'NOT_FOUND', 'Not Found')), true;
  if (!request.scopes.includes(SCOPE_WRITE_PAGE)) {
    send(401, { code: 401, message: 'Unauthorized; scope does not match' }, { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' });
    return true;
  }
  if (Buffer.byteLength(request.body) > MAX_WRITE_BYTES) {
    send(413, v2Error(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request Entity Too Large', `The request is larger than ${MAX_WRITE_BYTES} bytes.`));
    return true;
  }
  let payload: { id?: unknown; spaceId?: unknown; status?: unknown; title?: unknown; parentId?: unknown; body?: { representation?: unknown; value?: unknown }; version?: { number?: unknown; message?: unknown; minorEdit?: unknown } };
  try {
    payload = JSON.parse(request.body) as typeof payload;
  } catch {
    return void bad('The request body is not JSON.'), true;
  }
  if (typeof payload.title === 'string') record.title = payload.title;
  if (payload.body?.representation !== 'atlas_doc_format') {
    // The emulator keeps ADF only; another representation is a surprise worth seeing.
    return void send(599, { emulator: `representation ${String(payload.body?.representation)} is not emulated` }), true;
  }
  let doc: AdfDocLike;
  try {
    doc = JSON.parse(String(payload.body.value)) as AdfDocLike;
  } catch {
    return void bad('body.value is not an ADF document (not JSON).'), true;
  }
  record.doc = doc;
  const existing = method === 'PUT' ? store.getPage(cloudId!, id!) : undefined;
  const broken = structuralError(doc, existing ? typesIn(store.current(existing).body) : undefined);
  if (broken) return void bad(`Invalid ADF content: ${broken}.`, 'Invalid ADF content', 'BAD_REQUEST'), true;
  if (typeof payload.title !== 'string' || payload.title.trim() === '') return void bad('title is required.'), true;
  const title = payload.title;

  if (method === 'POST') {
    const space = typeof payload.spaceId === 'string' || typeof payload.spaceId === 'number' ? store.spaceById(cloudId!, String(payload.spaceId)) : undefined;
    if (!space) return void bad(`Space ${String(payload.spaceId)} was not found.`), true;
    const parentId = payload.parentId === undefined || payload.parentId === null ? undefined : String(payload.parentId);
    if (parentId && !store.getPage(cloudId!, parentId)) return void bad(`Parent page ${parentId} was not found.`), true;
    if (titleTaken(store, cloudId!, space.id, title)) return void alreadyExists(bad), true;
    const page = store.addPage(cloudId!, { space: space.id, title, body: doc, parentId: parentId ?? null });
    record.pageId = page.id;
    answer(store, page, siteUrl, send);
    return true;
  }

  const page = store.getPage(cloudId!, id!);
  if (!page || page.status === 'trashed') return void send(404, v2Error(404, 'NOT_FOUND', 'Not Found', `Page ${id} was not found.`)), true;
  const sent = Number(payload.version?.number);
  if (Number.isInteger(sent)) record.sentVersion = sent;
  const current = store.current(page).number;
  if (!Number.isInteger(sent) || sent !== current + 1) {
    send(
      409,
      v2Error(409, 'CONFLICT', `Version must be incremented when updating a page. Current Version: [${current}]. Provided version: [${Number.isInteger(sent) ? sent : 'null'}]`),
    );
    return true;
  }
  if (titleTaken(store, cloudId!, page.spaceId, title, page.id)) return void alreadyExists(bad), true;
  store.putVersion(cloudId!, page.id, {
    title,
    body: doc,
    ...(typeof payload.version?.message === 'string' ? { message: payload.version.message } : {}),
    ...(payload.version?.minorEdit === true ? { minorEdit: true } : {}),
  });
  answer(store, page, siteUrl, send);
  return true;
}

function typesIn(doc: unknown, into = new Set<string>()): Set<string> {
  const n = doc as { type?: unknown; content?: unknown } | null;
  if (n && typeof n.type === 'string') into.add(n.type);
  if (n && Array.isArray(n.content)) for (const child of n.content) typesIn(child, into);
  return into;
}

function alreadyExists(bad: (detail: string, title?: string, code?: string) => void): void {
  bad('', 'A page with this title already exists: A page already exists with the same TITLE in this space', 'BAD_REQUEST');
}

/** Confluence answers a write with the page as a GET would show it. */
function answer(store: PageStore, page: PageRecord, siteUrl: string, send: (status: number, payload: unknown) => void): void {
  getPage(store, page, siteUrl, new URL('http://emulator/?body-format=atlas_doc_format'), send);
}
