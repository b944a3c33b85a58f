import type { ApiClient } from './http.js';
import { SCOPE_FOR } from '../auth/scopes.js';
import { AppError } from '../errors.js';
import type { Site } from '../store/token-store.js';
import type { AdfDoc } from '../adf/types.js';
import { parsePageRef } from './page-ref.js';
import { cursorFromNext } from './spaces.js';

export interface PageVersionInfo {
  number: number;
  createdAt: string | null;
  message: string;
  minorEdit: boolean;
  authorId: string | null;
}

/** A page as the commands and tools use it; `adf` only when the body was asked for. */
export interface Page {
  id: string;
  title: string;
  status: string;
  spaceId: string | null;
  /** The space key, read from the page's web address (no extra request). */
  spaceKey: string | null;
  parentId: string | null;
  authorId: string | null;
  createdAt: string | null;
  version: PageVersionInfo | null;
  url: string | null;
  editUrl: string | null;
  tinyUrl: string | null;
  site: Site;
  adf?: AdfDoc;
}

export interface PageTarget {
  site: Site;
  id: string;
}

export interface TreeNode {
  id: string;
  title: string;
  status: string;
  parentId: string;
  depth: number;
  children: TreeNode[];
}

export interface DescendantsPage {
  results: { id: string; title: string; status: string; parentId: string; depth: number }[];
  nextCursor: string | undefined;
}

export interface PagesDeps {
  api: () => Promise<ApiClient>;
  /** The site for a choice (URL, host, name or cloud ID), or the login's own when undefined. */
  site: (choice?: string) => Promise<Site>;
}

/** Confluence answers descendants at most 5 levels deep per request. */
const MAX_DESCENDANT_DEPTH = 5;

const pagePath = (site: Site, id: string, tail = '') => `ex/confluence/${encodeURIComponent(site.cloudId)}/wiki/api/v2/pages/${encodeURIComponent(id)}${tail}`;

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function badShape(what: string): AppError {
  return new AppError('BAD_RESPONSE', `Confluence sent ${what} in an unexpected shape.`, { hint: 'Try again; if it persists, run with --verbose and report it.' });
}

/** A 404 from Confluence names the page that is missing (or hidden from this account). */
function pageNotFound(error: unknown, target: PageTarget, version?: number): unknown {
  if (!(error instanceof AppError) || error.code !== 'NOT_FOUND' || /Access denied/.test(error.message)) return error;
  const what = version ? `Version ${version} of page ${target.id}` : `Page ${target.id}`;
  return new AppError('NOT_FOUND', `${what} was not found on ${target.site.name} (or your account cannot see it).`, {
    hint: version ? `Leave out the version to read the current one, or check the page's history in the browser.` : 'Check the id or address, the site, and that your account can open the page in the browser.',
    details: { page: target.id, site: target.site.url, ...(version ? { version } : {}) },
  });
}

/** The body arrives as a JSON string inside body.atlas_doc_format.value. */
export function parseAdfBody(body: unknown): AdfDoc {
  const value = (body as { atlas_doc_format?: { value?: unknown } } | undefined)?.atlas_doc_format?.value;
  if (value === undefined || value === null || value === '') return { type: 'doc', version: 1, content: [] };
  if (typeof value !== 'string') throw badShape('the page body');
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    throw badShape('the page body (not JSON)');
  }
  if (!doc || typeof doc !== 'object' || (doc as { type?: unknown }).type !== 'doc' || !Array.isArray((doc as { content?: unknown }).content)) {
    throw badShape('the page body (not an ADF document)');
  }
  return doc as AdfDoc;
}

export function normalisePage(raw: Record<string, unknown>, site: Site): Page {
  const id = str(raw.id);
  if (!id) throw badShape('a page');
  const links = (raw._links ?? {}) as Record<string, unknown>;
  const base = typeof links.base === 'string' ? links.base : `${site.url}/wiki`;
  const abs = (link: unknown) => (typeof link === 'string' && link ? `${base}${link}` : null);
  const webui = typeof links.webui === 'string' ? links.webui : '';
  const v = raw.version as Record<string, unknown> | undefined;
  return {
    id,
    title: typeof raw.title === 'string' ? raw.title : '',
    status: typeof raw.status === 'string' ? raw.status : 'current',
    spaceId: str(raw.spaceId),
    spaceKey: /\/spaces\/([^/]+)\//.exec(webui)?.[1] ? decodeURIComponent(/\/spaces\/([^/]+)\//.exec(webui)![1]!) : null,
    parentId: str(raw.parentId),
    authorId: str(raw.authorId),
    createdAt: str(raw.createdAt),
    version:
      v && typeof v.number === 'number'
        ? { number: v.number, createdAt: str(v.createdAt), message: typeof v.message === 'string' ? v.message : '', minorEdit: v.minorEdit === true, authorId: str(v.authorId) }
        : null,
    url: abs(links.webui),
    editUrl: abs(links.editui),
    tinyUrl: abs(links.tinyui),
    site,
  };
}

/** The v2 page endpoints for reading: one page (any version), its children and descendants. */
export class PagesService {
  constructor(private readonly deps: PagesDeps) {}

  /** Reads an id or a page address; an address's host (or --site) picks the site. */
  async resolve(ref: string, siteChoice?: string): Promise<PageTarget> {
    const parsed = parsePageRef(ref);
    const fromRef = parsed.cloudId ?? parsed.host;
    const site = await this.deps.site(fromRef ?? siteChoice);
    if (fromRef && siteChoice) {
      const chosen = await this.deps.site(siteChoice);
      if (chosen.cloudId !== site.cloudId) {
        throw new AppError('USAGE', `The page address is on ${site.url} but --site names ${chosen.url}.`, { hint: 'Leave out --site: the address picks the site.' });
      }
    }
    return { site, id: parsed.id };
  }

  /** GET /wiki/api/v2/pages/{id}: metadata, and the ADF body unless `body` is false. */
  async get(target: PageTarget, options: { version?: number; body?: boolean } = {}): Promise<Page> {
    const params = new URLSearchParams();
    if (options.body !== false) params.set('body-format', 'atlas_doc_format');
    if (options.version !== undefined) params.set('version', String(options.version));
    params.set('include-version', 'true');
    let raw: Record<string, unknown>;
    try {
      raw = (await (await this.deps.api()).getJson<Record<string, unknown>>(pagePath(target.site, target.id), { searchParams: params, requiredScope: SCOPE_FOR.pageRead })).body;
    } catch (error) {
      throw pageNotFound(error, target, options.version);
    }
    if (!raw || typeof raw !== 'object') throw badShape('a page');
    const page = normalisePage(raw, target.site);
    if (options.body !== false) page.adf = parseAdfBody(raw.body);
    return page;
  }

  /** One page of descendants, breadth first, each with its parent and depth (1 = a child). */
  async descendantsPage(target: PageTarget, options: { depth: number; limit?: number; cursor?: string }): Promise<DescendantsPage> {
    const params = new URLSearchParams({ depth: String(Math.min(options.depth, MAX_DESCENDANT_DEPTH)), limit: String(options.limit ?? 250) });
    if (options.cursor) params.set('cursor', options.cursor);
    let body: { results?: unknown; _links?: { next?: unknown } };
    try {
      body = (await (await this.deps.api()).getJson<typeof body>(pagePath(target.site, target.id, '/descendants'), { searchParams: params, requiredScope: SCOPE_FOR.pageRead })).body;
    } catch (error) {
      throw pageNotFound(error, target);
    }
    if (!body || !Array.isArray(body.results)) throw badShape('the page tree');
    const results = (body.results as Record<string, unknown>[])
      .filter((r) => r && str(r.id) && (r.type === undefined || r.type === 'page'))
      .map((r) => ({ id: str(r.id)!, title: typeof r.title === 'string' ? r.title : '', status: typeof r.status === 'string' ? r.status : 'current', parentId: str(r.parentId) ?? target.id, depth: typeof r.depth === 'number' ? r.depth : 1 }));
    return { results, nextCursor: cursorFromNext(body._links?.next) };
  }

  /** The tree below a page, `depth` levels deep (levels past 5 take one more request per branch). */
  async tree(target: PageTarget, depth: number): Promise<TreeNode[]> {
    const nodes = new Map<string, TreeNode>();
    const roots: TreeNode[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.descendantsPage(target, { depth, ...(cursor ? { cursor } : {}) });
      for (const r of page.results) {
        const node: TreeNode = { ...r, children: [] };
        nodes.set(r.id, node);
        const parent = nodes.get(r.parentId);
        if (parent) parent.children.push(node);
        else roots.push(node);
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (depth > MAX_DESCENDANT_DEPTH) {
      for (const node of [...nodes.values()].filter((n) => n.depth === MAX_DESCENDANT_DEPTH)) {
        node.children = await this.tree({ site: target.site, id: node.id }, depth - MAX_DESCENDANT_DEPTH);
        const shift = (list: TreeNode[]) => list.forEach((n) => ((n.depth += MAX_DESCENDANT_DEPTH), shift(n.children)));
        shift(node.children);
      }
    }
    return roots;
  }
}

/** The front matter of a page's Markdown: the handle `pages update` reads back. */
export function pageHandle(page: Page): Record<string, unknown> {
  return {
    id: page.id,
    title: page.title,
    space: page.spaceKey ?? undefined,
    version: page.version?.number,
    url: page.url ?? undefined,
    parent: page.parentId ?? undefined,
  };
}

/** A page's metadata for --json and MCP: everything but the site's internals and the body. */
export function pageSummary(page: Page): Record<string, unknown> {
  const { site, adf: _adf, ...rest } = page;
  return { ...rest, site: { name: site.name, url: site.url, cloudId: site.cloudId } };
}
