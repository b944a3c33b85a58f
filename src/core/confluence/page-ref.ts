import { AppError } from '../errors.js';

/** What a page argument names: the page id, and the site when it was a URL. */
export interface PageRef {
  id: string;
  /** The host of a browser URL (acme.atlassian.net), when one was given. */
  host?: string;
  /** The cloud ID of an API URL (api.atlassian.com/ex/confluence/CLOUD_ID/...), when one was given. */
  cloudId?: string;
}

const HINT = 'Pass the page id (the number in /pages/123/) or the page address copied from the browser.';

function notAPage(input: string, why: string): AppError {
  return new AppError('USAGE', `"${input}" does not name a Confluence page: ${why}.`, { hint: HINT, details: { input } });
}

/**
 * Confluence's short links (/wiki/x/TINY): the page id as 8 little-endian bytes in base64, with '/'
 * written '-', '+' written '_', and trailing zero bytes ('A') and padding cut off.
 */
export function idFromTiny(tiny: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,11}$/.test(tiny)) return undefined;
  const base64 = tiny.replace(/-/g, '/').replace(/_/g, '+').padEnd(11, 'A') + '=';
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== 8) return undefined;
  const id = bytes.readBigUInt64LE();
  return id > 0n ? id.toString() : undefined;
}

/**
 * Reads a page id or any address Confluence shows for a page: /wiki/spaces/KEY/pages/ID/Title, the
 * edit forms (/pages/edit-v2/ID, editpage.action?pageId=, resumedraft.action?draftId=),
 * viewpage.action?pageId=, short links /wiki/x/TINY, and API URLs. The host picks the site.
 */
export function parsePageRef(input: string): PageRef {
  const raw = input.trim();
  if (/^\d+$/.test(raw)) return { id: raw };
  if (raw === '') throw notAPage(input, 'it is empty');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw.replace(/^\/+/, '')}`);
  } catch {
    throw notAPage(input, 'it is neither a number nor an address');
  }
  if (!/\./.test(url.hostname) && url.hostname !== 'localhost') throw notAPage(input, 'it is neither a number nor an address');
  const host = url.host.toLowerCase();
  const segments = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const api = /^\/ex\/confluence\/([^/]+)\/wiki\/(?:api\/v2\/pages|rest\/api\/content)\/(\d+)/.exec(url.pathname);
  if (api) return { id: api[2]!, cloudId: api[1]! };
  const path = segments[0] === 'wiki' ? segments.slice(1) : segments;
  const query = url.searchParams;
  const fromQuery = query.get('pageId') ?? query.get('draftId') ?? query.get('contentId');
  if (fromQuery && /^\d+$/.test(fromQuery) && path[0] === 'pages') return { id: fromQuery, host };
  if (path[0] === 'x' && path[1]) {
    const id = idFromTiny(path[1]);
    if (!id) throw notAPage(input, `the short link "${path[1]}" cannot be read`);
    return { id, host };
  }
  if (path[0] === 'spaces' && path[2] === 'pages') {
    // /spaces/KEY/pages/ID/Title, /spaces/KEY/pages/edit-v2/ID, /spaces/KEY/pages/edit/ID
    const id = [path[3], path[4]].find((s) => s !== undefined && /^\d+$/.test(s));
    if (id && (path[3] === id || /^edit/.test(path[3] ?? ''))) return { id, host };
  }
  if (path[0] === 'spaces' && path[2] === 'overview' && query.get('homepageId')) return { id: query.get('homepageId')!, host };
  if (path[0] === 'display' || (path[0] === 'spaces' && path[2] === 'blog')) {
    throw notAPage(input, 'this address names a page by title or a blog post, not a page by id');
  }
  throw notAPage(input, 'no page id in this address');
}
