import { existsSync } from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError, LOGIN_HINT, LOGIN_NEEDED_CODES } from './errors.js';
import { DEFAULT_CALLBACK_PORT, parsePort, resolvePaths, resolveRate, resolveServiceUrls, resolveStorageChoice, serviceUrlsForLogin, resolveTimeoutMs, type Env, type Paths, type ServiceUrls, type StorageChoice } from './config.js';
import { TokenStore, type KeyLocation, type PendingLogin as StoredPending, type Site, type StoredLogin } from './store/token-store.js';
import type { Keyring } from './store/keyring.js';
import { activeProfile, requireKnownProfile, rootDir, type ActiveProfile } from './profiles.js';
import { Session, accessTokenUsable, refreshTokenLimits, type RefreshStep } from './auth/session.js';
import { createRefreshLock } from './auth/refresh-lock.js';
import { RateLimiter } from './confluence/rate-limit.js';
import { createApiClient, type ApiClient, type QuotaPolicy, type RetryPolicy } from './confluence/http.js';
import { QuotaState } from './confluence/quota.js';
import type { LoginRequest, LoginResult, PendingLogin } from './auth/login.js';
import { revokeToken } from './auth/oauth.js';
import type { ImportResult } from './auth/transfer.js';
import type { RefreshLock } from './auth/session.js';
import { DEFAULT_SCOPES } from './auth/scopes.js';
import { accessibleSites, findSite, siteNotFound } from './confluence/sites.js';
import { listAllSpaces, listSpacesPage, type SpacesPage, type SpacesQuery } from './confluence/spaces.js';
import { PagesService } from './confluence/pages.js';
import { SearchService } from './confluence/search.js';
import type { PageWriter } from './page-writer.js';

export interface CoreDeps {
  env: Env;
  homedir: string;
  /** --profile; else $CONFLUENCE_ADF_PROFILE, the `auth switch` default, or `default`. */
  profile?: string;
  now: () => number;
  keyring: Keyring;
  storage?: string;
  onNotice?: (message: string) => void;
  /** One redacted line per API request and response (--verbose). */
  log?: (line: string) => void;
  rate?: { perSecond: number; burst: number };
  retry?: RetryPolicy;
  /** The jitter of retry delays (tests pin it). */
  random?: () => number;
  timeoutMs?: number;
  /** How requests meet Atlassian's quota pause unless a call says otherwise (CLI: --wait). */
  quotaPolicy?: QuotaPolicy;
  /** A lock untouched this long belongs to a dead process (proper-lockfile's minimum is 2 s). */
  lockStaleMs?: number;
  /** Test-only crash points inside a refresh. */
  crashAt?: (step: RefreshStep) => void;
}

export interface StatusReport {
  /** Which profile this is, and why it is the active one. */
  profile: ActiveProfile;
  signedIn: boolean;
  /** Where the token comes from: the stored login, or CONFLUENCE_ACCESS_TOKEN. */
  source?: 'store' | 'environment';
  /** When the login was handed to another machine by `auth export`. */
  exportedAt?: string;
  /** Why a new login is needed, when it is. */
  reason?: string;
  /** What to run about it, when signed out. */
  hint?: string;
  site?: Site;
  sites?: Site[];
  account?: { accountId: string; name: string; email?: string };
  clientId?: string;
  scopes?: { granted: string[]; missingDefaults: string[] };
  accessToken?: { expiresAt: string; valid: boolean };
  refreshToken?: { present: boolean; issuedAt?: string; idleExpiresAt?: string; absoluteExpiresAt: string };
  storage: { backend: KeyLocation | 'none'; tokenFile: string; keyFile?: string };
  check: { performed: boolean; ok?: boolean; code?: string; message?: string; hint?: string };
  /** Atlassian's quota as last seen: an active pause, and the counters the last response carried. */
  quota?: { pausedUntil?: string; pauseReason?: string; remaining?: number; limit?: number; nearLimit?: boolean; seenAt?: string };
  warning?: string;
}

export interface LogoutReport {
  wasSignedIn: boolean;
  revoked: 'yes' | 'no' | 'skipped';
  removed: string[];
  failed: { what: string; error: string }[];
}

/** How long a headless sign-in waits for its second step. */
const PENDING_TTL_MS = 10 * 60_000;

function tryServiceUrlsForLogin(env: Env, login: ServiceUrls): ServiceUrls | undefined {
  try {
    return serviceUrlsForLogin(env, login);
  } catch {
    return undefined;
  }
}

/** A stored time as ISO 8601; one past what Date can hold (an old file's huge expiry) is shown as its limit. */
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(Number.isFinite(t) ? Math.max(-8.64e15, Math.min(t, 8.64e15)) : 8.64e15).toISOString());

/** The core every adapter shares: store, session, API client, and the account operations. */
export class Core {
  readonly paths: Paths;
  readonly profile: ActiveProfile;
  readonly storage: StorageChoice;
  readonly store: TokenStore;
  readonly session: Session;
  /** CONFLUENCE_ACCESS_TOKEN, when set: used as given, and the stored login is left alone. */
  readonly envToken: string | undefined;
  private readonly withRefreshLock: RefreshLock;
  private readonly limiter: RateLimiter;
  readonly quota: QuotaState;
  /** The quota policy of the call in progress (an MCP tool argument), carried across awaits. */
  private readonly quotaScope = new AsyncLocalStorage<QuotaPolicy>();
  private apiClient: Promise<ApiClient> | undefined;
  private writerInstance: Promise<PageWriter> | undefined;
  /** Reading pages: get, versions, the tree below a page (see confluence/pages.ts). */
  readonly pages: PagesService;
  /** CQL search (see confluence/search.ts). */
  readonly search: SearchService;

  constructor(readonly deps: CoreDeps) {
    this.profile = activeProfile(deps.env, rootDir(deps.env, deps.homedir), deps.profile);
    this.paths = resolvePaths(deps.env, deps.homedir, this.profile.name);
    this.storage = resolveStorageChoice(deps.env, deps.storage);
    this.store = new TokenStore({
      paths: this.paths,
      keyring: deps.keyring,
      storage: this.storage,
      now: deps.now,
      ...(deps.onNotice ? { onNotice: deps.onNotice } : {}),
    });
    this.envToken = deps.env.CONFLUENCE_ACCESS_TOKEN?.trim() || undefined;
    this.withRefreshLock = createRefreshLock({
      target: this.paths.refreshLockTarget,
      home: this.paths.home,
      ...(deps.lockStaleMs ? { staleMs: deps.lockStaleMs } : {}),
    });
    this.session = new Session({
      store: this.store,
      env: deps.env,
      now: deps.now,
      withRefreshLock: this.withRefreshLock,
      ...(this.envToken ? { envToken: this.envToken } : {}),
      ...(deps.crashAt ? { crashAt: deps.crashAt } : {}),
      ...(deps.log ? { log: deps.log } : {}),
      // A named profile that holds nothing is unknown, and the error lists the known ones.
      notSignedIn: () => {
        requireKnownProfile(this.paths.root, this.profile.name, 'NOT_SIGNED_IN');
        return undefined;
      },
    });
    this.limiter = new RateLimiter(deps.rate ?? resolveRate(deps.env));
    this.pages = new PagesService({ api: () => this.api(), site: (choice) => this.site(choice) });
    this.search = new SearchService({ api: () => this.api() });
    this.quota = new QuotaState(
      { pause: this.paths.quotaPauseFile, seen: this.paths.quotaSeenFile },
      { now: deps.now, ...(deps.onNotice ? { onNotice: deps.onNotice } : {}) },
    );
  }

  /** Runs `fn` with its own answer to a quota pause (wait for the reset, or fail at once). */
  withQuotaPolicy<T>(policy: QuotaPolicy, fn: () => Promise<T>): Promise<T> {
    return this.quotaScope.run(policy, fn);
  }

  /** The quota facts `auth status` shows: the pause in force and the last counters Atlassian sent. */
  async quotaReport(): Promise<StatusReport['quota']> {
    const [pause, seen] = await Promise.all([this.quota.activePause(), this.quota.lastSeen()]);
    if (!pause && !seen) return undefined;
    return {
      ...(pause ? { pausedUntil: iso(pause.until)!, ...(pause.reason ? { pauseReason: pause.reason } : {}) } : {}),
      ...(seen?.remaining !== undefined ? { remaining: seen.remaining } : {}),
      ...(seen?.limit !== undefined ? { limit: seen.limit } : {}),
      ...(seen?.nearLimit !== undefined ? { nearLimit: seen.nearLimit } : {}),
      ...(seen ? { seenAt: iso(seen.at)! } : {}),
    };
  }

  /** Creating, updating and editing pages; loaded on first use, as it brings the whole ADF core. */
  writer(): Promise<PageWriter> {
    this.writerInstance ??= import('./page-writer.js').then(
      ({ PageWriter, loadDocTools }) =>
        new PageWriter({
          api: () => this.api(),
          site: (choice) => this.site(choice),
          resolve: (ref, choice) => this.pages.resolve(ref, choice),
          get: (target, options) => this.pages.get(target, options),
          spaceId: async (site, key) => (await import('./confluence/page-writes.js')).spaceIdForKey(await this.api(), site, key),
          docs: loadDocTools,
        }),
    );
    return this.writerInstance;
  }

  /** The API client bound to the stored login (created once per process). */
  async api(): Promise<ApiClient> {
    this.apiClient ??= (async () => {
      const record = this.envToken ? undefined : (await this.session.login()).record;
      const urls = record ? serviceUrlsForLogin(this.deps.env, record) : resolveServiceUrls(this.deps.env);
      return this.makeApi(urls.apiUrl, (o) => this.session.accessToken(o));
    })();
    return this.apiClient;
  }

  private makeApi(apiUrl: string, accessToken: (o?: { rejected?: string }) => Promise<string>): Promise<ApiClient> {
    return createApiClient({
      apiUrl,
      accessToken,
      limiter: this.limiter,
      quota: this.quota,
      quotaPolicy: () => this.quotaScope.getStore() ?? this.deps.quotaPolicy,
      now: this.deps.now,
      ...(this.deps.log ? { log: this.deps.log } : {}),
      ...(this.deps.retry ? { retry: this.deps.retry } : {}),
      ...(this.deps.random ? { random: this.deps.random } : {}),
      timeoutMs: this.deps.timeoutMs ?? resolveTimeoutMs(this.deps.env),
    });
  }

  /** Refuses what would change the stored login while CONFLUENCE_ACCESS_TOKEN overrides it. */
  refuseWithEnvToken(what: string): void {
    if (this.envToken) {
      throw new AppError('ENV_TOKEN_ACTIVE', `CONFLUENCE_ACCESS_TOKEN is set, so confluence-adf uses that token and does not ${what}.`, {
        hint: `Unset CONFLUENCE_ACCESS_TOKEN to ${what}.`,
      });
    }
  }

  private loginDeps(urls: ServiceUrls) {
    return { urls, store: this.store, now: this.deps.now, apiWithToken: (token: string) => this.makeApi(urls.apiUrl, async () => token), ...(this.deps.log ? { log: this.deps.log } : {}) };
  }

  /** Starts a browser sign-in; the adapter shows `url` and opens the browser. */
  async startLogin(request: Omit<LoginRequest, 'scopes'> & { scopes?: string[] }): Promise<PendingLogin> {
    this.refuseWithEnvToken('sign in');
    await this.store.checkStorage();
    // The login code (and node:http for the loopback) loads only for a login: status starts faster.
    const { startLogin } = await import('./auth/login.js');
    return startLogin(this.loginDeps(resolveServiceUrls(this.deps.env)), { ...request, scopes: request.scopes ?? [...DEFAULT_SCOPES] });
  }

  /**
   * The first step of a sign-in with no terminal: saves state, verifier and redirect URI (sealed,
   * 0600, 10 minutes) and returns the URL to approve elsewhere.
   */
  async startDeferredLogin(request: Omit<LoginRequest, 'scopes'> & { scopes?: string[] }): Promise<StoredPending> {
    this.refuseWithEnvToken('sign in');
    await this.store.checkStorage();
    const urls = resolveServiceUrls(this.deps.env);
    const scopes = request.scopes ?? [...DEFAULT_SCOPES];
    const [{ redirectUriFor }, { prepareAuthorization }] = await Promise.all([import('./auth/loopback.js'), import('./auth/oauth.js')]);
    const redirectUri = redirectUriFor(request.callbackPort);
    const prepared = await prepareAuthorization({ authUrl: urls.authUrl, clientId: request.clientId, redirectUri, scopes });
    const pending: StoredPending = {
      ...urls,
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      callbackPort: request.callbackPort,
      scopes,
      ...(request.site ? { site: request.site } : {}),
      state: prepared.state,
      codeVerifier: prepared.codeVerifier,
      redirectUri,
      url: prepared.url.toString(),
      expiresAt: this.deps.now() + PENDING_TTL_MS,
    };
    await this.store.writePending(pending);
    return pending;
  }

  /** The second step: the address the browser was sent to completes the saved sign-in, once. */
  async completeDeferredLogin(callbackUrl: string): Promise<LoginResult> {
    this.refuseWithEnvToken('sign in');
    await this.store.checkStorage();
    const pending = await this.store.readPending();
    const again = 'Start again with `confluence-adf auth login --no-browser`.';
    if (!pending) throw new AppError('NO_PENDING_LOGIN', 'No sign-in is waiting to be completed here (it was completed already, or never started).', { hint: again });
    if (this.deps.now() > pending.expiresAt) {
      await this.store.removePending();
      throw new AppError('NO_PENDING_LOGIN', 'The waiting sign-in expired (it lasts 10 minutes).', { hint: again });
    }
    const { exchangeAndStore, parsePastedCallback } = await import('./auth/login.js');
    const query = parsePastedCallback(callbackUrl, pending.state);
    if (query.get('state') !== pending.state) {
      throw new AppError('STATE_MISMATCH', 'That address belongs to a different sign-in than the one waiting here (state mismatch).', {
        hint: 'Paste the address from the browser tab opened with the URL this machine printed last.',
      });
    }
    try {
      return await exchangeAndStore(this.loginDeps({ authUrl: pending.authUrl, apiUrl: pending.apiUrl }), pending, pending, query);
    } finally {
      // A code is single-use: success or failure, this sign-in cannot be completed twice.
      await this.store.removePending();
    }
  }

  /** Hands the login to another machine (see transfer.ts); `write` puts the bundle where it goes. */
  async exportLogin(options: { passphrase: string | undefined; keep: boolean; write: (bundle: string) => Promise<void> }): Promise<StoredLogin> {
    this.refuseWithEnvToken('export a login');
    const { exportLogin } = await import('./auth/transfer.js');
    return exportLogin(this.transferDeps(), options);
  }

  async importLogin(text: string, options: { passphrase: () => Promise<string>; offline: boolean; force: boolean; plaintext: boolean }): Promise<ImportResult> {
    this.refuseWithEnvToken('import a login');
    const { importLogin } = await import('./auth/transfer.js');
    return importLogin(this.transferDeps(), text, options);
  }

  private transferDeps() {
    return { store: this.store, env: this.deps.env, now: this.deps.now, withRefreshLock: this.withRefreshLock, apiWithToken: (urls: ServiceUrls, token: string) => this.makeApi(urls.apiUrl, async () => token), ...(this.deps.log ? { log: this.deps.log } : {}) };
  }

  /** Client credentials kept from an earlier login, so a new login needs no flags. */
  async storedClient(): Promise<{ clientId: string; clientSecret: string; callbackPort: number } | undefined> {
    try {
      const login = await this.store.read();
      return login ? { clientId: login.record.clientId, clientSecret: login.secrets.clientSecret, callbackPort: login.record.callbackPort } : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The OAuth app a login without flags uses: $CONFLUENCE_CLIENT_ID / $CONFLUENCE_CLIENT_SECRET, else
   * the one an earlier login stored. For adapters that cannot ask (MCP); never takes a secret as input.
   */
  async configuredClient(): Promise<{ clientId: string; clientSecret: string; callbackPort: number }> {
    const stored = await this.storedClient();
    const env = this.deps.env;
    const clientId = env.CONFLUENCE_CLIENT_ID?.trim() || stored?.clientId;
    const clientSecret = env.CONFLUENCE_CLIENT_SECRET?.trim() || (stored && stored.clientId === clientId ? stored.clientSecret : undefined);
    if (!clientId || !clientSecret) {
      throw new AppError('MISSING_CLIENT_CREDENTIALS', 'No OAuth app is configured for this server.', {
        hint: 'Set CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET in the MCP server\'s environment, or run `confluence-adf auth login` once in a terminal.',
      });
    }
    return { clientId, clientSecret, callbackPort: await this.configuredCallbackPort(stored) };
  }

  /** The callback port a login without --callback-port uses: $CONFLUENCE_ADF_CALLBACK_PORT, the stored one, or 9000. */
  async configuredCallbackPort(stored?: { callbackPort: number }): Promise<number> {
    const env = this.deps.env.CONFLUENCE_ADF_CALLBACK_PORT;
    if (env) return parsePort(env);
    return (stored ?? (await this.storedClient()))?.callbackPort ?? DEFAULT_CALLBACK_PORT;
  }

  /** Everything `auth status` shows; `offline` skips the one API call that proves the token works. */
  async status(options: { offline: boolean }): Promise<StatusReport> {
    const storage = { tokenFile: this.paths.tokenFile };
    if (this.envToken) return this.envTokenStatus(options.offline);
    const profile = this.profile;
    let found: { login: StoredLogin; keyLocation: KeyLocation } | undefined;
    try {
      found = await this.store.readWithLocation();
    } catch (error) {
      if (error instanceof AppError) {
        return { profile, signedIn: false, storage: { backend: 'none', ...storage }, check: { performed: false, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
      }
      throw error;
    }
    if (!found) {
      const signedOut = { profile, signedIn: false, storage: { backend: 'none' as const, ...storage } };
      try {
        requireKnownProfile(this.paths.root, profile.name, 'NOT_SIGNED_IN');
      } catch (error) {
        const e = error as AppError;
        return { ...signedOut, reason: e.message.replace(/\.$/, ''), hint: e.hint ?? LOGIN_HINT, check: { performed: false, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
      }
      return { ...signedOut, reason: 'no login is stored for this profile (never signed in, or signed out)', hint: LOGIN_HINT, check: { performed: false } };
    }
    const { login, keyLocation } = found;
    const now = this.deps.now();
    const limits = refreshTokenLimits(login, now);
    const granted = login.record.scopes;
    const report: StatusReport = {
      profile,
      signedIn: !!login.secrets.refreshToken || accessTokenUsable(login, now),
      source: 'store',
      site: login.record.site,
      sites: login.record.sites,
      ...(login.record.account ? { account: login.record.account } : {}),
      clientId: login.record.clientId,
      scopes: { granted, missingDefaults: DEFAULT_SCOPES.filter((s) => !granted.includes(s)) },
      accessToken: { expiresAt: iso(login.record.accessTokenExpiresAt)!, valid: accessTokenUsable(login, now) },
      refreshToken: {
        present: !!login.secrets.refreshToken,
        ...(login.record.refreshTokenIssuedAt ? { issuedAt: iso(login.record.refreshTokenIssuedAt)! } : {}),
        ...(limits.idleExpiresAt ? { idleExpiresAt: iso(limits.idleExpiresAt)! } : {}),
        absoluteExpiresAt: iso(limits.absoluteExpiresAt)!,
      },
      storage: { backend: keyLocation, ...storage, ...(keyLocation === 'file' ? { keyFile: this.paths.keyFile } : {}) },
      check: { performed: false },
      ...(limits.warning ? { warning: limits.warning } : {}),
    };
    if (login.record.exportedAt && !login.secrets.refreshToken) {
      report.exportedAt = iso(login.record.exportedAt)!;
      report.reason = `this login was exported to another machine on ${report.exportedAt}`;
      report.hint = 'Run `confluence-adf auth login` to sign in here again.';
    } else if (!report.signedIn) {
      report.reason = 'the session has ended and there is no refresh token to renew it';
      report.hint = 'Run `confluence-adf auth login` to sign in again.';
    }
    const quota = await this.quotaReport();
    if (quota) report.quota = quota;
    // During a quota pause the check would only be refused without reaching Atlassian.
    if (options.offline || !report.signedIn || quota?.pausedUntil) return report;
    try {
      await accessibleSites(await this.api());
      report.check = { performed: true, ok: true };
      const fresh = await this.store.read();
      if (fresh) report.accessToken = { expiresAt: iso(fresh.record.accessTokenExpiresAt)!, valid: accessTokenUsable(fresh, this.deps.now()) };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      report.check = { performed: true, ok: false, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
      if (LOGIN_NEEDED_CODES.has(error.code)) {
        report.signedIn = false;
        report.reason = error.message.replace(/\.$/, '');
        report.hint = error.hint ?? LOGIN_HINT;
      }
    }
    return report;
  }

  private async envTokenStatus(offline: boolean): Promise<StatusReport> {
    const report: StatusReport = { profile: this.profile, signedIn: true, source: 'environment', storage: { backend: 'none', tokenFile: this.paths.tokenFile }, check: { performed: false } };
    const quota = await this.quotaReport();
    if (quota) report.quota = quota;
    if (offline || quota?.pausedUntil) return report;
    try {
      report.site = await this.site();
      report.check = { performed: true, ok: true };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      report.check = { performed: true, ok: false, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
      if (LOGIN_NEEDED_CODES.has(error.code)) {
        report.signedIn = false;
        report.reason = error.message.replace(/\.$/, '');
        report.hint = error.hint ?? 'Set CONFLUENCE_ACCESS_TOKEN to a fresh token, or unset it to use the stored login.';
      }
    }
    return report;
  }

  /** Removes every local copy, tries revocation once, and is safe to repeat. */
  async logout(): Promise<LogoutReport> {
    this.refuseWithEnvToken('sign out');
    if (!existsSync(this.paths.tokenFile) && !existsSync(this.paths.pendingFile)) requireKnownProfile(this.paths.root, this.profile.name);
    let login: StoredLogin | undefined;
    try {
      login = await this.store.read();
    } catch {
      login = undefined;
    }
    let revoked: LogoutReport['revoked'] = 'skipped';
    const token = login?.secrets.refreshToken ?? login?.secrets.accessToken;
    // Revocation goes only where the login was made and the configuration still points.
    const urls = login && token ? tryServiceUrlsForLogin(this.deps.env, login.record) : undefined;
    if (login && token && urls) {
      revoked = (await revokeToken({ authUrl: urls.authUrl, clientId: login.record.clientId, clientSecret: login.secrets.clientSecret, log: this.deps.log }, token)) ? 'yes' : 'no';
    }
    const report = await this.store.remove();
    return { wasSignedIn: !!login || report.removed.length > 0, revoked, ...report };
  }

  /**
   * The warning about an approaching 90- or 365-day limit, at most once a day: the day it was last
   * given is kept in $CONFLUENCE_ADF_HOME/limit-warning so separate commands share it.
   */
  async dueLimitWarning(): Promise<string | undefined> {
    let login: StoredLogin | undefined;
    try {
      login = await this.store.read();
    } catch {
      return undefined;
    }
    if (!login?.secrets.refreshToken) return undefined;
    const now = this.deps.now();
    const { warning } = refreshTokenLimits(login, now);
    if (!warning) return undefined;
    const { readFile } = await import('node:fs/promises');
    const { writeFileAtomic } = await import('./store/atomic.js');
    const file = `${this.paths.home}/limit-warning`;
    const today = new Date(now).toISOString().slice(0, 10);
    const last = await readFile(file, 'utf8').catch(() => '');
    if (last.trim() === today) return undefined;
    await writeFileAtomic(file, today).catch(() => undefined);
    return warning;
  }

  /** The site a command acts on: --site when given, else the one chosen at login. */
  async site(choice?: string): Promise<Site> {
    if (this.envToken) {
      // With a bare token there is no stored site: ask Atlassian which sites the token reaches.
      const sites = await accessibleSites(await this.api());
      const wanted = choice ?? this.deps.env.CONFLUENCE_CLOUD_ID;
      if (wanted) return findSite(sites, wanted) ?? (() => { throw siteNotFound(sites, wanted); })();
      if (sites.length === 1) return sites[0]!;
      throw new AppError('SITE_CHOICE_NEEDED', 'CONFLUENCE_ACCESS_TOKEN reaches several sites; say which one.', { hint: 'Set CONFLUENCE_CLOUD_ID or pass --site.' });
    }
    const login = await this.session.login();
    if (!choice) return login.record.site;
    const site = findSite(login.record.sites, choice);
    if (!site) throw siteNotFound(login.record.sites, choice);
    return site;
  }

  async spacesPage(site: Site, query: SpacesQuery): Promise<SpacesPage> {
    return listSpacesPage(await this.api(), site, query);
  }

  async *allSpaces(site: Site, query: SpacesQuery): AsyncGenerator<SpacesPage> {
    yield* listAllSpaces(await this.api(), site, query);
  }
}
