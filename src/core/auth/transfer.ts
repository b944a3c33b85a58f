import { AppError, LOGIN_HINT } from '../errors.js';
import type { Env } from '../config.js';
import { resolveServiceUrls } from '../config.js';
import type { StoredLogin, TokenStore } from '../store/token-store.js';
import { makeBundle, openBundle } from '../store/bundle.js';
import { refreshGrant } from './oauth.js';
import type { RefreshLock } from './session.js';

export interface TransferDeps {
  store: TokenStore;
  env: Env;
  now: () => number;
  withRefreshLock: RefreshLock;
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
 * Imports a bundle: opens it, refuses to replace a different signed-in account unless `force`, proves
 * it by refreshing once (unless `offline`), and stores it. Any failure stores nothing.
 */
export async function importLogin(
  deps: TransferDeps,
  text: string,
  options: { passphrase: () => Promise<string>; offline: boolean; force: boolean },
): Promise<ImportResult> {
  const bundled = await openBundle(text, options.passphrase);
  return deps.withRefreshLock(async () => {
    const existing = await deps.store.read().catch(() => undefined);
    if (existing?.secrets.refreshToken && !options.force && !sameAccount(existing, bundled)) {
      const who = (l: StoredLogin) => `${l.record.account?.name ?? l.record.clientId} on ${l.record.site.name}`;
      throw new AppError('ACCOUNT_CONFLICT', `This machine is signed in as ${who(existing)}; the bundle is for ${who(bundled)}. Nothing was changed.`, {
        hint: 'Pass --force to replace the current login, or `confluence-adf auth logout` first.',
      });
    }
    let login = bundled;
    if (!options.offline) {
      const urls = resolveServiceUrls(deps.env, bundled.record);
      let tokens;
      try {
        tokens = await refreshGrant({ authUrl: urls.authUrl, clientId: bundled.record.clientId, clientSecret: bundled.secrets.clientSecret }, bundled.secrets.refreshToken!);
      } catch (error) {
        if (error instanceof AppError && error.code === 'SESSION_EXPIRED') {
          throw new AppError('SESSION_EXPIRED', `The login in this bundle has ended: ${error.message} Nothing was stored.`, {
            hint: 'Sign in again on a machine with a browser (`confluence-adf auth login`), then export a new bundle.',
          });
        }
        if (error instanceof AppError) throw new AppError(error.code, `${error.message} The bundle was not imported.`, { hint: 'Try again, or pass --offline to import without proving it.' });
        throw error;
      }
      const now = deps.now();
      login = {
        record: { ...bundled.record, accessTokenExpiresAt: now + tokens.expiresInSeconds * 1000, refreshTokenIssuedAt: now, updatedAt: now },
        secrets: { ...bundled.secrets, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? bundled.secrets.refreshToken },
      };
    }
    await deps.store.write(login);
    return { login, proved: !options.offline };
  });
}

function sameAccount(a: StoredLogin, b: StoredLogin): boolean {
  if (a.record.account && b.record.account) return a.record.account.accountId === b.record.account.accountId;
  return a.record.clientId === b.record.clientId && a.record.site.cloudId === b.record.site.cloudId;
}
