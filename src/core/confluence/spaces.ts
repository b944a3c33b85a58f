import type { ApiClient } from './http.js';
import { printable } from '../text.js';
import { SCOPE_FOR } from '../auth/scopes.js';
import { AppError } from '../errors.js';
import type { Site } from '../store/token-store.js';

/** Every type v2 knows; it takes one per request. */
export const SPACE_TYPES = ['global', 'collaboration', 'knowledge_base', 'personal', 'system', 'onboarding', 'xflow_sample_space'] as const;
export const SPACE_STATUSES = ['current', 'archived'] as const;
export const SPACE_SORTS = ['id', '-id', 'key', '-key', 'name', '-name'] as const;

export interface Space {
  id: string;
  key: string;
  name: string;
  type: string | null;
  status: string | null;
  url: string | null;
  [field: string]: unknown;
}

export interface SpacesQuery {
  type?: string;
  status?: string;
  keys?: string[];
  sort?: string;
  /** Page size sent to Atlassian (1..250). */
  limit?: number;
  cursor?: string;
}

export interface SpacesPage {
  results: Space[];
  /** The opaque cursor of the next page, if any. */
  nextCursor: string | undefined;
}

/** Builds the v2 query; values are passed as given and checked by Confluence, except the limit. */
export function spacesSearchParams(query: SpacesQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.type) params.set('type', query.type);
  if (query.status) params.set('status', query.status);
  if (query.keys && query.keys.length > 0) params.set('keys', query.keys.join(','));
  if (query.sort) params.set('sort', query.sort);
  if (query.limit !== undefined) {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 250) {
      throw new AppError('USAGE', `The page size must be from 1 to 250 (got ${query.limit}).`, { hint: 'Pass a --limit from 1 to 250, or --all.' });
    }
    params.set('limit', String(query.limit));
  }
  if (query.cursor) params.set('cursor', query.cursor);
  return params;
}

/**
 * The cursor inside a relative next link; never built or parsed beyond taking it out. Real cursors are
 * standard base64, and the link may carry a `+` raw: form decoding (URLSearchParams) would turn it into
 * a space, so the value is only percent-decoded.
 */
export function cursorFromNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next === '') return undefined;
  const query = next.split('#')[0]!.split('?').slice(1).join('?');
  for (const pair of query.split('&')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at) !== 'cursor') continue;
    const raw = pair.slice(at + 1);
    try {
      return decodeURIComponent(raw) || undefined;
    } catch {
      return raw || undefined;
    }
  }
  return undefined;
}

function normaliseSpace(raw: Record<string, unknown>, base: string | undefined, site: Site): Space | undefined {
  if (!raw || typeof raw.id !== 'string' && typeof raw.id !== 'number') return undefined;
  const links = (raw._links ?? {}) as { webui?: unknown };
  const webui = typeof links.webui === 'string' ? links.webui : undefined;
  const root = base ?? `${site.url}/wiki`;
  return {
    ...raw,
    id: String(raw.id),
    key: typeof raw.key === 'string' ? printable(raw.key) : '',
    name: typeof raw.name === 'string' ? printable(raw.name) : '',
    type: typeof raw.type === 'string' ? raw.type : null,
    status: typeof raw.status === 'string' ? raw.status : null,
    url: webui ? `${root}${webui}` : null,
  };
}

/** One page of GET /wiki/api/v2/spaces for a site. */
export async function listSpacesPage(api: ApiClient, site: Site, query: SpacesQuery): Promise<SpacesPage> {
  const { body } = await api
    .getJson<{ results?: unknown; _links?: { next?: unknown; base?: unknown } }>(`ex/confluence/${encodeURIComponent(site.cloudId)}/wiki/api/v2/spaces`, {
      searchParams: spacesSearchParams(query),
      requiredScope: SCOPE_FOR.spacesList,
    })
    .catch((error: unknown) => {
      // A cursor only works with the query that produced it; a 400 for one is almost always that.
      if (query.cursor && error instanceof AppError && error.details?.status === 400) {
        throw new AppError('USAGE', `Confluence did not accept the cursor: ${error.message}`, {
          hint: 'Pass the nextCursor of the previous page of the same query (same site and filters), or leave --cursor out to start from the first page.',
          details: { status: 400 },
          cause: error,
        });
      }
      throw error;
    });
  if (!body || !Array.isArray(body.results)) {
    throw new AppError('BAD_RESPONSE', 'Confluence listed spaces in an unexpected shape (no results array).', {
      hint: 'Try again; if it persists, run with --verbose and report it.',
    });
  }
  const base = typeof body._links?.base === 'string' ? body._links.base : undefined;
  const results = (body.results as Record<string, unknown>[]).map((r) => normaliseSpace(r, base, site)).filter((s): s is Space => !!s);
  return { results, nextCursor: cursorFromNext(body._links?.next) };
}

/** Every page from `query.cursor` on, as they arrive. */
export async function* listAllSpaces(api: ApiClient, site: Site, query: SpacesQuery): AsyncGenerator<SpacesPage> {
  let cursor = query.cursor;
  for (;;) {
    const page = await listSpacesPage(api, site, { ...query, ...(cursor ? { cursor } : {}) });
    yield page;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
