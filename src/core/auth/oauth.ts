import { AppError, LOGIN_HINT } from '../errors.js';
import { redactUrl } from '../confluence/http.js';
import { printable } from '../text.js';

type Oidc = typeof import('openid-client');
let oidcModule: Promise<Oidc> | undefined;
/** openid-client loads on first use, so commands that never talk OAuth start faster. */
const loadOidc = () => (oidcModule ??= import('openid-client'));

export interface OAuthClient {
  authUrl: string;
  clientId: string;
  clientSecret: string;
  /** --verbose: one line per token-endpoint request and response (method, URL, status; never a body). */
  log?: ((line: string) => void) | undefined;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  expiresInSeconds: number;
  scopes: string[];
}

export interface PreparedAuthorization {
  url: URL;
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

const REQUEST_TIMEOUT_S = 30;
const MAX_EXPIRES_IN_S = 24 * 3600;

/** Atlassian publishes no usable discovery for 3LO apps, so the endpoints are spelled out. */
async function configuration(client: OAuthClient) {
  const oidc = await loadOidc();
  const server = {
    issuer: client.authUrl,
    authorization_endpoint: `${client.authUrl}/authorize`,
    token_endpoint: `${client.authUrl}/oauth/token`,
    revocation_endpoint: `${client.authUrl}/oauth/revoke`,
  };
  // The token endpoint demands client_secret even with PKCE: client_secret_post carries it.
  // Building the authorize URL needs no secret; None() keeps openid-client from asking for one.
  const auth = client.clientSecret ? oidc.ClientSecretPost(client.clientSecret) : oidc.None();
  const config = new oidc.Configuration(server, client.clientId, undefined, auth);
  config.timeout = REQUEST_TIMEOUT_S;
  // Plain http only ever reaches here for loopback URLs (config.checkServiceUrl refused the rest).
  if (client.authUrl.startsWith('http://')) oidc.allowInsecureRequests(config);
  const log = client.log;
  if (log) {
    // The same lines the API client logs; bodies (codes, tokens, the secret) are never shown.
    config[oidc.customFetch] = async (url, options) => {
      const started = Date.now();
      log(`→ ${options.method} ${redactUrl(url)}`);
      const response = await fetch(url, options as RequestInit);
      log(`← ${response.status} ${options.method} ${redactUrl(url)} (${Date.now() - started} ms)`);
      return response;
    };
  }
  return { oidc, config };
}

/** Builds the authorize URL with PKCE (S256), a fresh state, the audience and prompt=consent. */
export async function prepareAuthorization(options: {
  authUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
}): Promise<PreparedAuthorization> {
  const { oidc, config } = await configuration({ ...options, clientSecret: '' });
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    audience: 'api.atlassian.com',
    scope: options.scopes.join(' '),
    redirect_uri: options.redirectUri,
    state,
    response_type: 'code',
    prompt: 'consent',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url, state, codeVerifier, redirectUri: options.redirectUri };
}

/**
 * Exchanges the code from the callback. `callbackQuery` is the query the browser brought back;
 * openid-client checks its state and error fields before anything is sent.
 */
export async function exchangeCode(
  client: OAuthClient,
  pending: Pick<PreparedAuthorization, 'state' | 'codeVerifier' | 'redirectUri'>,
  callbackQuery: URLSearchParams,
): Promise<TokenSet> {
  const { oidc, config } = await configuration(client);
  // The redirect_uri sent with the code must be the registered one, not the socket's 127.0.0.1.
  const currentUrl = new URL(pending.redirectUri);
  currentUrl.search = callbackQuery.toString();
  try {
    const response = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
    });
    return toTokenSet(response);
  } catch (error) {
    throw mapOAuthError(error, 'exchange', client.authUrl, pending.redirectUri);
  }
}

/** One refresh grant. Rotation means the caller must store the new refresh token at once. */
export async function refreshGrant(client: OAuthClient, refreshToken: string): Promise<TokenSet> {
  const { oidc, config } = await configuration(client);
  try {
    return toTokenSet(await oidc.refreshTokenGrant(config, refreshToken));
  } catch (error) {
    throw mapOAuthError(error, 'refresh', client.authUrl);
  }
}

/** Best-effort revocation (not confirmed to exist for 3LO apps): true when the server accepted it. */
export async function revokeToken(client: OAuthClient, token: string): Promise<boolean> {
  const { oidc, config } = await configuration(client);
  try {
    await oidc.tokenRevocation(config, token);
    return true;
  } catch {
    return false;
  }
}

function toTokenSet(response: { access_token: string; refresh_token?: string; expires_in?: number; scope?: string }): TokenSet {
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    // Atlassian says 3600. Anything past a day is not believed (a huge value once crashed `auth status`):
    // refreshing early costs one request, trusting a wrong expiry costs failed calls.
    expiresInSeconds: typeof response.expires_in === 'number' && response.expires_in > 0 ? Math.min(response.expires_in, MAX_EXPIRES_IN_S) : 3600,
    scopes: (response.scope ?? '').split(' ').filter(Boolean),
  };
}

interface OAuthLikeError {
  name?: string;
  code?: string;
  error?: string;
  error_description?: string;
  status?: number;
  cause?: unknown;
  message?: string;
}

/** Turns openid-client's errors into AppErrors that name the fix. Never includes a token. */
export function mapOAuthError(error: unknown, phase: 'exchange' | 'refresh', authUrl: string, redirectUri?: string): AppError {
  if (error instanceof AppError) return error;
  const raw = (error ?? {}) as OAuthLikeError;
  // Atlassian's descriptions end with a full stop of their own; ours follows the parenthesis.
  // Both come from the token endpoint and end up on a terminal.
  const e: OAuthLikeError = { name: raw.name, code: raw.code, status: raw.status, cause: raw.cause, message: raw.message, ...(typeof raw.error === 'string' ? { error: printable(raw.error) } : {}) };
  const description = typeof raw.error_description === 'string' && raw.error_description ? ` (${printable(raw.error_description).trim().replace(/\.+$/, '')})` : '';
  if (e.name === 'AuthorizationResponseError' || (e.error && e.status === undefined)) {
    if (e.error === 'access_denied') {
      return new AppError('CONSENT_DENIED', 'The sign-in was not approved in the browser.', {
        hint: 'Run `confluence-adf auth login` again and choose Accept on the Atlassian consent page.',
        cause: error,
      });
    }
    return new AppError('AUTHORIZE_FAILED', `Atlassian refused the authorization: ${e.error}${description}.`, { hint: LOGIN_HINT, cause: error });
  }
  if (e.code === 'OAUTH_INVALID_RESPONSE' && /state/i.test(e.message ?? '')) {
    return new AppError('STATE_MISMATCH', 'The answer from the browser does not belong to this sign-in (state mismatch).', {
      hint: 'Start again with `confluence-adf auth login` and finish it in the same browser window.',
      cause: error,
    });
  }
  if (e.name === 'ResponseBodyError' || e.error) {
    const status = e.status ?? 0;
    if (status === 401 && e.error === 'access_denied') {
      return new AppError(
        phase === 'exchange' ? 'INVALID_CLIENT' : 'SESSION_EXPIRED',
        phase === 'exchange'
          ? 'Atlassian rejected the client ID or client secret (401 at the token endpoint).'
          : 'Atlassian rejected the client credentials while refreshing; the session has ended.',
        {
          hint:
            'Copy the Client ID and Secret again from developer.atlassian.com → your app → Settings, then run `confluence-adf auth login`.',
          cause: error,
        },
      );
    }
    if (phase === 'refresh' && (e.error === 'invalid_grant' || e.error === 'unauthorized_client')) {
      return new AppError(
        'SESSION_EXPIRED',
        `Your Confluence session has ended: Atlassian no longer accepts its refresh token${description}. This happens after 90 days unused, a year after sign-in, a password change, or when access was removed under Connected apps.`,
        { hint: LOGIN_HINT, cause: error },
      );
    }
    if (phase === 'exchange' && e.error === 'invalid_grant') {
      // Atlassian promises no wording that tells a redirect_uri mismatch from a stale code, so the hint
      // names both; a description that does say redirect only sharpens the code.
      const redirect = /redirect/i.test(e.error_description ?? '');
      const uri = redirectUri ?? 'http://localhost:PORT/oauth/callback';
      return new AppError(redirect ? 'REDIRECT_URI_MISMATCH' : 'AUTHORIZE_FAILED', `Atlassian refused the sign-in code${description}.`, {
        hint: `Check that your app's callback URL (Developer Console → your app → Authorization) is exactly ${uri}, character for character; otherwise the code expired or was used already. Then run \`confluence-adf auth login\` again.`,
        details: { redirectUri: uri },
        cause: error,
      });
    }
    if (status >= 500) return unreachable(authUrl, `answered ${status}`, error);
    return new AppError('AUTHORIZE_FAILED', `Atlassian's token endpoint answered ${status} ${e.error ?? ''}${description}.`, { hint: LOGIN_HINT, cause: error });
  }
  const response = e.cause as { status?: number } | undefined;
  if (typeof response?.status === 'number') {
    if (response.status >= 500) return unreachable(authUrl, `answered ${response.status}`, error);
    return new AppError('BAD_RESPONSE', `Atlassian's token endpoint gave an answer that is not OAuth (${response.status}).`, { cause: error });
  }
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.name === 'TypeError' || e.code === 'OAUTH_RESPONSE_IS_NOT_JSON' || e.code === 'OAUTH_PARSE_ERROR') {
    return unreachable(authUrl, e.name === 'TimeoutError' ? 'did not answer in time' : 'could not be reached', error);
  }
  return new AppError('INTERNAL', `Sign-in failed unexpectedly: ${printable(e.message ?? String(error))}`, { cause: error });
}

function unreachable(authUrl: string, what: string, cause: unknown): AppError {
  return new AppError('NETWORK', `Atlassian could not be reached (${authUrl} ${what}). Your saved tokens were kept.`, {
    hint: 'Check your network connection and try again.',
    cause,
  });
}
