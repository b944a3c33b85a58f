import { AppError, LOGIN_HINT } from '../errors.js';
import type { Env } from '../config.js';
import { resolveServiceUrls, type ServiceUrls } from '../config.js';
import type { Account, Site, StoredLogin, TokenStore } from '../store/token-store.js';
import { printable } from '../text.js';
import type { ApiClient } from '../confluence/http.js';
import { currentAccount } from '../confluence/sites.js';
import { makeBundle, openBundle } from '../store/bundle.js';
import { refreshGrant } from './oauth.js';
import type { RefreshLock } from './session.js';

export interface TransferDeps {
  store: TokenStore;
  env: Env;
  now: () => number;
  withRefreshLock: RefreshLock;
  /** An API client at `urls.apiUrl` that presents `token`: asks Atlassian whose login a bundle is. */
  apiWithToken: (urls: ServiceUrls, token: string) => Promise<ApiClient>;
  /** --verbose lines for the token endpoint. */
  log?: (line: string) => void;
}

/**
 * Hands the login over to another machine. Under the refresh lock (so no refresh rotates the tokens
 * in between) the bundle is made and written by `write`; only once it is written does this machine
 * drop its tokens, unless `keep`. Two machines refreshing one login would end it.
 */
export async function exportLogin(
  deps: TransferDeps,
  options: { passphrase: string | undefined; keep: boolean; write: (bundle: string) => Promise<void> },
): Promise<StoredLogin> {
  return deps.withRefreshLock(async () => {
    const login = await deps.store.read();
    if (!login) throw new AppError('NOT_SIGNED_IN', 'There is no login here to export.', { hint: LOGIN_HINT });
    if (!login.secrets.refreshToken) {
      throw new AppError(login.record.exportedAt ? 'LOGIN_EXPORTED' : 'SESSION_EXPIRED', 'This machine holds no live login to export.', { hint: LOGIN_HINT });
    }
    const { exportedAt: _previous, ...record } = login.record;
    await options.write(await makeBundle({ record, secrets: login.secrets }, deps.now(), options.passphrase));
    if (!options.keep) {
      await deps.store.write({ record: { ...login.record, exportedAt: deps.now(), accessTokenExpiresAt: 0 }, secrets: { clientSecret: login.secrets.clientSecret } });
    }
    return login;
  });
}

export interface ImportResult {
  login: StoredLogin;
  proved: boolean;
}

/**
 * Imports a bundle: opens it (a plaintext one only when `plaintext` says it is expected), proves it by
 * refreshing once (unless `offline`), refuses to replace a different signed-in account unless `force`,
 * and stores it. Any failure stores nothing.
 *
 * Nothing in the bundle is trusted beyond its tokens: requests go where this machine's configuration
 * says, and the account compared is the one Atlassian reports for the refreshed token, not the
 * bundle's own claim (a hand-made bundle could claim anything).
 */
export async function importLogin(
  deps: TransferDeps,
  text: string,
  options: { passphrase: () => Promise<string>; offline: boolean; force: boolean; plaintext: boolean },
): Promise<ImportResult> {
  const bundled = await openBundle(text, options.passphrase, { plaintext: options.plaintext });
  const urls = resolveServiceUrls(deps.env);
  return deps.withRefreshLock(async () => {
    const existing = await deps.store.read().catch(() => undefined);
    const replacing = !!existing?.secrets.refreshToken && !options.force;
    if (replacing && options.offline) {
      throw new AppError('ACCOUNT_CONFLICT', `This machine is signed in as ${who(existing!, existing!.record.account)}, and an --offline import cannot ask Atlassian whose login the bundle is. Nothing was changed.`, {
        hint: 'Import without --offline, pass --force to replace the current login, or `confluence-adf auth logout` first.',
      });
    }
    // The names in a bundle are shown on this terminal: a hand-made one could carry escape sequences.
    const site = (s: Site): Site => ({ cloudId: s.cloudId, name: printable(String(s.name)), url: printable(String(s.url)) });
    // Whose login it is comes from Atlassian below; an --offline import stays without a name until then.
    const { account: _claimed, ...claimed } = bundled.record;
    let login: StoredLogin = {
      record: { ...claimed, site: site(bundled.record.site), sites: Array.isArray(bundled.record.sites) ? bundled.record.sites.map(site) : [site(bundled.record.site)], ...urls },
      secrets: bundled.secrets,
    };
    if (!options.offline) {
      let tokens;
      try {
        tokens = await refreshGrant({ authUrl: urls.authUrl, clientId: bundled.record.clientId, clientSecret: bundled.secrets.clientSecret, log: deps.log }, bundled.secrets.refreshToken!);
      } catch (error) {
        if (error instanceof AppError && error.code === 'SESSION_EXPIRED') {
          throw new AppError('SESSION_EXPIRED', `The login in this bundle has ended: ${error.message} Nothing was stored.`, {
            hint: 'Sign in again on a machine with a browser (`confluence-adf auth login`), then export a new bundle.',
          });
        }
        if (error instanceof AppError) throw new AppError(error.code, `${error.message} The bundle was not imported.`, { hint: 'Try again, or pass --offline to import without proving it.' });
        throw error;
      }
      const account = await currentAccount(await deps.apiWithToken(urls, tokens.accessToken));
      if (replacing && !sameAccount(existing!.record.account, account)) {
        throw new AppError('ACCOUNT_CONFLICT', `This machine is signed in as ${who(existing!, existing!.record.account)}; the bundle is for ${who(bundled, account)}. Nothing was changed.`, {
          hint: 'Pass --force to replace the current login, or `confluence-adf auth logout` first.',
        });
      }
      const now = deps.now();
      login = {
        record: { ...login.record, ...(account ? { account } : {}), accessTokenExpiresAt: now + tokens.expiresInSeconds * 1000, refreshTokenIssuedAt: now, updatedAt: now },
        secrets: { ...bundled.secrets, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? bundled.secrets.refreshToken },
      };
    }
    await deps.store.write(login);
    return { login, proved: !options.offline };
  });
}

function who(login: StoredLogin, account: Account | undefined): string {
  return `${account?.name ?? 'an unnamed account'} on ${login.record.site.name}`;
}

/** Only two accounts Atlassian named can be the same: without a name, nothing proves it. */
function sameAccount(a: Account | undefined, b: Account | undefined): boolean {
  return !!a && !!b && a.accountId === b.accountId;
}
