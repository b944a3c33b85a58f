import { AppError, LOGIN_HINT } from '../errors.js';
import type { Env } from '../config.js';
import { serviceUrlsForLogin } from '../config.js';
import type { StoredLogin, TokenStore } from '../store/token-store.js';
import { refreshGrant } from './oauth.js';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
export const IDLE_LIMIT_MS = 90 * DAY;
export const ABSOLUTE_LIMIT_MS = 365 * DAY;
export const LIMIT_WARNING_MS = 14 * DAY;
const MAX_MARGIN_MS = 5 * MINUTE;

/**
 * The steps of a refresh at which a test can make the process die or pause (see
 * CONFLUENCE_ADF_TEST_CRASH_AT and CONFLUENCE_ADF_TEST_PAUSE_AT).
 */
export type RefreshStep = 'after-lock' | 'before-token-request' | 'after-token-response' | 'during-write';

/** The refresh lock as its holder sees it. */
export interface HeldLock {
  /** Throws (and the lock is taken again and `fn` rerun) when another process took the lock over. */
  assertHeld(): void;
}

/** Runs `fn` while holding the cross-process refresh lock. */
export type RefreshLock = <T>(fn: (lock: HeldLock) => Promise<T>) => Promise<T>;

export interface SessionDeps {
  store: TokenStore;
  env: Env;
  now: () => number;
  withRefreshLock: RefreshLock;
  /** Called when nothing is stored: may throw a better error (an unknown profile). */
  notSignedIn?: () => undefined;
  /** CONFLUENCE_ACCESS_TOKEN: used as given instead of the stored login. */
  envToken?: string;
  /** Test-only: called at each refresh step so a crash test can kill the process there. */
  crashAt?: (step: RefreshStep) => void;
  /** --verbose lines for the token endpoint. */
  log?: (line: string) => void;
}

/**
 * Refresh ahead of expiry, but never by more than a quarter of the token's life, so a short-lived
 * token is not refreshed on every call.
 */
export function refreshMargin(login: StoredLogin): number {
  const lifetime = login.record.accessTokenExpiresAt - login.record.updatedAt;
  return Math.max(0, Math.min(MAX_MARGIN_MS, lifetime / 4));
}

export function accessTokenUsable(login: StoredLogin, now: number): boolean {
  return !!login.secrets.accessToken && login.record.accessTokenExpiresAt - refreshMargin(login) > now;
}

/**
 * The one way every command and the MCP server obtain an access token. Inside a process, one refresh
 * at a time, shared by every caller; across processes, the refresh lock plus a re-read of the store,
 * so a refresh token that another process already rotated out is never presented again.
 */
export class Session {
  private inflight: Promise<StoredLogin> | undefined;
  /** The last login read or written by this process; used only while its access token is usable. */
  private cached: StoredLogin | undefined;

  constructor(private readonly deps: SessionDeps) {}

  /** The stored login, or NOT_SIGNED_IN / LOGIN_EXPORTED. */
  async login(): Promise<StoredLogin> {
    const login = await this.deps.store.read();
    if (!login) {
      this.deps.notSignedIn?.();
      throw new AppError('NOT_SIGNED_IN', 'You are not signed in to Confluence.', { hint: LOGIN_HINT });
    }
    if (login.record.exportedAt && !login.secrets.refreshToken) {
      throw new AppError('LOGIN_EXPORTED', `This login was exported to another machine on ${new Date(login.record.exportedAt).toISOString()}; this machine no longer uses it.`, {
        hint: 'Run `confluence-adf auth login` to sign in here again.',
      });
    }
    return login;
  }

  /**
   * A usable access token. `rejected` is a token the API refused: a fresh one is fetched unless another
   * caller already replaced it. `force` refreshes whatever the state (`auth refresh`).
   */
  async accessToken(options: { rejected?: string; force?: boolean } = {}): Promise<string> {
    if (this.deps.envToken !== undefined) {
      // A token from the environment is used as given: never stored, never refreshed.
      if (options.rejected === undefined && !options.force) return this.deps.envToken;
      throw new AppError('SESSION_EXPIRED', 'Atlassian rejected the access token in CONFLUENCE_ACCESS_TOKEN.', {
        hint: 'Put a fresh token in CONFLUENCE_ACCESS_TOKEN (e.g. from `confluence-adf auth token` on a signed-in machine), or unset it to use the stored login.',
      });
    }
    // A usable token in memory needs no disk read: rotation matters only when refreshing, and a
    // refresh always re-reads the store under the lock.
    if (!options.force && options.rejected === undefined && this.cached && accessTokenUsable(this.cached, this.deps.now())) {
      return this.cached.secrets.accessToken!;
    }
    if (options.rejected !== undefined) this.cached = undefined;
    const login = await this.login();
    this.cached = login;
    const current = login.secrets.accessToken;
    if (!options.force) {
      if (options.rejected === undefined && accessTokenUsable(login, this.deps.now())) return current!;
      if (options.rejected !== undefined && current && current !== options.rejected && accessTokenUsable(login, this.deps.now())) return current;
    }
    const refreshed = await this.refresh({ seenRefreshToken: login.secrets.refreshToken, rejected: options.rejected ?? (options.force ? current : undefined) });
    this.cached = refreshed;
    return refreshed.secrets.accessToken!;
  }

  /** Forces one refresh now and returns the stored result (`auth refresh`). */
  async refreshNow(): Promise<StoredLogin> {
    const login = await this.login();
    return this.refresh({ seenRefreshToken: login.secrets.refreshToken, rejected: login.secrets.accessToken });
  }

  private refresh(seen: { seenRefreshToken: string | undefined; rejected: string | undefined }): Promise<StoredLogin> {
    this.inflight ??= this.deps
      .withRefreshLock((lock) => this.refreshUnderLock(seen, lock))
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private async refreshUnderLock(seen: { seenRefreshToken: string | undefined; rejected: string | undefined }, lock: HeldLock): Promise<StoredLogin> {
    this.deps.crashAt?.('after-lock');
    // Re-read under the lock: another process may have rotated the tokens while we waited for it.
    const login = await this.login();
    const { refreshToken, accessToken } = login.secrets;
    const now = this.deps.now();
    const someoneElseRefreshed = refreshToken !== seen.seenRefreshToken || (accessToken !== undefined && accessToken !== seen.rejected && seen.rejected !== undefined);
    if (someoneElseRefreshed && accessTokenUsable(login, now)) return login;
    if (seen.rejected === undefined && accessTokenUsable(login, now)) return login;
    if (!refreshToken) {
      throw new AppError('SESSION_EXPIRED', 'Your Confluence session has ended and there is no refresh token to renew it.', { hint: LOGIN_HINT });
    }
    const urls = serviceUrlsForLogin(this.deps.env, login.record);
    this.deps.crashAt?.('before-token-request');
    // The last moment to notice that a pause cost us the lock: past it, the refresh token is spent.
    lock.assertHeld();
    let tokens;
    try {
      tokens = await refreshGrant({ authUrl: urls.authUrl, clientId: login.record.clientId, clientSecret: login.secrets.clientSecret, log: this.deps.log }, refreshToken);
    } catch (error) {
      if (error instanceof AppError && error.code === 'SESSION_EXPIRED') {
        // Tokens another process stored meanwhile are alive: those are kept, and used.
        const newer = await this.writeUnlessNewer(login, { record: { ...login.record, accessTokenExpiresAt: 0, updatedAt: this.deps.now() }, secrets: { clientSecret: login.secrets.clientSecret } });
        if (newer && accessTokenUsable(newer, this.deps.now())) return newer;
      }
      throw error;
    }
    this.deps.crashAt?.('after-token-response');
    const after = this.deps.now();
    const updated: StoredLogin = {
      record: {
        ...login.record,
        scopes: tokens.scopes.length > 0 ? tokens.scopes : login.record.scopes,
        accessTokenExpiresAt: after + tokens.expiresInSeconds * 1000,
        refreshTokenIssuedAt: tokens.refreshToken ? after : login.record.refreshTokenIssuedAt,
        updatedAt: after,
      },
      secrets: {
        ...login.secrets,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? refreshToken,
      },
    };
    // The rotated refresh token must be durable before the new access token is used: the old one
    // dies ten minutes from now, and a crash must not leave us holding only the old one.
    return (await this.writeUnlessNewer(login, updated, () => this.deps.crashAt?.('during-write'))) ?? updated;
  }

  /**
   * Writes `next` only while the store still holds the tokens of `read`. When another process stored
   * newer ones meanwhile (this one was paused and lost the lock), those win and are returned.
   */
  private async writeUnlessNewer(read: StoredLogin, next: StoredLogin, beforeRename?: () => void): Promise<StoredLogin | undefined> {
    try {
      await this.deps.store.write(next, { ifTokensAre: read.secrets, ...(beforeRename ? { beforeRename } : {}) });
      return undefined;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'STORE_CHANGED')) throw error;
      return this.login();
    }
  }
}

export interface LimitReport {
  idleExpiresAt: number | undefined;
  absoluteExpiresAt: number;
  /** A warning when either limit is within 14 days, else undefined. */
  warning: string | undefined;
}

/** The two long limits on a grant: 90 days without a refresh, 365 days from consent. */
export function refreshTokenLimits(login: StoredLogin, now: number): LimitReport {
  const idleExpiresAt = login.record.refreshTokenIssuedAt !== undefined ? login.record.refreshTokenIssuedAt + IDLE_LIMIT_MS : undefined;
  const absoluteExpiresAt = login.record.consentAt + ABSOLUTE_LIMIT_MS;
  const days = (t: number) => Math.max(0, Math.ceil((t - now) / DAY));
  let warning: string | undefined;
  if (absoluteExpiresAt - now <= LIMIT_WARNING_MS) {
    warning = `Your Confluence sign-in reaches Atlassian's one-year limit in ${days(absoluteExpiresAt)} days; run \`confluence-adf auth login\` before then.`;
  } else if (idleExpiresAt !== undefined && idleExpiresAt - now <= LIMIT_WARNING_MS) {
    warning = `Your Confluence sign-in expires in ${days(idleExpiresAt)} days unless it is used; any command renews it (\`confluence-adf auth refresh\` does so explicitly).`;
  }
  return { idleExpiresAt, absoluteExpiresAt, warning };
}
