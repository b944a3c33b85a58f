/**
 * An Atlassian Cloud emulator: auth.atlassian.com and api.atlassian.com as ../shared/atlassian-cloud.md
 * describes them, on two loopback ports. Tests drive it in-process; `npm run emulator` from a shell.
 * It answers anything it does not know with a loud 599 so a test sees the unexpected call.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PageStore, handlePagesRequest, seedBulkPages, seedPages, type SeededPages } from './pages.js';

export interface EmulatorApp {
  name: string;
  clientId: string;
  clientSecret: string;
  /** Atlassian keeps one callback URL per app and compares it character for character. */
  callbackUrl: string;
  /** The scopes configured on the app in the Developer Console. */
  scopes: string[];
}

export interface EmulatorSite {
  id: string;
  name: string;
  url: string;
  spaceCount: number;
}

export interface EmulatorUser {
  accountId: string;
  name: string;
  email: string;
  siteIds: string[];
  nickname?: string;
  zoneinfo?: string;
  jobTitle?: string;
}

/** An entry of accessible-resources the grant also returns, as captured: another product's site, say. */
export interface ExtraResource {
  id: string;
  name: string;
  url: string;
  scopes: string[];
}

export type FaultKind = '429' | '503' | '500' | 'slow' | 'drop' | 'malformed';

export interface Fault {
  kind: FaultKind;
  /** Only requests whose path starts with this are hit (default: every API request). */
  path?: string;
  /** Only requests of this method are hit (default: any). */
  method?: string;
  server?: 'auth' | 'api';
  /** How many requests it hits (default 1). */
  times?: number;
  /** Sent as Retry-After when set (seconds, or an HTTP date). */
  retryAfter?: string;
  /** Sent as X-RateLimit-Reset when set (ISO 8601). */
  rateLimitReset?: string;
  reason?: string;
  /** Any other headers to send with it (the structured RateLimit ones, the Beta- variants...). */
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface RecordedRequest {
  server: 'auth' | 'api';
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Record<string, string> | undefined;
  status: number;
  /** Real wall time, for rate measurements. */
  at: number;
  grantType?: string;
}

export interface EmulatorOptions {
  apps?: EmulatorApp[];
  sites?: EmulatorSite[];
  user?: EmulatorUser;
  autoConsent?: boolean;
  /** How long a rotated-out refresh token still works (Atlassian: 10 minutes). */
  leewayMs?: number;
  /** How a rejected refresh is worded; both are seen in the field. */
  refreshRejection?: 'invalid_grant' | 'unauthorized_client';
  /** Whether /oauth/revoke exists (unconfirmed for 3LO apps). */
  revokeSupported?: boolean;
  /** What an expired access token gets from v2 (reported: 404 instead of 401). */
  expiredTokenStatus?: 401 | 404;
  /** A token bucket the API enforces, like Atlassian's burst limits. */
  rateLimit?: { perSecond: number; burst: number } | undefined;
  /** Atlassian's points-based hourly quota: a 429 shaped like its documented example once used up. */
  quota?: QuotaOptions | undefined;
  /**
   * accessible-resources as captured from real grants: each site once per product (a Jira entry with
   * Jira's scopes beside the Confluence one, same id), instead of once.
   */
  entryPerProduct?: boolean;
  /** More accessible-resources entries, e.g. a site that has Jira only. */
  extraResources?: ExtraResource[];
  /** The id of the first space; real ones run to 9–10 digits. */
  spaceIdBase?: number;
  /** Whether a scope failure carries X-Failure-Category (captures show it is not always there). */
  scopeFailureHeader?: boolean;
  /**
   * Where an unregistered redirect_uri is caught: on the authorize page (what the docs describe), or
   * only at the code exchange, with a generic invalid_grant that does not say why ([unconfirmed] both).
   */
  redirectMismatchAt?: 'authorize' | 'exchange';
  authPort?: number;
  apiPort?: number;
  /** Seeds every site with the ENG space and the real pages of the ADF corpus (see pages.ts). */
  pages?: boolean;
  /** With `pages`: a space BULK of this many small pages more, for searches with many hits. */
  bulkPages?: number;
}

export interface QuotaOptions {
  /** Points a window allows (Atlassian's default global pool: 65,000 an hour per app). */
  points: number;
  /** Points one request costs (a read of core objects: about 2). */
  cost?: number;
  /** The window; Atlassian's is the UTC hour. Tests shorten it to see a reset. */
  windowMs?: number;
  /** Where windows start (default 0: windows aligned like the UTC hour). */
  anchor?: number;
  reason?: string;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const ACCESS_TTL_S = 3600;
const CODE_TTL_MS = 5 * MINUTE;
const IDLE_LIMIT_MS = 90 * DAY;
const ABSOLUTE_LIMIT_MS = 365 * DAY;

interface Family {
  id: string;
  clientId: string;
  scopes: string[];
  consentAt: number;
  revoked: boolean;
}
interface RefreshRecord {
  familyId: string;
  issuedAt: number;
  rotatedAt?: number;
}
interface AccessRecord {
  familyId: string;
  expiresAt: number;
}
interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge?: string;
  expiresAt: number;
  used: boolean;
  familyId?: string;
}
interface PendingConsent {
  app: EmulatorApp;
  redirectUri: string;
  state: string;
  scopes: string[];
  challenge?: string;
}

export interface EmulatorStats {
  codeExchanges: number;
  refreshes: number;
  /** A rotated-out refresh token presented inside the leeway. */
  reuseWithinLeeway: number;
  /** A rotated-out refresh token presented after the leeway: this revokes the grant. */
  reuseAfterLeeway: number;
  revokedFamilies: number;
  rateLimited: number;
  unexpected: number;
}

export const DEFAULT_APP: EmulatorApp = {
  name: 'confluence-adf (emulated)',
  clientId: 'emu-client-id',
  clientSecret: 'emu-client-secret',
  callbackUrl: 'http://localhost:9000/oauth/callback',
  scopes: [
    'read:space:confluence',
    'read:confluence-space.summary',
    'read:page:confluence',
    'write:page:confluence',
    'read:confluence-content.all',
    'write:confluence-content',
    'search:confluence',
    'read:confluence-user',
    'read:me',
    'offline_access',
  ],
};

export const DEFAULT_SITES: EmulatorSite[] = [
  { id: '11111111-aaaa-4bbb-8ccc-000000000001', name: 'acme', url: 'https://acme.atlassian.net', spaceCount: 42 },
];

export const DEFAULT_USER: EmulatorUser = {
  accountId: '5b10ac8d82e05b22cc7d4ef5',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  siteIds: [DEFAULT_SITES[0]!.id],
};

/** The seven types v2 knows; real 2026 sites return `onboarding` too. */
export const EMULATED_SPACE_TYPES = ['global', 'collaboration', 'knowledge_base', 'personal', 'system', 'onboarding', 'xflow_sample_space'] as const;
const SORTS = new Set(['id', '-id', 'key', '-key', 'name', '-name']);

export interface SpaceRecord {
  id: string;
  key: string;
  name: string;
  type: string;
  status: string;
  authorId: string;
  createdAt: string;
  homepageId: string;
  spaceOwnerId: string | null;
  currentActiveAlias: string;
  description: null | Record<string, { value: string; representation: string }>;
  icon: null | { path: string; apiDownloadLink: string };
  _links: { webui: string };
}

/** The spaces a site holds: deterministic, so tests can predict every page. */
export function makeSpaces(count: number, idBase = 100000): SpaceRecord[] {
  const spaces: SpaceRecord[] = [];
  // The first four types keep their old rotation; the rarer three come up once every ten spaces.
  const typeOf = (i: number) => (i % 10 === 9 ? EMULATED_SPACE_TYPES[4 + ((i / 10) | 0) % 3]! : EMULATED_SPACE_TYPES[i % 4]!);
  for (let i = 0; i < count; i++) {
    const key = `SP${String(i).padStart(5, '0')}`;
    spaces.push({
      id: String(idBase + i),
      key,
      name: `Space ${i}`,
      type: typeOf(i),
      status: i % 7 === 6 ? 'archived' : 'current',
      authorId: DEFAULT_USER.accountId,
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * DAY).toISOString(),
      homepageId: String(900000 + i),
      spaceOwnerId: i % 5 === 0 ? null : DEFAULT_USER.accountId,
      currentActiveAlias: key,
      description: null,
      icon: null,
      _links: { webui: `/spaces/${key}` },
    });
  }
  return spaces;
}

/** [invented] The body of a 429: no captured one was found; the product reads only the status and headers. */
const TOO_MANY_REQUESTS = { errors: [{ status: 429, code: 'TOO_MANY_REQUESTS', title: 'Too Many Requests', detail: null }] };

/**
 * A 429 fault shaped like Atlassian's documented quota example: Retry-After counting down to the top
 * of the next UTC hour (their example: 1847 s), X-RateLimit-Reset at that hour, the quota reason, and
 * the structured headers of the newer enforcement.
 */
export function quotaFault(now: number, overrides: Partial<Fault> = {}): Fault {
  const reset = (Math.floor(now / HOUR) + 1) * HOUR;
  const seconds = Math.ceil((reset - now) / 1000);
  return {
    kind: '429',
    retryAfter: String(seconds),
    rateLimitReset: new Date(reset).toISOString(),
    reason: 'confluence-quota-global-based',
    headers: {
      'x-ratelimit-limit': '65000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-nearlimit': 'true',
      ratelimit: `"global-app-quota";r=0;t=${seconds}`,
      'ratelimit-policy': '"global-app-quota";q=65000;w=3600',
    },
    ...overrides,
  };
}

function token(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(24).toString('base64url')}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export class AtlassianEmulator {
  readonly apps = new Map<string, EmulatorApp>();
  readonly sites = new Map<string, EmulatorSite & { spaces: SpaceRecord[] }>();
  user: EmulatorUser;
  autoConsent: boolean;
  leewayMs: number;
  refreshRejection: 'invalid_grant' | 'unauthorized_client';
  revokeSupported: boolean;
  expiredTokenStatus: 401 | 404;
  rateLimit: { perSecond: number; burst: number } | undefined;
  quota: QuotaOptions | undefined;
  entryPerProduct: boolean;
  extraResources: ExtraResource[];
  scopeFailureHeader: boolean;
  redirectMismatchAt: 'authorize' | 'exchange';
  readonly requests: RecordedRequest[] = [];
  /** Spaces by id, the page tree, every version, CQL search (see pages.ts). */
  readonly pages = new PageStore(() => this.now());
  /** What seedPages put on each site, by site id. */
  readonly seeded = new Map<string, SeededPages>();
  /** Every access token, refresh token and code it ever issued, for tests that hunt for leaks. */
  readonly issued = new Set<string>();
  readonly stats: EmulatorStats = {
    codeExchanges: 0,
    refreshes: 0,
    reuseWithinLeeway: 0,
    reuseAfterLeeway: 0,
    revokedFamilies: 0,
    rateLimited: 0,
    unexpected: 0,
  };
  private faults: Fault[] = [];
  private clockOffset = 0;
  private bucket = { tokens: 0, at: 0 };
  private quotaUse = { window: -1, points: 0 };
  private readonly families = new Map<string, Family>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly consents = new Map<string, PendingConsent>();
  private readonly cursors = new Map<string, { offset: number; filter: string }>();
  private authServer: http.Server | undefined;
  private apiServer: http.Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  authUrl = '';
  apiUrl = '';

  constructor(private readonly options: EmulatorOptions = {}) {
    for (const app of options.apps ?? [DEFAULT_APP]) this.apps.set(app.clientId, { ...app });
    for (const site of options.sites ?? DEFAULT_SITES) this.addSite(site);
    this.user = structuredClone(options.user ?? DEFAULT_USER);
    this.autoConsent = options.autoConsent ?? false;
    this.leewayMs = options.leewayMs ?? 10 * MINUTE;
    this.refreshRejection = options.refreshRejection ?? 'invalid_grant';
    this.revokeSupported = options.revokeSupported ?? true;
    this.expiredTokenStatus = options.expiredTokenStatus ?? 401;
    this.rateLimit = options.rateLimit;
    this.quota = options.quota;
    this.entryPerProduct = options.entryPerProduct ?? false;
    this.extraResources = options.extraResources ?? [];
    this.scopeFailureHeader = options.scopeFailureHeader ?? true;
    this.redirectMismatchAt = options.redirectMismatchAt ?? 'authorize';
  }

  // ---- control surface for tests -------------------------------------------------------------

  now(): number {
    return Date.now() + this.clockOffset;
  }

  /** Moves the emulator's clock forward; nothing sleeps. */
  advance(ms: number): void {
    this.clockOffset += ms;
  }

  addSite(site: EmulatorSite): void {
    this.sites.set(site.id, { ...site, spaces: makeSpaces(site.spaceCount, this.options.spaceIdBase) });
    if (this.options.pages) {
      this.seeded.set(site.id, seedPages(this.pages, site.id));
      if (this.options.bulkPages) seedBulkPages(this.pages, site.id, this.options.bulkPages);
      // The page spaces are listed by /spaces too (after the generated ones), so a key resolves to its id.
      for (const space of this.pages.spacesOf(site.id)) {
        this.sites.get(site.id)!.spaces.push({ ...makeSpaces(1)[0]!, id: space.id, key: space.key, name: space.name, type: 'global', status: 'current', currentActiveAlias: space.key, _links: { webui: `/spaces/${space.key}` } });
      }
    }
  }

  registerApp(app: Partial<EmulatorApp> & { callbackUrl: string }): EmulatorApp {
    const full: EmulatorApp = {
      ...DEFAULT_APP,
      clientId: token('client'),
      clientSecret: token('secret'),
      ...app,
      scopes: app.scopes ?? [...DEFAULT_APP.scopes],
    };
    this.apps.set(full.clientId, full);
    return full;
  }

  /** Uses up the quota of the current window, as other work of the same app would have. */
  useUpQuota(): void {
    if (!this.quota) throw new Error('no quota configured');
    this.quotaUse = { window: this.quotaWindow(), points: this.quota.points };
  }

  /** When the current quota window ends (emulator clock). */
  quotaResetAt(): number {
    const { windowMs = HOUR, anchor = 0 } = this.quota ?? {};
    return anchor + (this.quotaWindow() + 1) * windowMs;
  }

  private quotaWindow(): number {
    const { windowMs = HOUR, anchor = 0 } = this.quota ?? {};
    return Math.floor((this.now() - anchor) / windowMs);
  }

  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Whether a grant (found by any of its refresh tokens) is still alive. */
  grantAlive(refreshToken: string): boolean {
    const rt = this.refreshTokens.get(refreshToken);
    return !!rt && !this.families.get(rt.familyId)!.revoked;
  }

  /** Revokes every grant, as a user removing the app under Connected apps would. */
  revokeAll(): void {
    for (const family of this.families.values()) family.revoked = true;
  }

  /** Issues a grant without the browser, for tests that start already signed in. */
  issueGrant(clientId: string, scopes: string[] = DEFAULT_APP.scopes): { accessToken: string; refreshToken: string } {
    const family = this.newFamily(clientId, scopes);
    const accessToken = this.issueAccess(family.id);
    const refreshToken = this.issueRefresh(family.id);
    return { accessToken, refreshToken };
  }

  /** Expires an access token now, as an hour passing would for it alone. */
  expireAccessToken(accessToken: string): void {
    const at = this.accessTokens.get(accessToken);
    if (at) at.expiresAt = this.now() - 1;
  }

  requestsTo(server: 'auth' | 'api', pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.server === server && r.path.startsWith(pathPrefix));
  }

  /** The environment that points confluence-adf at this emulator with the default app. */
  env(app: EmulatorApp = this.apps.values().next().value!): Record<string, string> {
    return {
      CONFLUENCE_ADF_AUTH_URL: this.authUrl,
      CONFLUENCE_ADF_API_URL: this.apiUrl,
      CONFLUENCE_CLIENT_ID: app.clientId,
      CONFLUENCE_CLIENT_SECRET: app.clientSecret,
    };
  }

  async start(): Promise<this> {
    this.authServer = http.createServer((req, res) => void this.handle('auth', req, res));
    this.apiServer = http.createServer((req, res) => void this.handle('api', req, res));
    for (const server of [this.authServer, this.apiServer]) {
      server.on('connection', (socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      });
    }
    const listen = (server: http.Server, port: number) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
      });
    this.authUrl = `http://127.0.0.1:${await listen(this.authServer, this.options.authPort ?? 0)}`;
    this.apiUrl = `http://127.0.0.1:${await listen(this.apiServer, this.options.apiPort ?? 0)}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(
      [this.authServer, this.apiServer].map((s) => (s ? new Promise<void>((resolve) => s.close(() => resolve())) : undefined)),
    );
  }

  // ---- request handling ----------------------------------------------------------------------

  private async handle(server: 'auth' | 'api', req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const body = await readBody(req);
    const record: RecordedRequest = {
      server,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: body.fields,
      status: 0,
      at: Date.now(),
      grantType: body.fields?.grant_type,
    };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const type = typeof payload === 'string' && text.startsWith('<') ? 'text/html; charset=utf-8' : 'application/json';
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(text);
    };

    const fault = this.takeFault(server, url.pathname, req.method ?? 'GET');
    if (fault) {
      const done = await this.applyFault(fault, record, res, send);
      if (done) return;
    }
    try {
      if (server === 'auth') await this.handleAuth(req, url, body, send, record);
      else await this.handleApi(req, url, body, send);
    } catch (error) {
      send(500, { error: 'emulator_failure', error_description: String(error) });
    }
  }

  private takeFault(server: 'auth' | 'api', path: string, method: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) =>
        (f.server ?? 'api') === server &&
        (f.path === undefined || path.startsWith(f.path)) &&
        (f.method === undefined || f.method === method) &&
        (f.times ?? 1) > 0,
    );
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /** Returns true when the fault answered the request; false when it only delayed it. */
  private async applyFault(
    fault: Fault,
    record: RecordedRequest,
    res: http.ServerResponse,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): Promise<boolean> {
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    if (fault.rateLimitReset !== undefined) headers['x-ratelimit-reset'] = fault.rateLimitReset;
    Object.assign(headers, fault.headers);
    switch (fault.kind) {
      case '429':
        this.stats.rateLimited++;
        if (fault.reason) headers['ratelimit-reason'] = fault.reason;
        send(429, TOO_MANY_REQUESTS, headers);
        return true;
      case '503':
        // [invented] The 503 body: no source shows one; the product must not depend on it.
        send(503, { errors: [{ status: 503, code: 'SERVICE_UNAVAILABLE', title: 'Service Unavailable', detail: null }] }, headers);
        return true;
      case '500':
        send(500, { errors: [{ status: 500, code: 'INTERNAL_SERVER_ERROR', title: 'Internal Server Error', detail: null }] });
        return true;
      case 'drop':
        record.status = -1;
        res.socket?.destroy();
        return true;
      case 'malformed':
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"results": [ {"id": "1", "key": ');
        return true;
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 5000));
        return res.destroyed;
    }
  }

  // ---- auth.atlassian.com --------------------------------------------------------------------

  private async handleAuth(
    req: http.IncomingMessage,
    url: URL,
    body: ParsedBody,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
    record: RecordedRequest,
  ): Promise<void> {
    if (req.method === 'GET' && url.pathname === '/authorize') return this.authorize(url, send);
    if (req.method === 'POST' && url.pathname === '/authorize/consent') return this.consent(body.fields ?? {}, send);
    if (req.method === 'POST' && url.pathname === '/oauth/token') return this.tokenEndpoint(body, send, record);
    if (req.method === 'POST' && url.pathname === '/oauth/revoke' && this.revokeSupported) return this.revoke(body, send);
    this.unexpected(req, url, send);
  }

  private errorPage(status: number, title: string, detail: string) {
    return [status, `<!doctype html><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>`] as const;
  }

  private authorize(url: URL, send: (status: number, payload: unknown, headers?: Record<string, string>) => void): void {
    const q = url.searchParams;
    const app = this.apps.get(q.get('client_id') ?? '');
    if (!app) return void send(...this.errorPage(400, 'Invalid client', 'The client_id does not match any app.'));
    const redirectUri = q.get('redirect_uri') ?? '';
    // Atlassian never redirects to an unregistered URL: it shows its own error page. [invented] The
    // page's wording (here and below): the product never reads these pages.
    if (redirectUri !== app.callbackUrl && this.redirectMismatchAt === 'authorize') {
      return void send(...this.errorPage(400, 'redirect_uri mismatch', `The redirect_uri ${redirectUri} does not match the callback URL of the app.`));
    }
    if (q.get('response_type') !== 'code') return void send(...this.errorPage(400, 'Unsupported response_type', 'response_type must be code.'));
    if (q.get('audience') !== 'api.atlassian.com') return void send(...this.errorPage(400, 'Invalid audience', 'audience must be api.atlassian.com.'));
    const state = q.get('state');
    if (!state) return void send(...this.errorPage(400, 'Missing state', 'The state parameter is required.'));
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) return void send(...this.errorPage(400, 'Missing scope', 'The scope parameter is required.'));
    const unknown = scopes.filter((s) => !app.scopes.includes(s));
    if (unknown.length > 0) {
      return void send(...this.errorPage(400, 'Invalid scope', `The app does not have these scopes configured: ${unknown.join(', ')}.`));
    }
    const method = q.get('code_challenge_method');
    const challenge = q.get('code_challenge') ?? undefined;
    if (challenge && method !== 'S256') return void send(...this.errorPage(400, 'Unsupported code_challenge_method', 'Only S256 is accepted.'));
    const pending: PendingConsent = { app, redirectUri, state, scopes, ...(challenge ? { challenge } : {}) };
    if (this.autoConsent) return this.finishConsent(pending, true, send);
    const txn = token('txn');
    this.consents.set(txn, pending);
    const items = scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
    send(
      200,
      `<!doctype html><html><head><title>Authorize ${escapeHtml(app.name)}</title></head><body>
<h1>${escapeHtml(app.name)} is requesting access to your Atlassian account</h1>
<p>Signed in as ${escapeHtml(this.user.email)}</p><ul>${items}</ul>
<form method="post" action="/authorize/consent"><input type="hidden" name="txn" value="${txn}">
<button type="submit" name="decision" value="accept">Accept</button>
<button type="submit" name="decision" value="deny">Deny</button></form></body></html>`,
    );
  }

  private consent(fields: Record<string, string>, send: (status: number, payload: unknown, headers?: Record<string, string>) => void): void {
    const pending = this.consents.get(fields.txn ?? '');
    if (!pending) return void send(...this.errorPage(400, 'Expired', 'This consent request is no longer valid.'));
    this.consents.delete(fields.txn!);
    this.finishConsent(pending, fields.decision === 'accept', send);
  }

  private finishConsent(
    pending: PendingConsent,
    accepted: boolean,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): void {
    const target = new URL(pending.redirectUri);
    if (accepted) {
      const code = token('code');
      this.issued.add(code);
      this.codes.set(code, {
        clientId: pending.app.clientId,
        redirectUri: pending.redirectUri,
        scopes: pending.scopes,
        ...(pending.challenge ? { challenge: pending.challenge } : {}),
        expiresAt: this.now() + CODE_TTL_MS,
        used: false,
      });
      target.searchParams.set('code', code);
    } else {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user did not authorize the app.');
    }
    target.searchParams.set('state', pending.state);
    send(302, '', { location: target.toString() });
  }

  private tokenEndpoint(
    body: ParsedBody,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
    record: RecordedRequest,
  ): void {
    const f = body.fields;
    // [invented] This wording, and the exchange errors below other than 401 access_denied and the refresh
    // rejections, come from no captured response: the product must decide by `error`, never by description.
    if (!f) return void send(400, { error: 'invalid_request', error_description: 'Unsupported content type or body.' });
    const app = this.apps.get(f.client_id ?? '');
    // The token endpoint demands the secret even when PKCE is used.
    if (!app || !f.client_secret || f.client_secret !== app.clientSecret) {
      return void send(401, { error: 'access_denied', error_description: 'Unauthorized' });
    }
    if (f.grant_type === 'authorization_code') return this.exchangeCode(app, f, send);
    if (f.grant_type === 'refresh_token') return this.refresh(app, f, send, record);
    send(400, { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${f.grant_type}` });
  }

  private exchangeCode(app: EmulatorApp, f: Record<string, string>, send: (status: number, payload: unknown) => void): void {
    const invalid = (description: string) => send(403, { error: 'invalid_grant', error_description: description });
    const code = this.codes.get(f.code ?? '');
    if (!code) return invalid('Invalid authorization code');
    if (code.used) {
      // A replayed code revokes what it issued.
      if (code.familyId) this.revokeFamily(code.familyId);
      return invalid('Invalid authorization code');
    }
    if (this.now() > code.expiresAt) return invalid('Invalid authorization code');
    if (code.clientId !== app.clientId) return invalid('Invalid authorization code');
    if (f.redirect_uri !== code.redirectUri) return invalid('redirect_uri does not match the authorization request');
    if (f.redirect_uri !== app.callbackUrl) return invalid('Invalid authorization code');
    if (code.challenge) {
      const verifier = f.code_verifier ?? '';
      const computed = crypto.createHash('sha256').update(verifier).digest('base64url');
      if (computed !== code.challenge) return invalid('Invalid code_verifier');
    }
    code.used = true;
    this.stats.codeExchanges++;
    const family = this.newFamily(app.clientId, code.scopes);
    code.familyId = family.id;
    send(200, this.tokenResponse(family));
  }

  private refresh(
    app: EmulatorApp,
    f: Record<string, string>,
    send: (status: number, payload: unknown) => void,
    record: RecordedRequest,
  ): void {
    const reject = () =>
      this.refreshRejection === 'invalid_grant'
        ? send(403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' })
        : send(403, { error: 'unauthorized_client', error_description: 'refresh_token is invalid' });
    this.stats.refreshes++;
    record.grantType = 'refresh_token';
    const rt = this.refreshTokens.get(f.refresh_token ?? '');
    if (!rt) return reject();
    const family = this.families.get(rt.familyId)!;
    if (family.revoked || family.clientId !== app.clientId) return reject();
    const now = this.now();
    if (rt.rotatedAt !== undefined) {
      if (now - rt.rotatedAt > this.leewayMs) {
        // Reuse of a rotated-out token after its leeway: the whole grant dies.
        this.stats.reuseAfterLeeway++;
        this.revokeFamily(family.id);
        return reject();
      }
      this.stats.reuseWithinLeeway++;
    }
    if (now - rt.issuedAt > IDLE_LIMIT_MS || now - family.consentAt > ABSOLUTE_LIMIT_MS) return reject();
    rt.rotatedAt ??= now;
    send(200, this.tokenResponse(family));
  }

  private revoke(body: ParsedBody, send: (status: number, payload: unknown) => void): void {
    const f = body.fields ?? {};
    const app = this.apps.get(f.client_id ?? '');
    if (!app || f.client_secret !== app.clientSecret) return void send(401, { error: 'access_denied', error_description: 'Unauthorized' });
    const familyId = this.refreshTokens.get(f.token ?? '')?.familyId ?? this.accessTokens.get(f.token ?? '')?.familyId;
    if (familyId) this.revokeFamily(familyId);
    send(200, {});
  }

  private newFamily(clientId: string, scopes: string[]): Family {
    const family: Family = { id: token('grant'), clientId, scopes, consentAt: this.now(), revoked: false };
    this.families.set(family.id, family);
    return family;
  }

  private issueAccess(familyId: string): string {
    const accessToken = token('at');
    this.issued.add(accessToken);
    this.accessTokens.set(accessToken, { familyId, expiresAt: this.now() + ACCESS_TTL_S * 1000 });
    return accessToken;
  }

  private issueRefresh(familyId: string): string {
    const refreshToken = token('rt');
    this.issued.add(refreshToken);
    this.refreshTokens.set(refreshToken, { familyId, issuedAt: this.now() });
    return refreshToken;
  }

  private tokenResponse(family: Family): Record<string, unknown> {
    const response: Record<string, unknown> = {
      access_token: this.issueAccess(family.id),
      token_type: 'Bearer',
      expires_in: ACCESS_TTL_S,
      scope: family.scopes.join(' '),
    };
    if (family.scopes.includes('offline_access')) response.refresh_token = this.issueRefresh(family.id);
    return response;
  }

  private revokeFamily(familyId: string): void {
    const family = this.families.get(familyId);
    if (family && !family.revoked) {
      family.revoked = true;
      this.stats.revokedFamilies++;
    }
  }

  // ---- api.atlassian.com ---------------------------------------------------------------------

  private async handleApi(
    req: http.IncomingMessage,
    url: URL,
    body: ParsedBody,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): Promise<void> {
    const limited = this.takeRateToken();
    if (limited) return void send(429, TOO_MANY_REQUESTS, limited);
    const quota = this.takeQuota();
    if (quota.exceeded) return void send(429, TOO_MANY_REQUESTS, quota.headers);
    // Every answer inside the quota carries its counters.
    const plainSend = send;
    send = (status, payload, headers = {}) => plainSend(status, payload, { ...quota.headers, ...headers });

    const auth = this.authenticate(req);
    if (auth.status) return void send(auth.status, auth.body);
    const family = auth.family!;
    const scopeFailure = (scope: string) => {
      if (family.scopes.includes(scope)) return false;
      send(401, { code: 401, message: 'Unauthorized; scope does not match' }, this.scopeFailureHeader ? { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' } : {});
      return true;
    };

    const siteUrl = (cloudId: string) => (this.user.siteIds.includes(cloudId) ? this.sites.get(cloudId)?.url : undefined);
    if (handlePagesRequest(this.pages, { method: req.method ?? 'GET', url, body: body.text, scopes: family.scopes, siteUrl, send })) return;
    if (req.method !== 'GET') return this.unexpected(req, url, send);
    if (url.pathname === '/oauth/token/accessible-resources') {
      const avatarUrl = 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png';
      const resources = this.user.siteIds
        .map((id) => this.sites.get(id))
        .filter((s) => s !== undefined)
        .flatMap((s) => [
          // Captured grants list a site once per product, same id, told apart by scopes only.
          ...(this.entryPerProduct ? [{ id: s.id, name: s.name, url: s.url, scopes: ['read:jira-work', 'read:jira-user'], avatarUrl }] : []),
          { id: s.id, name: s.name, url: s.url, scopes: family.scopes.filter((x) => x.includes('confluence')), avatarUrl },
        ]);
      return void send(200, [...resources, ...this.extraResources.map((r) => ({ ...r, avatarUrl }))]);
    }
    if (url.pathname === '/me') {
      if (scopeFailure('read:me')) return;
      // Every field of the captured /me, not only the ones the product reads.
      return void send(200, {
        account_type: 'atlassian',
        account_id: this.user.accountId,
        email: this.user.email,
        email_verified: true,
        name: this.user.name,
        picture: 'https://avatar-management.example/avatar.png',
        account_status: 'active',
        nickname: this.user.nickname ?? this.user.name.split(' ')[0],
        zoneinfo: this.user.zoneinfo ?? 'Europe/London',
        locale: 'en-GB',
        extended_profile: { job_title: this.user.jobTitle ?? 'Engineer', organization: 'Acme', department: 'Platform', location: 'London', team_type: 'Software Development' },
        last_updated: '2025-06-02T09:14:31.512Z',
      });
    }
    const match = /^\/ex\/confluence\/([^/]+)(\/wiki\/api\/v2\/spaces)$/.exec(url.pathname);
    if (match) {
      const site = this.sites.get(match[1]!);
      if (!site || !this.user.siteIds.includes(site.id)) {
        return void send(404, { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] });
      }
      if (scopeFailure('read:space:confluence')) return;
      return this.listSpaces(site, url, send);
    }
    this.unexpected(req, url, send);
  }

  private authenticate(req: http.IncomingMessage): { status?: number; body?: unknown; family?: Family } {
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(header)?.[1];
    const unauthorized = { status: 401, body: { code: 401, message: 'Unauthorized' } };
    if (!bearer) return unauthorized;
    const at = this.accessTokens.get(bearer);
    if (!at) return unauthorized;
    const family = this.families.get(at.familyId)!;
    if (family.revoked) return unauthorized;
    if (this.now() >= at.expiresAt) {
      return this.expiredTokenStatus === 404
        ? { status: 404, body: { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] } }
        : unauthorized;
    }
    return { family };
  }

  /** The enforced limit's bucket back to full, as if the API had been idle (benchmarks between runs). */
  refillRateLimit(): void {
    this.bucket = { tokens: 0, at: 0 };
  }

  private takeRateToken(): Record<string, string> | undefined {
    if (!this.rateLimit) return undefined;
    const { perSecond, burst } = this.rateLimit;
    const now = Date.now();
    if (this.bucket.at === 0) this.bucket = { tokens: burst, at: now };
    this.bucket.tokens = Math.min(burst, this.bucket.tokens + ((now - this.bucket.at) / 1000) * perSecond);
    this.bucket.at = now;
    if (this.bucket.tokens >= 1) {
      this.bucket.tokens -= 1;
      return undefined;
    }
    this.stats.rateLimited++;
    const waitS = Math.max(1, Math.ceil((1 - this.bucket.tokens) / perSecond));
    return {
      'retry-after': String(waitS),
      'x-ratelimit-limit': String(burst),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': new Date(now + waitS * 1000).toISOString(),
      // Burst 429s carry no quota reason: only the hourly quotas name one.
    };
  }

  /**
   * Atlassian's hourly points quota, windows aligned to the emulator clock (the UTC hour by default).
   * Exceeded, it answers like Atlassian's documented example: a long Retry-After, X-RateLimit-Reset at
   * the top of the window, RateLimit-Reason, and the structured RateLimit/RateLimit-Policy headers.
   * [unconfirmed] Whether successful responses carry X-RateLimit-Remaining/NearLimit every time.
   */
  private takeQuota(): { exceeded: boolean; headers: Record<string, string> } {
    if (!this.quota) return { exceeded: false, headers: {} };
    const { points, cost = 2, windowMs = HOUR, reason = 'confluence-quota-global-based' } = this.quota;
    const now = this.now();
    const window = this.quotaWindow();
    if (window !== this.quotaUse.window) this.quotaUse = { window, points: 0 };
    const reset = this.quotaResetAt();
    const exceeded = this.quotaUse.points + cost > points;
    if (!exceeded) this.quotaUse.points += cost;
    const remaining = Math.max(0, points - this.quotaUse.points);
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(points),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': new Date(reset).toISOString(),
      ...(remaining < points * 0.2 ? { 'x-ratelimit-nearlimit': 'true' } : {}),
    };
    if (!exceeded) return { exceeded, headers };
    this.stats.rateLimited++;
    const seconds = Math.max(1, Math.ceil((reset - now) / 1000));
    return {
      exceeded,
      headers: {
        ...headers,
        'retry-after': String(seconds),
        'ratelimit-reason': reason,
        ratelimit: `"global-app-quota";r=0;t=${seconds}`,
        'ratelimit-policy': `"global-app-quota";q=${points};w=${Math.round(windowMs / 1000)}`,
      },
    };
  }

  private listSpaces(
    site: EmulatorSite & { spaces: SpaceRecord[] },
    url: URL,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): void {
    const q = url.searchParams;
    const bad = (detail: string) =>
      send(400, { errors: [{ status: 400, code: 'INVALID_REQUEST_PARAMETER', title: 'Invalid request parameter', detail }] });
    const list = (name: string) => q.getAll(name).flatMap((v) => v.split(',')).filter(Boolean);
    const limitRaw = q.get('limit');
    const limit = limitRaw === null ? 25 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) return bad('limit must be between 1 and 250');
    const ids = list('ids');
    const keys = list('keys');
    if (ids.length > 250 || keys.length > 250) return bad('at most 250 ids or keys');
    // v2 takes ONE type per request: a list is refused, as an unknown type is.
    const typeValues = q.getAll('type');
    if (typeValues.length > 1 || typeValues.some((t) => t.includes(','))) return bad('type accepts a single value');
    if (typeValues.some((t) => !(EMULATED_SPACE_TYPES as readonly string[]).includes(t))) return bad(`type must be one of ${EMULATED_SPACE_TYPES.join(', ')}`);
    const types = typeValues;
    const descriptionFormat = q.get('description-format');
    if (descriptionFormat !== null && descriptionFormat !== 'plain' && descriptionFormat !== 'view') return bad('description-format must be plain or view');
    const includeIcon = q.get('include-icon') === 'true';
    const statuses = list('status');
    if (statuses.some((s) => s !== 'current' && s !== 'archived')) return bad('status must be current or archived');
    const sort = q.get('sort');
    if (sort !== null && !SORTS.has(sort)) return bad(`sort must be one of ${[...SORTS].join(', ')}`);

    const filterKey = JSON.stringify([ids, keys, types, statuses, sort, descriptionFormat, includeIcon]);
    let offset = 0;
    const cursor = q.get('cursor');
    if (cursor !== null) {
      const saved = this.cursors.get(cursor);
      if (!saved || saved.filter !== filterKey) return bad('invalid cursor');
      offset = saved.offset;
    }
    let spaces = site.spaces.filter(
      (s) =>
        (ids.length === 0 || ids.includes(s.id)) &&
        (keys.length === 0 || keys.includes(s.key)) &&
        (types.length === 0 || types.includes(s.type)) &&
        (statuses.length === 0 || statuses.includes(s.status)),
    );
    if (sort) {
      const field = sort.replace('-', '') as 'id' | 'key' | 'name';
      const dir = sort.startsWith('-') ? -1 : 1;
      const value = (s: SpaceRecord) => (field === 'id' ? Number(s.id) : s[field]);
      spaces = [...spaces].sort((a, b) => (value(a) < value(b) ? -dir : value(a) > value(b) ? dir : 0));
    }
    // description and icon are objects only when asked for (description-format, include-icon), else null.
    const page = spaces.slice(offset, offset + limit).map((space) => ({
      ...space,
      description: descriptionFormat
        ? { [descriptionFormat]: { value: descriptionFormat === 'view' ? `<p>The ${space.name} space</p>` : `The ${space.name} space`, representation: descriptionFormat } }
        : null,
      icon: includeIcon ? { path: `/wiki/aa-avatar/${space.id}`, apiDownloadLink: `/wiki/rest/api/space/${space.key}/icon` } : null,
    }));
    const links: Record<string, string> = { base: `${site.url}/wiki` };
    const headers: Record<string, string> = {};
    if (offset + limit < spaces.length) {
      // Real cursors are standard base64 with `+`, `/` and `=` padding; the link percent-encodes them so it
      // can be followed as it is ([unconfirmed] whether Atlassian's does: the client decodes either form).
      const next = Buffer.concat([Buffer.from([0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff]), crypto.randomBytes(10)]).toString('base64');
      this.cursors.set(next, { offset: offset + limit, filter: filterKey });
      const nextQuery = new URLSearchParams(q);
      nextQuery.set('cursor', next);
      links.next = `/wiki/api/v2/spaces?${nextQuery.toString()}`;
      headers.link = `<${links.next}>; rel="next", <${links.base}>; rel="base"`;
    }
    send(200, { results: page, _links: links }, headers);
  }

  private unexpected(req: http.IncomingMessage, url: URL, send: (status: number, payload: unknown) => void): void {
    this.stats.unexpected++;
    send(599, { emulator: `unexpected request ${req.method} ${url.pathname}` });
  }
}

interface ParsedBody {
  fields: Record<string, string> | undefined;
  /** The body as sent (JSON writes need more than string fields). */
  text: string;
}

async function readBody(req: http.IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return { fields: req.method === 'POST' ? undefined : {}, text };
  const type = req.headers['content-type'] ?? '';
  try {
    if (type.startsWith('application/json')) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return { fields: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])), text };
    }
    if (type.startsWith('application/x-www-form-urlencoded')) {
      return { fields: Object.fromEntries(new URLSearchParams(text)), text };
    }
  } catch {
    return { fields: undefined, text };
  }
  return { fields: undefined, text };
}
