import { AppError } from '../errors.js';
import type { ServiceUrls } from '../config.js';
import type { ApiClient } from '../confluence/http.js';
import { accessibleSites, currentAccount, describeSites, findSite, siteNotFound } from '../confluence/sites.js';
import type { Account, KeyLocation, Site, StoredLogin, TokenStore } from '../store/token-store.js';
import { listenForCallback, redirectUriFor, type CallbackArrival, type CallbackListener } from './loopback.js';
import { exchangeCode, prepareAuthorization } from './oauth.js';

export interface LoginRequest {
  clientId: string;
  clientSecret: string;
  callbackPort: number;
  scopes: string[];
  /** URL, name or cloudId; when absent and several sites are granted, `chooseSite` decides. */
  site?: string;
}

export interface LoginDeps {
  urls: ServiceUrls;
  store: TokenStore;
  now: () => number;
  /** An API client that sends the given token (the new one is not stored yet). */
  apiWithToken: (accessToken: string) => Promise<ApiClient>;
  /** --verbose lines for the token endpoint. */
  log?: (line: string) => void;
}

export interface LoginResult {
  site: Site;
  sites: Site[];
  account: Account | undefined;
  scopes: string[];
  /** Requested scopes the grant did not include. */
  missingScopes: string[];
  keyLocation: KeyLocation;
}

export interface CompleteOptions {
  timeoutMs: number;
  chooseSite?: (sites: Site[]) => Promise<Site>;
  signal?: AbortSignal;
  /** The callback query from a person pasting the address, as an alternative to the loopback. */
  pasted?: Promise<URLSearchParams>;
}

export interface PendingLogin {
  /** The address the person opens to approve. */
  url: string;
  redirectUri: string;
  /** The state this sign-in expects back (for checking a pasted address). */
  state: string;
  /** Waits for the browser (or a pasted address), exchanges the code, picks the site and stores the login. */
  complete(options: CompleteOptions): Promise<LoginResult>;
  cancel(): Promise<void>;
}

/**
 * Starts a browser sign-in: PKCE, state and the loopback listener. The state and verifier live in
 * this object only, from start to completion, never in module state.
 */
export async function startLogin(deps: LoginDeps, request: LoginRequest): Promise<PendingLogin> {
  const redirectUri = redirectUriFor(request.callbackPort);
  const prepared = await prepareAuthorization({ authUrl: deps.urls.authUrl, clientId: request.clientId, redirectUri, scopes: request.scopes });
  const listener = await listenForCallback({ port: request.callbackPort, state: prepared.state });
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await listener.close();
    }
  };
  return {
    url: prepared.url.toString(),
    redirectUri,
    state: prepared.state,
    cancel: close,
    async complete(options) {
      try {
        return await finishLogin(deps, request, prepared, listener, options);
      } finally {
        await close();
      }
    },
  };
}

async function finishLogin(
  deps: LoginDeps,
  request: LoginRequest,
  prepared: { state: string; codeVerifier: string; redirectUri: string },
  listener: CallbackListener,
  options: CompleteOptions,
): Promise<LoginResult> {
  // The browser's redirect reaches the listener, or the person pastes where it was sent: first wins.
  const sources: Promise<CallbackArrival>[] = [listener.arrival];
  if (options.pasted) sources.push(options.pasted.then((query) => ({ query, finish: () => undefined })));
  const arrival = await waitFor(Promise.race(sources), options.timeoutMs, prepared.redirectUri, request.clientId, options.signal);
  try {
    const result = await exchangeAndStore(deps, request, prepared, arrival.query, options.chooseSite);
    const who = result.account ? ` as ${result.account.name}` : '';
    arrival.finish({ ok: true, detail: `confluence-adf is signed in to ${result.site.name}${who}.` });
    return result;
  } catch (error) {
    arrival.finish({ ok: false, error: error instanceof AppError ? error.message : 'The sign-in could not be completed.' });
    throw error;
  }
}

/** The second half of every sign-in: code exchange, the sites, the account, and the store. */
export async function exchangeAndStore(
  deps: LoginDeps,
  request: LoginRequest,
  prepared: { state: string; codeVerifier: string; redirectUri: string },
  query: URLSearchParams,
  chooseSite?: (sites: Site[]) => Promise<Site>,
): Promise<LoginResult> {
  const tokens = await exchangeCode({ authUrl: deps.urls.authUrl, clientId: request.clientId, clientSecret: request.clientSecret, log: deps.log }, prepared, query);
  const api = await deps.apiWithToken(tokens.accessToken);
  const sites = await accessibleSites(api);
  if (sites.length === 0) {
    throw new AppError('NO_SITE_ACCESS', 'You signed in, but your Atlassian account cannot reach any Confluence site through this app.', {
      hint: 'Ask a site admin to give your account Confluence access (guests and users without a product licence get none), then run `confluence-adf auth login` again.',
    });
  }
  const site = await pickSite(sites, request.site, chooseSite);
  const account = await currentAccount(api);
  const now = deps.now();
  const login: StoredLogin = {
    record: {
      clientId: request.clientId,
      authUrl: deps.urls.authUrl,
      apiUrl: deps.urls.apiUrl,
      callbackPort: request.callbackPort,
      site,
      sites,
      ...(account ? { account } : {}),
      scopes: tokens.scopes,
      requestedScopes: request.scopes,
      accessTokenExpiresAt: now + tokens.expiresInSeconds * 1000,
      ...(tokens.refreshToken ? { refreshTokenIssuedAt: now } : {}),
      consentAt: now,
      updatedAt: now,
    },
    secrets: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, clientSecret: request.clientSecret },
  };
  const keyLocation = await deps.store.write(login);
  const granted = new Set(tokens.scopes);
  return { site, sites, account, scopes: tokens.scopes, missingScopes: tokens.scopes.length ? request.scopes.filter((s) => !granted.has(s)) : [], keyLocation };
}

/**
 * What a person pasted after approving elsewhere: the address the browser was sent to (it fails to
 * load localhost, which is expected), or the bare code. A bare code carries no state; the person
 * pasting it into this very prompt is what ties it to this sign-in.
 */
export function parsePastedCallback(text: string, state: string): URLSearchParams {
  const value = text.trim().replace(/^['"]|['"]$/g, '');
  if (value === '') throw new AppError('USAGE', 'Nothing was pasted.', { hint: 'Paste the whole address from the browser\'s address bar.' });
  if (/[?&](code|error)=/.test(value) || /^https?:\/\//i.test(value)) {
    const url = new URL(/^https?:\/\//i.test(value) ? value : `http://localhost/${value.replace(/^.*?\?/, '?')}`);
    if (!url.searchParams.has('code') && !url.searchParams.has('error')) {
      throw new AppError('USAGE', 'That address carries no code.', { hint: 'Paste the address the browser was sent to after you chose Accept (it starts with http://localhost).' });
    }
    return url.searchParams;
  }
  if (/\s/.test(value)) throw new AppError('USAGE', 'That is neither an address nor a code.', { hint: 'Paste the address from the browser\'s address bar.' });
  return new URLSearchParams({ code: value, state });
}

async function pickSite(sites: Site[], choice: string | undefined, chooseSite?: (sites: Site[]) => Promise<Site>): Promise<Site> {
  if (choice) {
    const site = findSite(sites, choice);
    if (!site) throw siteNotFound(sites, choice);
    return site;
  }
  if (sites.length === 1) return sites[0]!;
  if (chooseSite) return chooseSite(sites);
  throw new AppError('SITE_CHOICE_NEEDED', `Your login reaches ${sites.length} sites; choose one:\n${describeSites(sites)}`, {
    hint: 'Run `confluence-adf auth login --site <url|name|cloudId>` with one of the sites above.',
  });
}

function waitFor<T>(promise: Promise<T>, timeoutMs: number, redirectUri: string, clientId: string, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new AppError('LOGIN_TIMEOUT', `No answer came from the browser within ${Math.round(timeoutMs / 1000)} s.`, {
          hint:
            `If the browser showed an Atlassian error: for a redirect_uri mismatch set your app's callback URL to exactly ${redirectUri}; ` +
            'for an invalid scope add the scopes listed there to the app (Developer Console → Permissions); ' +
            `for an unknown client or an error page with no detail check that ${clientId} is the Client ID under Settings of your app. ` +
            'Otherwise run `confluence-adf auth login` again and approve in time (or pass --timeout with more seconds).',
        }),
      );
    }, timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AppError('CANCELLED', 'The sign-in was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
