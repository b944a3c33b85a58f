import type { ApiClient } from './http.js';
import { SCOPE_FOR } from '../auth/scopes.js';
import { AppError } from '../errors.js';
import type { Site } from '../store/token-store.js';
import { cursorFromNext } from './spaces.js';

export interface SearchQuery {
  /** CQL as the user wrote it; combined with the fields below by AND. */
  cql?: string;
  /** Words the page must contain (text ~). */
  text?: string;
  /** Words the title must contain (title ~). */
  title?: string;
  /** A space key. */
  space?: string;
}

export interface SearchHit {
  id: string;
  type: string;
  title: string;
  space: string | null;
  spaceName: string | null;
  url: string | null;
  excerpt: string;
  lastModified: string | null;
}

export interface SearchPage {
  results: SearchHit[];
  nextCursor: string | undefined;
  totalSize: number | undefined;
}

/** A CQL string literal: the value in double quotes, with `"` and `\` escaped. */
export function cqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Where a trailing ORDER BY starts, outside quoted strings; -1 when there is none. */
function orderByAt(cql: string): number {
  let quote: string | undefined;
  let found = -1;
  for (let i = 0; i < cql.length; i++) {
    const c = cql[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (/^order\s+by\b/i.test(cql.slice(i)) && (i === 0 || /\s|\)/.test(cql[i - 1]!))) found = i;
  }
  return found;
}

/**
 * The CQL sent: the user's own CQL (kept whole, in parentheses) AND the flag values, each escaped into a
 * string literal, never pasted raw. Without CQL of its own a search lists pages, newest first.
 */
export function buildCql(query: SearchQuery): string {
  const own = query.cql?.trim() ?? '';
  const at = own ? orderByAt(own) : -1;
  const where = at >= 0 ? own.slice(0, at).trim() : own;
  const order = at >= 0 ? own.slice(at).trim() : own ? '' : 'ORDER BY lastmodified DESC';
  const clauses: string[] = [];
  if (where) clauses.push(query.text || query.title || query.space ? `(${where})` : where);
  else clauses.push('type = page');
  if (query.space) clauses.push(`space = ${cqlString(query.space)}`);
  if (query.title) clauses.push(`title ~ ${cqlString(query.title)}`);
  if (query.text) clauses.push(`text ~ ${cqlString(query.text)}`);
  if (!own && !query.text && !query.title && !query.space) {
    throw new AppError('USAGE', 'Say what to search for: CQL, or --text, --title or --space.', { hint: 'For example: confluence-adf pages search --text "quarterly plan" --space ENG' });
  }
  return [clauses.join(' AND '), order].filter(Boolean).join(' ');
}

function hitOf(raw: Record<string, unknown>, base: string): SearchHit | undefined {
  const content = (raw.content ?? {}) as Record<string, unknown>;
  const id = typeof content.id === 'string' || typeof content.id === 'number' ? String(content.id) : undefined;
  if (!id) return undefined;
  const container = (raw.resultGlobalContainer ?? {}) as { title?: unknown; displayUrl?: unknown };
  const displayUrl = typeof container.displayUrl === 'string' ? container.displayUrl : '';
  const url = typeof raw.url === 'string' ? raw.url : typeof (content._links as { webui?: unknown } | undefined)?.webui === 'string' ? String((content._links as { webui: string }).webui) : undefined;
  return {
    id,
    type: typeof content.type === 'string' ? content.type : 'page',
    title: typeof content.title === 'string' ? content.title : typeof raw.title === 'string' ? raw.title : '',
    space: /\/spaces\/([^/?#]+)/.exec(displayUrl)?.[1] ?? /\/spaces\/([^/?#]+)/.exec(url ?? '')?.[1] ?? null,
    spaceName: typeof container.title === 'string' ? container.title : null,
    url: url ? `${base}${url}` : null,
    // Highlight markers are Confluence's own; the words stay, the markers go.
    excerpt: typeof raw.excerpt === 'string' ? raw.excerpt.replace(/@@@(end)?hl@@@/g, '') : '',
    lastModified: typeof raw.lastModified === 'string' ? raw.lastModified : null,
  };
}

/** v1 CQL search (v2 has none), through the gateway. */
export class SearchService {
  constructor(private readonly deps: { api: () => Promise<ApiClient> }) {}

  /** One page of results. `limit` 1..250 (Confluence caps larger pages itself). */
  async page(site: Site, cql: string, options: { limit?: number; cursor?: string } = {}): Promise<SearchPage> {
    const limit = options.limit ?? 25;
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
      throw new AppError('USAGE', `The page size must be from 1 to 250 (got ${limit}).`, { hint: 'Pass a --limit from 1 to 250, or --all.' });
    }
    const params = new URLSearchParams({ cql, limit: String(limit) });
    if (options.cursor) params.set('cursor', options.cursor);
    const { body } = await (await this.deps.api()).getJson<{ results?: unknown; totalSize?: unknown; _links?: { next?: unknown; base?: unknown } }>(
      `ex/confluence/${encodeURIComponent(site.cloudId)}/wiki/rest/api/search`,
      { searchParams: params, requiredScope: SCOPE_FOR.search },
    );
    if (!body || !Array.isArray(body.results)) throw new AppError('BAD_RESPONSE', 'Confluence answered the search in an unexpected shape (no results array).', { hint: 'Try again; if it persists, run with --verbose and report it.' });
    const base = typeof body._links?.base === 'string' ? body._links.base : `${site.url}/wiki`;
    return {
      results: (body.results as Record<string, unknown>[]).map((r) => hitOf(r, base)).filter((h): h is SearchHit => !!h),
      nextCursor: cursorFromNext(body._links?.next),
      totalSize: typeof body.totalSize === 'number' ? body.totalSize : undefined,
    };
  }

  /** Every page of results from `cursor` on, as they arrive. */
  async *all(site: Site, cql: string, options: { limit?: number; cursor?: string } = {}): AsyncGenerator<SearchPage> {
    let cursor = options.cursor;
    for (;;) {
      const page = await this.page(site, cql, { limit: options.limit ?? 250, ...(cursor ? { cursor } : {}) });
      yield page;
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }
}
