import { AppError } from '../errors.js';
import type { Account, Site } from '../store/token-store.js';
import type { ApiClient } from './http.js';
import { SCOPE_FOR } from '../auth/scopes.js';
import { printable } from '../text.js';

interface ResourceBody {
  id?: unknown;
  name?: unknown;
  url?: unknown;
  scopes?: unknown;
}

const scopesOf = (r: ResourceBody) => (Array.isArray(r.scopes) ? r.scopes.filter((s): s is string => typeof s === 'string') : []);
/** Confluence's entry first; an entry that names no scopes next; another product's entry is no Confluence site. */
const rank = (r: ResourceBody) => (scopesOf(r).some((s) => s.includes('confluence')) ? 2 : scopesOf(r).length === 0 ? 1 : 0);

/**
 * The sites the grant reaches, read defensively: unknown fields ignored, odd entries skipped. One site
 * can come back once per product with the same id: it is counted once, from its Confluence entry, and
 * a site whose only entries carry other products' scopes is no Confluence site for this app.
 */
export async function accessibleSites(api: ApiClient): Promise<Site[]> {
  const { body } = await api.getJson<unknown>('oauth/token/accessible-resources');
  if (!Array.isArray(body)) throw new AppError('BAD_RESPONSE', 'Atlassian listed the accessible sites in an unexpected shape.');
  const entries = (body as ResourceBody[]).filter((r) => r && typeof r.id === 'string' && typeof r.url === 'string');
  const byId = new Map<string, ResourceBody>();
  for (const entry of entries) {
    const seen = byId.get(entry.id as string);
    if (!seen || rank(entry) > rank(seen)) byId.set(entry.id as string, entry);
  }
  return [...byId.values()]
    .filter((r) => rank(r) > 0)
    .map((r) => ({ cloudId: r.id as string, name: printable(typeof r.name === 'string' ? r.name : (r.url as string)), url: printable(r.url as string).replace(/\/+$/, '') }));
}

/** Who signed in; undefined when the grant lacks read:me (the login still works without it). */
export async function currentAccount(api: ApiClient): Promise<Account | undefined> {
  try {
    const { body } = await api.getJson<{ account_id?: string; name?: string; email?: string }>('me', { requiredScope: SCOPE_FOR.me });
    if (!body?.account_id) return undefined;
    return { accountId: body.account_id, name: printable(body.name ?? body.account_id), ...(body.email ? { email: printable(body.email) } : {}) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'MISSING_SCOPE') return undefined;
    throw error;
  }
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(value.includes('://') ? value : `https://${value}`).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Finds a site by cloudId, URL (with or without scheme) or name. */
export function findSite(sites: Site[], choice: string): Site | undefined {
  const wanted = choice.trim();
  const host = hostOf(wanted);
  return (
    sites.find((s) => s.cloudId === wanted) ??
    sites.find((s) => host !== undefined && hostOf(s.url) === host) ??
    sites.find((s) => s.name.toLowerCase() === wanted.toLowerCase()) ??
    sites.find((s) => hostOf(s.url)?.split('.')[0] === wanted.toLowerCase())
  );
}

export function describeSites(sites: Site[]): string {
  return sites.map((s) => `  ${s.name}  ${s.url}  (${s.cloudId})`).join('\n');
}

export function siteNotFound(sites: Site[], choice: string): AppError {
  return new AppError('SITE_NOT_FOUND', `No site matching "${choice}" is available to this login. Available sites:\n${describeSites(sites)}`, {
    hint: 'Pass --site with one of the URLs, names or cloud IDs above.',
  });
}
