import type { ApiClient } from './http.js';
import { SCOPE_FOR } from '../auth/scopes.js';
import { AppError } from '../errors.js';
import type { Site } from '../store/token-store.js';
import type { AdfDoc } from '../adf/types.js';
import { listSpacesPage } from './spaces.js';

/** What Confluence answers to a create or an update, reduced to what the caller reports. */
export interface WrittenPage {
  id: string;
  title: string;
  version: number;
  url: string | null;
}

const pagesPath = (site: Site, tail = '') => `ex/confluence/${encodeURIComponent(site.cloudId)}/wiki/api/v2/pages${tail}`;

function written(raw: unknown, site: Site): WrittenPage {
  const page = (raw ?? {}) as { id?: unknown; title?: unknown; version?: { number?: unknown }; _links?: { webui?: unknown; base?: unknown } };
  if ((typeof page.id !== 'string' && typeof page.id !== 'number') || typeof page.version?.number !== 'number') {
    throw new AppError('BAD_RESPONSE', 'Confluence accepted the page but answered in an unexpected shape.', {
      hint: 'Check the page in the browser; run with --verbose and report it if it persists.',
    });
  }
  const base = typeof page._links?.base === 'string' ? page._links.base : `${site.url}/wiki`;
  return {
    id: String(page.id),
    title: typeof page.title === 'string' ? page.title : '',
    version: page.version.number,
    url: typeof page._links?.webui === 'string' ? `${base}${page._links.webui}` : null,
  };
}

/** Turns Confluence's refusals of a write into the errors people can act on. */
function writeRefused(error: unknown, what: { title?: string; version?: number }): unknown {
  if (!(error instanceof AppError) || error.code !== 'BAD_RESPONSE') return error;
  const status = error.details?.['status'];
  const detail = String(error.details?.['detail'] ?? '');
  if (status === 409) {
    const current = /Current Version: \[(\d+)\]/.exec(detail)?.[1];
    return new AppError('VERSION_CONFLICT', `Someone saved the page first${current ? ` (it is now at version ${current})` : ''}.`, {
      hint: 'Read the page again (`confluence-adf pages get`), redo the change on it, and update again.',
      details: { ...(current ? { currentVersion: Number(current) } : {}), ...(what.version ? { sentVersion: what.version } : {}) },
    });
  }
  if (status === 413) {
    return new AppError('PAGE_TOO_LARGE', 'Confluence refuses requests over 5 MB, and this page is larger.', {
      hint: 'Split the page, or move large content (images, attachments) out of the body.',
    });
  }
  if (status === 400 && /title/i.test(detail) && /already exists/i.test(detail)) {
    return new AppError('TITLE_TAKEN', `A page titled "${what.title ?? ''}" already exists in this space.`, {
      hint: 'Choose another --title (titles are unique within a space), or update the existing page.',
      details: { title: what.title },
    });
  }
  if (status === 400) {
    return new AppError('ADF_INVALID', `Confluence refused the document: ${detail || 'no reason given'}.`, {
      hint: 'Check the document with `confluence-adf adf validate`, fix what it names, and try again.',
      details: { detail },
    });
  }
  return error;
}

const body = (doc: AdfDoc) => ({ representation: 'atlas_doc_format', value: JSON.stringify(doc) });

/** POST /wiki/api/v2/pages: a new current page in a space (by id), optionally under a parent. */
export async function createPageRequest(
  api: ApiClient,
  site: Site,
  page: { spaceId: string; title: string; parentId?: string; doc: AdfDoc },
): Promise<WrittenPage> {
  const payload = { spaceId: page.spaceId, status: 'current', title: page.title, ...(page.parentId ? { parentId: page.parentId } : {}), body: body(page.doc) };
  try {
    return written((await api.sendJson('POST', pagesPath(site), payload, { requiredScope: SCOPE_FOR.pageWrite })).body, site);
  } catch (error) {
    throw writeRefused(error, { title: page.title });
  }
}

/**
 * PUT /wiki/api/v2/pages/{id} as version `version`: the version read + 1, never a fresh re-read + 1,
 * so a write that raced ours comes back as a 409 (VERSION_CONFLICT) instead of being overwritten.
 */
export async function updatePageRequest(
  api: ApiClient,
  site: Site,
  page: { id: string; title: string; doc: AdfDoc; version: number; message?: string },
): Promise<WrittenPage> {
  const payload = {
    id: page.id,
    status: 'current',
    title: page.title,
    body: body(page.doc),
    version: { number: page.version, ...(page.message ? { message: page.message } : {}) },
  };
  try {
    return written((await api.sendJson('PUT', pagesPath(site, `/${encodeURIComponent(page.id)}`), payload, { requiredScope: SCOPE_FOR.pageWrite })).body, site);
  } catch (error) {
    throw writeRefused(error, { title: page.title, version: page.version });
  }
}

/** A space's id from its key (the v2 API names spaces by id). */
export async function spaceIdForKey(api: ApiClient, site: Site, key: string): Promise<string> {
  const page = await listSpacesPage(api, site, { keys: [key], limit: 1 });
  const space = page.results.find((s) => s.key === key) ?? page.results[0];
  if (!space) {
    throw new AppError('NOT_FOUND', `${site.name} has no space with the key ${key} (or your account cannot see it).`, {
      hint: 'Check the key with `confluence-adf spaces list` (keys are case-sensitive).',
      details: { space: key },
    });
  }
  return space.id;
}
