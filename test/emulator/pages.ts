/**
 * Confluence pages inside the emulator: spaces by id, a page tree, every version kept, the v2 page
 * endpoints, and v1 CQL search, as ../shared/confluence-pages.md describes them. The store is a small
 * API (addSpace, addPage, getPage, listVersions, putVersion, children) so writes can be added beside
 * the reads; `handlePagesRequest` answers the HTTP side and says whether the path was its own.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlePageWrite, type PageWrite } from './page-writes.js';

export interface AdfDocLike {
  type: string;
  version?: number;
  content?: unknown[];
  [key: string]: unknown;
}

export interface PageVersion {
  number: number;
  title: string;
  body: AdfDocLike;
  parentId: string | null;
  message: string;
  minorEdit: boolean;
  authorId: string;
  createdAt: string;
}

export interface PageRecord {
  id: string;
  siteId: string;
  spaceId: string;
  status: 'current' | 'archived' | 'trashed' | 'draft';
  authorId: string;
  createdAt: string;
  labels: string[];
  /** Oldest first; the last one is the current version. Nothing is ever removed. */
  versions: PageVersion[];
}

export interface PageSpace {
  id: string;
  key: string;
  name: string;
  siteId: string;
}

export interface NewPage {
  space: string;
  title: string;
  body: AdfDocLike;
  parentId?: string | null;
  labels?: string[];
  id?: string;
  authorId?: string;
  createdAt?: string;
  status?: PageRecord['status'];
}

type Send = (status: number, payload: unknown, headers?: Record<string, string>) => void;

export interface PagesRequest {
  method: string;
  url: URL;
  /** The raw request body (JSON for writes). */
  body: string;
  /** The granted scopes of the caller's token. */
  scopes: string[];
  /** The site's URL (https://acme.atlassian.net), or undefined when the caller cannot reach it. */
  siteUrl: (cloudId: string) => string | undefined;
  send: Send;
}

/** Confluence's short links: the id as 8 little-endian bytes in base64, trailing zeros ('A') cut. */
export function tinyFor(id: string): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(id));
  return bytes.toString('base64').replace(/=+$/, '').replace(/A+$/, '').replace(/\//g, '-').replace(/\+/g, '_');
}

const SCOPE_READ_PAGE = 'read:page:confluence';
const SCOPE_READ_SPACE = 'read:space:confluence';
const SCOPE_SEARCH = 'search:confluence';

export class PageStore {
  private readonly spaces = new Map<string, PageSpace>();
  private readonly pages = new Map<string, PageRecord>();
  private readonly cursors = new Map<string, { offset: number; key: string }>();
  private nextId = 65_537;
  private nextSpaceId = 32_769;
  private readonly textCache = new WeakMap<PageVersion, string>();
  /** Every POST and PUT of a page, accepted or refused, for tests (see page-writes.ts). */
  readonly writes: PageWrite[] = [];

  constructor(
    private readonly now: () => number = Date.now,
    private readonly defaultAuthor = '5b10ac8d82e05b22cc7d4ef5',
  ) {}

  addSpace(siteId: string, key: string, name: string, id?: string): PageSpace {
    const space = { id: id ?? String(this.nextSpaceId++), key, name, siteId };
    this.spaces.set(space.id, space);
    return space;
  }

  spacesOf(siteId: string): PageSpace[] {
    return [...this.spaces.values()].filter((s) => s.siteId === siteId);
  }

  spaceById(siteId: string, id: string): PageSpace | undefined {
    const space = this.spaces.get(id);
    return space && space.siteId === siteId ? space : undefined;
  }

  spaceByKey(siteId: string, key: string): PageSpace | undefined {
    return [...this.spaces.values()].find((s) => s.siteId === siteId && s.key === key);
  }

  /** Adds a page at version 1; `space` is a key or an id. */
  addPage(siteId: string, page: NewPage): PageRecord {
    const space = this.spaceByKey(siteId, page.space) ?? this.spaceById(siteId, page.space);
    if (!space) throw new Error(`emulator: no space ${page.space} on site ${siteId}`);
    const createdAt = page.createdAt ?? new Date(this.now()).toISOString();
    const authorId = page.authorId ?? this.defaultAuthor;
    const record: PageRecord = {
      id: page.id ?? String(this.nextId++),
      siteId,
      spaceId: space.id,
      status: page.status ?? 'current',
      authorId,
      createdAt,
      labels: page.labels ?? [],
      versions: [
        { number: 1, title: page.title, body: page.body, parentId: page.parentId ?? null, message: '', minorEdit: false, authorId, createdAt },
      ],
    };
    this.pages.set(record.id, record);
    return record;
  }

  getPage(siteId: string, id: string): PageRecord | undefined {
    const page = this.pages.get(id);
    return page && page.siteId === siteId ? page : undefined;
  }

  current(page: PageRecord): PageVersion {
    return page.versions[page.versions.length - 1]!;
  }

  listVersions(siteId: string, id: string): PageVersion[] {
    return this.getPage(siteId, id)?.versions ?? [];
  }

  /** Appends the next version (the caller checks the number it was given); returns it. */
  putVersion(siteId: string, id: string, change: { title?: string; body?: AdfDocLike; parentId?: string | null; message?: string; minorEdit?: boolean; authorId?: string }): PageVersion {
    const page = this.getPage(siteId, id);
    if (!page) throw new Error(`emulator: no page ${id}`);
    const last = this.current(page);
    const version: PageVersion = {
      number: last.number + 1,
      title: change.title ?? last.title,
      body: change.body ?? last.body,
      parentId: change.parentId === undefined ? last.parentId : change.parentId,
      message: change.message ?? '',
      minorEdit: change.minorEdit ?? false,
      authorId: change.authorId ?? this.defaultAuthor,
      createdAt: new Date(Math.max(this.now(), Date.parse(last.createdAt) + 1)).toISOString(),
    };
    page.versions.push(version);
    return version;
  }

  /** The current pages whose parent is `id`, in creation order. */
  children(siteId: string, id: string): PageRecord[] {
    return [...this.pages.values()].filter((p) => p.siteId === siteId && p.status === 'current' && this.current(p).parentId === id);
  }

  pagesOf(siteId: string): PageRecord[] {
    return [...this.pages.values()].filter((p) => p.siteId === siteId);
  }

  ancestors(siteId: string, id: string): string[] {
    const out: string[] = [];
    const page = this.getPage(siteId, id);
    let parent = page ? this.current(page).parentId : null;
    while (parent && !out.includes(parent)) {
      out.push(parent);
      const above = this.getPage(siteId, parent);
      parent = above ? this.current(above).parentId : null;
    }
    return out;
  }

  /** The words of a version (title and every text node), for `text ~`. */
  plainText(version: PageVersion): string {
    let text = this.textCache.get(version);
    if (text === undefined) {
      const parts: string[] = [version.title];
      const walk = (node: unknown) => {
        if (!node || typeof node !== 'object') return;
        const n = node as { text?: unknown; content?: unknown; attrs?: { text?: unknown } };
        if (typeof n.text === 'string') parts.push(n.text);
        if (Array.isArray(n.content)) n.content.forEach(walk);
      };
      walk(version.body);
      text = parts.join(' ');
      this.textCache.set(version, text);
    }
    return text;
  }

  webui(page: PageRecord): string {
    const space = this.spaces.get(page.spaceId)!;
    const slug = encodeURIComponent(this.current(page).title.replace(/\s+/g, '+')).replace(/%2B/g, '+');
    return `/spaces/${space.key}/pages/${page.id}/${slug}`;
  }

  links(page: PageRecord, siteUrl: string): Record<string, string> {
    return { webui: this.webui(page), editui: `/pages/resumedraft.action?draftId=${page.id}`, tinyui: `/x/${tinyFor(page.id)}`, base: `${siteUrl}/wiki` };
  }

  saveCursor(offset: number, key: string): string {
    const cursor = crypto.randomBytes(12).toString('base64url');
    this.cursors.set(cursor, { offset, key });
    return cursor;
  }

  readCursor(cursor: string | null, key: string): number | undefined {
    if (cursor === null) return 0;
    const saved = this.cursors.get(cursor);
    return saved && saved.key === key ? saved.offset : undefined;
  }
}

// ---- HTTP ----------------------------------------------------------------------------------------

const V2 = /^\/ex\/confluence\/([^/]+)\/wiki\/api\/v2\/(pages|spaces)\/([^/]+)(\/[a-z-]+)?$/;
const V1_SEARCH = /^\/ex\/confluence\/([^/]+)\/wiki\/rest\/api\/search$/;
const V1_GONE = /^\/ex\/confluence\/([^/]+)\/wiki\/rest\/api\/(content|space)(\/.*)?$/;

export const v2Error = (status: number, code: string, title: string, detail: string | null = null) => ({ errors: [{ status, code, title, detail }] });

/** Answers the page, space-by-id, search and gone-v1 paths; false when the path is not one of them. */
export function handlePagesRequest(store: PageStore, request: PagesRequest): boolean {
  const { url, send } = request;
  const gone = V1_GONE.exec(url.pathname);
  if (gone) {
    send(410, { statusCode: 410, message: 'This endpoint has been deprecated. Use the v2 API instead (https://developer.atlassian.com/cloud/confluence/rest/v2/).' });
    return true;
  }
  if (request.method === 'POST' || request.method === 'PUT') return handlePageWrite(store, request);
  const search = V1_SEARCH.exec(url.pathname);
  const v2 = V2.exec(url.pathname);
  if (!search && !v2) return false;
  if (request.method !== 'GET') return false;
  const cloudId = (search ?? v2)![1]!;
  const siteUrl = request.siteUrl(cloudId);
  if (!siteUrl) {
    send(404, v2Error(404, 'NOT_FOUND', 'Not Found'));
    return true;
  }
  const lacks = (scope: string) => {
    if (request.scopes.includes(scope)) return false;
    send(401, { code: 401, message: 'Unauthorized; scope does not match' }, { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' });
    return true;
  };
  if (search) {
    if (!lacks(SCOPE_SEARCH)) searchPages(store, cloudId, siteUrl, url, send);
    return true;
  }
  const [, , kind, id, tail] = v2!;
  if (kind === 'spaces') {
    if (tail) return false;
    if (lacks(SCOPE_READ_SPACE)) return true;
    const space = /^\d+$/.test(id!) ? store.spaceById(cloudId, id!) : undefined;
    if (!space) send(404, v2Error(404, 'NOT_FOUND', 'Not Found', `Space ${id} was not found.`));
    else send(200, { id: space.id, key: space.key, name: space.name, type: 'global', status: 'current', _links: { webui: `/spaces/${space.key}`, base: `${siteUrl}/wiki` } });
    return true;
  }
  if (lacks(SCOPE_READ_PAGE)) return true;
  if (!/^\d+$/.test(id!)) {
    send(400, v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Invalid request parameter', `Page id "${id}" is not a number.`));
    return true;
  }
  const page = store.getPage(cloudId, id!);
  if (!page || page.status === 'trashed') {
    send(404, v2Error(404, 'NOT_FOUND', 'Not Found', `Page ${id} was not found.`));
    return true;
  }
  switch (tail) {
    case undefined:
      getPage(store, page, siteUrl, url, send);
      return true;
    case '/direct-children':
      listTree(store, page, siteUrl, url, send, 1);
      return true;
    case '/descendants':
      listTree(store, page, siteUrl, url, send, undefined);
      return true;
    case '/versions':
      pageOf(store, `versions:${page.id}`, [...page.versions].reverse().map(versionJson), url, `/wiki/api/v2/pages/${page.id}/versions`, siteUrl, send, 50);
      return true;
    default:
      return false;
  }
}

function versionJson(v: PageVersion) {
  return { number: v.number, message: v.message, minorEdit: v.minorEdit, authorId: v.authorId, createdAt: v.createdAt };
}

export function getPage(store: PageStore, page: PageRecord, siteUrl: string, url: URL, send: Send): void {
  const q = url.searchParams;
  const format = q.get('body-format');
  if (format !== null && !['atlas_doc_format', 'storage', 'view', 'export_view', 'anonymous_export_view', 'styled_view', 'editor'].includes(format)) {
    return send(400, v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Invalid request parameter', `body-format ${format} is not supported.`));
  }
  if (format !== null && format !== 'atlas_doc_format') {
    // The emulator keeps ADF only; a client asking for another representation is a surprise worth seeing.
    return send(599, { emulator: `body-format ${format} is not emulated` });
  }
  const wanted = q.get('version');
  let version = store.current(page);
  if (wanted !== null) {
    const n = Number(wanted);
    const found = page.versions.find((v) => v.number === n);
    if (!Number.isInteger(n) || n < 1) return send(400, v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Invalid request parameter', 'version must be a positive integer'));
    if (!found) return send(404, v2Error(404, 'NOT_FOUND', 'Not Found', `Version ${wanted} of page ${page.id} was not found.`));
    version = found;
  }
  const body = format === 'atlas_doc_format' ? { atlas_doc_format: { representation: 'atlas_doc_format', value: JSON.stringify(version.body) } } : {};
  send(200, {
    id: page.id,
    status: page.status,
    title: version.title,
    spaceId: page.spaceId,
    parentId: version.parentId,
    parentType: version.parentId ? 'page' : null,
    position: 0,
    authorId: page.authorId,
    ownerId: page.authorId,
    lastOwnerId: null,
    createdAt: page.createdAt,
    ...(q.get('include-version') === 'false' ? {} : { version: versionJson(version) }),
    body,
    _links: store.links(page, siteUrl),
  });
}

function listTree(store: PageStore, root: PageRecord, siteUrl: string, url: URL, send: Send, fixedDepth: number | undefined): void {
  const depthRaw = url.searchParams.get('depth');
  const depth = fixedDepth ?? (depthRaw === null ? 5 : Number(depthRaw));
  if (!Number.isInteger(depth) || depth < 1 || depth > 5) {
    return send(400, v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Invalid request parameter', 'depth must be between 1 and 5'));
  }
  const rows: Record<string, unknown>[] = [];
  // Breadth first, as Confluence lists descendants: every child before any grandchild.
  let level = [root];
  for (let d = 1; d <= depth && level.length > 0; d++) {
    const next: PageRecord[] = [];
    for (const parent of level) {
      store.children(root.siteId, parent.id).forEach((child, position) => {
        const v = store.current(child);
        rows.push({
          id: child.id,
          status: child.status,
          title: v.title,
          type: 'page',
          spaceId: child.spaceId,
          childPosition: position,
          ...(fixedDepth ? {} : { parentId: parent.id, depth: d }),
        });
        next.push(child);
      });
    }
    level = next;
  }
  const tail = fixedDepth ? 'direct-children' : 'descendants';
  pageOf(store, `${tail}:${root.id}:${depth}`, rows, url, `/wiki/api/v2/pages/${root.id}/${tail}`, siteUrl, send, 25);
}

/** One page of a v2 list, with an opaque cursor in _links.next and the Link header. */
function pageOf(store: PageStore, key: string, rows: unknown[], url: URL, path: string, siteUrl: string, send: Send, defaultLimit: number): void {
  const q = url.searchParams;
  const limit = q.get('limit') === null ? defaultLimit : Number(q.get('limit'));
  if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
    return send(400, v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Invalid request parameter', 'limit must be between 1 and 250'));
  }
  const offset = store.readCursor(q.get('cursor'), key);
  if (offset === undefined) return send(400, v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Invalid request parameter', 'invalid cursor'));
  const links: Record<string, string> = { base: `${siteUrl}/wiki` };
  const headers: Record<string, string> = {};
  if (offset + limit < rows.length) {
    const next = new URLSearchParams(q);
    next.set('cursor', store.saveCursor(offset + limit, key));
    links.next = `${path}?${next.toString()}`;
    headers.link = `<${links.next}>; rel="next", <${links.base}>; rel="base"`;
  }
  send(200, { results: rows.slice(offset, offset + limit), _links: links }, headers);
}

// ---- CQL -----------------------------------------------------------------------------------------

type Cql = { kind: 'and' | 'or'; left: Cql; right: Cql } | { kind: 'not'; inner: Cql } | { kind: 'cmp'; field: string; op: string; values: string[] };

class CqlError extends Error {}

function tokenize(cql: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < cql.length) {
    const c = cql[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < cql.length && cql[i] !== c) {
        if (cql[i] === '\\' && i + 1 < cql.length) i++;
        value += cql[i++];
      }
      if (i >= cql.length) throw new CqlError(`unterminated string starting "${value.slice(0, 20)}"`);
      i++;
      tokens.push(`"${value}`);
    } else if ('(),'.includes(c)) tokens.push(cql[i++]!);
    else if (/[=!~<>]/.test(c)) {
      const m = /^(!=|!~|>=|<=|=|~|<|>)/.exec(cql.slice(i))!;
      if (!m) throw new CqlError(`unexpected "${c}"`);
      tokens.push(m[1]!);
      i += m[1]!.length;
    } else {
      const m = /^[^\s(),=!~<>"']+/.exec(cql.slice(i))!;
      tokens.push(m[0]);
      i += m[0].length;
    }
  }
  return tokens;
}

/** Parses the CQL subset: comparisons joined by AND / OR / NOT, parentheses, one ORDER BY. */
export function parseCql(cql: string): { where: Cql | undefined; order: { field: string; dir: 'asc' | 'desc' } | undefined } {
  const tokens = tokenize(cql);
  let pos = 0;
  const peek = () => tokens[pos];
  const word = (w: string) => peek()?.toLowerCase() === w;
  const take = () => {
    const t = tokens[pos++];
    if (t === undefined) throw new CqlError('unexpected end of query');
    return t;
  };
  const value = () => {
    const t = take();
    return t.startsWith('"') ? t.slice(1) : t;
  };
  const primary = (): Cql => {
    if (peek() === '(') {
      take();
      const inner = or();
      if (take() !== ')') throw new CqlError('expected )');
      return inner;
    }
    if (word('not')) {
      take();
      return { kind: 'not', inner: primary() };
    }
    const field = take().toLowerCase();
    if (!/^[a-z.]+$/.test(field)) throw new CqlError(`expected a field, found "${field}"`);
    let op = take().toLowerCase();
    if (op === 'not' && word('in')) op = `not ${take().toLowerCase()}`;
    if (op === 'in' || op === 'not in') {
      if (take() !== '(') throw new CqlError('expected ( after IN');
      const values = [value()];
      while (peek() === ',') {
        take();
        values.push(value());
      }
      if (take() !== ')') throw new CqlError('expected ) after the IN list');
      return { kind: 'cmp', field, op, values };
    }
    if (!['=', '!=', '~', '!~', '<', '>', '<=', '>='].includes(op)) throw new CqlError(`unknown operator "${op}"`);
    return { kind: 'cmp', field, op, values: [value()] };
  };
  const and = (): Cql => {
    let left = primary();
    while (word('and')) {
      take();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Cql => {
    let left = and();
    while (word('or')) {
      take();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const where = peek() === undefined || word('order') ? undefined : or();
  let order: { field: string; dir: 'asc' | 'desc' } | undefined;
  if (word('order')) {
    take();
    if (take().toLowerCase() !== 'by') throw new CqlError('expected BY after ORDER');
    const field = take().toLowerCase();
    const dir = word('asc') || word('desc') ? (take().toLowerCase() as 'asc' | 'desc') : 'asc';
    order = { field, dir };
  }
  if (pos < tokens.length) throw new CqlError(`unexpected "${tokens[pos]}"`);
  return { where, order };
}

function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
}

function matches(store: PageStore, page: PageRecord, q: Cql): boolean {
  if (q.kind === 'not') return !matches(store, page, q.inner);
  if (q.kind !== 'cmp') return q.kind === 'and' ? matches(store, page, q.left) && matches(store, page, q.right) : matches(store, page, q.left) || matches(store, page, q.right);
  const v = store.current(page);
  const negate = q.op.startsWith('!') || q.op.startsWith('not');
  const equalsAny = (actual: string | string[]) => {
    const list = Array.isArray(actual) ? actual : [actual];
    const hit = q.values.some((value) => list.some((a) => a.toLowerCase() === value.toLowerCase()));
    return negate ? !hit : hit;
  };
  const contains = (haystack: string) => {
    const set = new Set(words(haystack));
    const hit = q.values.some((value) => words(value).every((w) => set.has(w) || [...set].some((h) => h.startsWith(w))));
    return negate ? !hit : hit;
  };
  switch (q.field) {
    case 'type':
      return equalsAny('page');
    case 'space':
    case 'space.key':
      return equalsAny(storeSpaceKey(store, page));
    case 'space.id':
      return equalsAny(page.spaceId);
    case 'id':
    case 'content':
      return equalsAny(page.id);
    case 'title':
      return q.op.includes('~') ? contains(v.title) : equalsAny(v.title);
    case 'text':
      return contains(store.plainText(v));
    case 'ancestor':
      return equalsAny(store.ancestors(page.siteId, page.id));
    case 'parent':
      return equalsAny(v.parentId ?? '');
    case 'label':
      return equalsAny(page.labels);
    case 'creator':
      return equalsAny(page.authorId);
    default:
      throw new CqlError(`the field "${q.field}" is not supported by the emulator`);
  }
}

function storeSpaceKey(store: PageStore, page: PageRecord): string {
  return store.spaceById(page.siteId, page.spaceId)?.key ?? '';
}

function excerptOf(text: string, cql: Cql | undefined): string {
  const wanted: string[] = [];
  const collect = (q: Cql | undefined) => {
    if (!q) return;
    if (q.kind === 'cmp' && (q.field === 'text' || q.field === 'title') && q.op === '~') wanted.push(...q.values.flatMap(words));
    else if (q.kind !== 'cmp' && q.kind !== 'not') {
      collect(q.left);
      collect(q.right);
    }
  };
  collect(cql);
  const at = wanted.length ? Math.max(0, text.toLowerCase().indexOf(wanted[0]!)) : 0;
  return text.slice(Math.max(0, at - 60), at + 180).replace(/\s+/g, ' ').trim();
}

function searchPages(store: PageStore, cloudId: string, siteUrl: string, url: URL, send: Send): void {
  const q = url.searchParams;
  const cql = q.get('cql');
  const badCql = (message: string) => send(400, { statusCode: 400, data: { authorized: false, valid: false, errors: [], successful: false }, message });
  if (!cql) return badCql('com.atlassian.confluence.api.service.exceptions.BadRequestException: cql is required');
  let parsed: ReturnType<typeof parseCql>;
  let hits: PageRecord[];
  try {
    parsed = parseCql(cql);
    hits = store.pagesOf(cloudId).filter((p) => p.status === 'current' && (!parsed.where || matches(store, p, parsed.where)));
  } catch (error) {
    if (error instanceof CqlError) return badCql(`Could not parse cql : ${cql} (${error.message})`);
    throw error;
  }
  if (parsed.order) {
    const { field, dir } = parsed.order;
    const key = (p: PageRecord): string | number =>
      field === 'lastmodified' ? Date.parse(store.current(p).createdAt) : field === 'created' ? Date.parse(p.createdAt) : field === 'title' ? store.current(p).title.toLowerCase() : Number(p.id);
    const sign = dir === 'desc' ? -1 : 1;
    hits = [...hits].sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : Number(a.id) - Number(b.id)));
  }
  const limitRaw = q.get('limit');
  // Confluence caps the page size silently instead of refusing a larger one.
  const limit = Math.min(250, limitRaw === null ? 25 : Math.max(1, Number(limitRaw) || 25));
  const offset = store.readCursor(q.get('cursor'), `search:${cloudId}:${cql}`);
  if (offset === undefined) return badCql('Invalid cursor');
  const slice = hits.slice(offset, offset + limit);
  const results = slice.map((p) => {
    const v = store.current(p);
    const space = store.spaceById(cloudId, p.spaceId)!;
    const webui = store.webui(p);
    return {
      content: { id: p.id, type: 'page', status: p.status, title: v.title, childTypes: {}, macroRenderedOutput: {}, restrictions: {}, _expandable: { space: `/rest/api/space/${space.key}` }, _links: { webui, tinyui: `/x/${tinyFor(p.id)}`, self: `${siteUrl}/wiki/rest/api/content/${p.id}` } },
      title: v.title,
      excerpt: excerptOf(store.plainText(v), parsed.where),
      url: webui,
      resultGlobalContainer: { title: space.name, displayUrl: `/spaces/${space.key}` },
      breadcrumbs: [],
      entityType: 'content',
      iconCssClass: 'aui-icon content-type-page',
      lastModified: v.createdAt,
      friendlyLastModified: v.createdAt.slice(0, 10),
      score: 0,
    };
  });
  const links: Record<string, string> = { base: `${siteUrl}/wiki`, context: '/wiki' };
  if (offset + limit < hits.length) {
    const next = new URLSearchParams({ next: 'true', cursor: store.saveCursor(offset + limit, `search:${cloudId}:${cql}`), limit: String(limit), start: String(offset + limit), cql });
    links.next = `/rest/api/search?${next.toString()}`;
  }
  send(200, { results, start: offset, limit, size: results.length, totalSize: hits.length, cqlQuery: cql, searchDuration: 3, _links: links });
}

// ---- seeding -------------------------------------------------------------------------------------

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CORPUS_DIR = path.join(ROOT, 'test', 'fixtures', 'adf');

function isDoc(value: unknown): value is AdfDocLike {
  return !!value && typeof value === 'object' && (value as { type?: unknown }).type === 'doc' && Array.isArray((value as { content?: unknown }).content);
}

/** Every ADF document of the corpus (test/fixtures/adf), with a title taken from its name. */
export function corpusDocuments(dir = CORPUS_DIR): { name: string; doc: AdfDocLike }[] {
  const found: { name: string; doc: AdfDocLike }[] = [];
  const visit = (folder: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.json')) {
        try {
          const parsed = JSON.parse(fs.readFileSync(full, 'utf8')) as unknown;
          const doc = isDoc(parsed) ? parsed : [(parsed as { doc?: unknown })?.doc, (parsed as { adf?: unknown })?.adf].find(isDoc);
          // Documents kept as examples of broken structure are not pages Confluence would store.
          if (doc && !/invalid/i.test(entry.name)) found.push({ name: path.relative(dir, full).replace(/\.json$/, ''), doc });
        } catch {
          // Not a document (a schema, a list of sources): skipped.
        }
      }
    }
  };
  visit(dir);
  return found;
}

function titleFromName(name: string): string {
  const base = name.split(/[\\/]/).pop()!.replace(/^\d+[-_]/, '').replace(/[-_]+/g, ' ').trim();
  return base.charAt(0).toUpperCase() + base.slice(1);
}

const text = (t: string, marks?: unknown[]) => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const para = (...content: unknown[]) => ({ type: 'paragraph', content });
const heading = (level: number, t: string) => ({ type: 'heading', attrs: { level }, content: [text(t)] });
const doc = (...content: unknown[]): AdfDocLike => ({ type: 'doc', version: 1, content });

/** The grown page: real pages' blocks in turn (a heading at each round) until the body passes `bytes`. */
export function hugeDocument(sources: AdfDocLike[], bytes = 170_000): AdfDocLike {
  const blocks = sources.flatMap((d) => (d.content ?? []) as unknown[]);
  const content: unknown[] = [];
  let size = 0;
  const add = (block: unknown) => {
    content.push(block);
    size += JSON.stringify(block).length + 1;
  };
  for (let round = 1; size < bytes; round++) {
    add(heading(1, `Part ${round}`));
    for (const block of blocks) {
      if (size >= bytes) break;
      add(structuredClone(block));
    }
  }
  return doc(...content);
}

export interface SeededPages {
  space: PageSpace;
  home: PageRecord;
  /** A page at least 170 KB long (of ADF JSON). */
  huge: PageRecord;
  /** A page whose title carries control characters. */
  hostileTitle: PageRecord;
  /** One page per corpus document, in corpus order. */
  corpus: PageRecord[];
}

/**
 * Seeds a site with the space ENG: a home page, the corpus documents under "Reference" (real pages as
 * Confluence stored them), a 170 KB page grown from them, a small tree three levels deep with a second
 * version, and a page whose title holds terminal escapes.
 */
export function seedPages(store: PageStore, siteId: string): SeededPages {
  const space = store.addSpace(siteId, 'ENG', 'Engineering');
  store.addSpace(siteId, 'OPS', 'Operations');
  const home = store.addPage(siteId, {
    space: 'ENG',
    title: 'Engineering Home',
    labels: ['home'],
    body: doc(heading(1, 'Welcome'), para(text('How the engineering team works: '), text('architecture', [{ type: 'strong' }]), text(', runbooks and decisions.')), heading(2, 'Contacts'), para(text('Ask in #eng.'))),
  });
  const corpusParent = store.addPage(siteId, { space: 'ENG', title: 'Reference', parentId: home.id, body: doc(para(text('Pages as Confluence stores them.'))) });
  const documents = corpusDocuments();
  const sources = documents.length > 0 ? documents.map((d) => d.doc) : [fallbackDocument()];
  const corpus = (documents.length > 0 ? documents : [{ name: 'architecture-overview', doc: sources[0]! }]).map((d, i) =>
    store.addPage(siteId, { space: 'ENG', title: titleFromName(d.name) || `Document ${i + 1}`, parentId: corpusParent.id, body: d.doc, labels: ['corpus'] }),
  );
  const architecture = store.addPage(siteId, {
    space: 'ENG',
    title: 'Architecture',
    parentId: home.id,
    labels: ['architecture'],
    body: doc(heading(1, 'Overview'), para(text('The quarterly plan covers the gateway.')), heading(2, 'Services'), para(text('Gateway, search, storage.'))),
  });
  store.putVersion(siteId, architecture.id, {
    body: doc(heading(1, 'Overview'), para(text('The quarterly plan covers the gateway and the indexer.')), heading(2, 'Services'), para(text('Gateway, search, storage, indexer.'))),
    message: 'Add the indexer',
  });
  store.addPage(siteId, { space: 'ENG', title: 'Decision log', parentId: architecture.id, labels: ['decisions'], body: doc(heading(1, 'Decisions'), para(text('ADR-1: use OAuth 2.0 (3LO).'))) });
  // The largest real page when it is big enough; else real sections repeated to that size.
  const largest = corpus.map((p) => ({ p, size: JSON.stringify(store.current(p).body).length })).sort((a, b) => b.size - a.size)[0];
  const huge = largest && largest.size >= 170_000 ? largest.p : store.addPage(siteId, { space: 'ENG', title: 'Handbook (complete)', parentId: home.id, body: hugeDocument(sources) });
  const hostileTitle = store.addPage(siteId, { space: 'ENG', title: 'Release \u001b[31mnotes\u001b[0m\u0007 2026', parentId: home.id, body: doc(para(text('Bell and colour codes in the title.'))) });
  store.addPage(siteId, { space: 'OPS', title: 'On-call runbook', labels: ['runbook'], body: doc(heading(1, 'Paging'), para(text('Quarterly rotation, see the plan.'))) });
  return { space, home, huge, hostileTitle, corpus };
}

/** Used only while the corpus folder is absent: a page with the quirks real pages carry. */
function fallbackDocument(): AdfDocLike {
  return doc(
    { type: 'heading', attrs: { level: 1, localId: 'a1b2c3' }, content: [text('Architecture overview')] },
    { type: 'paragraph', attrs: { localId: 'p-1' }, content: [text('See '), { type: 'text', text: 'the design doc', marks: [{ type: 'link', attrs: { href: 'https://acme.atlassian.net/wiki/x/AQAB', __confluenceMetadata: { linkType: 'page' } } }] }, text('.')] },
    { type: 'panel', attrs: { panelType: 'info' }, content: [para(text('Owned by the platform team.'))] },
    { type: 'extension', attrs: { extensionType: 'com.atlassian.confluence.macro.core', extensionKey: 'toc', parameters: { macroParams: {} }, layout: 'default' } },
    { type: 'codeBlock', attrs: { language: null }, content: [text('make deploy')] },
    { type: 'table', attrs: { layout: 'default', __autoSize: false }, content: [{ type: 'tableRow', content: [{ type: 'tableHeader', attrs: {}, content: [para(text('Service'))] }, { type: 'tableHeader', attrs: {}, content: [para(text('Owner'))] }] }, { type: 'tableRow', content: [{ type: 'tableCell', attrs: {}, content: [para(text('gateway'))] }, { type: 'tableCell', attrs: {}, content: [para({ type: 'mention', attrs: { id: '5b10ac8d82e05b22cc7d4ef5', text: '@Ada Lovelace' } })] }] }] },
  );
}
