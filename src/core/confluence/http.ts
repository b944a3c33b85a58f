import type { Got, HTTPError, RequestError, Response } from 'got';
import { AppError, LOGIN_HINT } from '../errors.js';
import { oneLine, printable } from '../text.js';
import type { RateLimiter } from './rate-limit.js';
import { pauseFor429, quotaError, rateLimitFacts, type QuotaPause, type QuotaState } from './quota.js';

export { parseRetryAfter } from './quota.js';

export interface RetryPolicy {
  /** Retries after the first attempt (Atlassian suggests about 4). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The most a request may spend waiting between attempts, in total. */
  maxTotalWaitMs: number;
}

const NETWORK_RETRIES = 2;

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 2000, maxDelayMs: 30_000, maxTotalWaitMs: 120_000 };

export interface ApiClientDeps {
  apiUrl: string;
  /** The session: a valid token, or a new one when `rejected` names the token the API refused. */
  accessToken: (options?: { rejected?: string }) => Promise<string>;
  limiter: RateLimiter;
  /** The profile's quota pause, shared with every other process on disk. */
  quota: QuotaState;
  /** What to do when a quota pause holds a request: fail at once (the default), or wait for the reset. */
  quotaPolicy?: () => QuotaPolicy | undefined;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  retry?: RetryPolicy;
  now?: () => number;
  random?: () => number;
  /** Receives one redacted line per request and response (for --verbose). */
  log?: (line: string) => void;
}

/** How a caller meets a quota pause. `onWait` hears about the wait when it starts and every few seconds. */
export interface QuotaPolicy {
  wait: boolean;
  onWait?: (wait: { until: number; reason?: string; quota: boolean }) => void;
  /** The pause ended and the request goes out. */
  onResume?: () => void;
  /** Ends the wait at once (an MCP client cancelled the call): the request is never sent. */
  signal?: AbortSignal;
}

/** How often a waiting request re-reads the pause (another process may extend it) and reports progress. */
const QUOTA_WAIT_TICK_MS = 5000;

export interface ApiResponse<T> {
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export interface ApiClient {
  getJson<T>(path: string, options?: { searchParams?: URLSearchParams; requiredScope?: string }): Promise<ApiResponse<T>>;
  /** A JSON write. Only a 429 (and, for PUT, a reset kept-alive socket) is retried: anything else may have been applied already. */
  sendJson<T>(method: 'POST' | 'PUT', path: string, body: unknown, options?: { requiredScope?: string }): Promise<ApiResponse<T>>;
}

/**
 * How long to wait before retry `attempt` (1-based): Retry-After (or the structured RateLimit `t=`) as a
 * minimum, else X-RateLimit-Reset, else exponential backoff from baseDelay with ×0.7–1.3 jitter, capped.
 * Exported for unit tests.
 */
export function retryDelayMs(
  attempt: number,
  headers: Record<string, string | string[] | undefined>,
  policy: RetryPolicy,
  now: number,
  random: () => number,
): number {
  const jitter = 0.7 + random() * 0.6;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * jitter;
  const { waitMs } = rateLimitFacts(headers, now);
  if (waitMs !== undefined) return waitMs + Math.round(random() * 250);
  return Math.round(backoff);
}

type RequestContext = { startedAt?: number; refreshed?: boolean; quotaPause?: QuotaPause };

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'The wait for the quota reset was cancelled; nothing was sent.');
}

/** The promise, or an early end when the signal fires. */
function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void promise.then(done, done);
  });
}

/** One got instance for every API call: limiter, bearer token, timeouts, retries and error mapping. */
export async function createApiClient(deps: ApiClientDeps): Promise<ApiClient> {
  const { default: got } = await import('got');
  const policy = deps.retry ?? DEFAULT_RETRY;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const waited = new WeakMap<object, number>();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** Holds a request while the profile's quota pause lasts: fails at once, or waits when the caller chose to. */
  const holdForQuota = async () => {
    for (let held = false; ; held = true) {
      const pause = await deps.quota.activePause();
      if (!pause) {
        if (held) deps.quotaPolicy?.()?.onResume?.();
        return;
      }
      const policy = deps.quotaPolicy?.();
      if (!policy?.wait) throw quotaError(pause, now());
      throwIfCancelled(policy.signal);
      policy.onWait?.({ until: pause.until, quota: pause.quota, ...(pause.reason ? { reason: pause.reason } : {}) });
      await abortable(sleep(Math.max(0, Math.min(pause.until - now(), QUOTA_WAIT_TICK_MS))), policy.signal);
      throwIfCancelled(policy.signal);
    }
  };

  // The bearer token goes to the configured API origin and nowhere else, whatever a redirect says.
  const apiOrigin = new URL(deps.apiUrl).origin;
  const refuseForeignOrigin = (url: unknown) => {
    const origin = new URL(String(url)).origin;
    if (origin !== apiOrigin) {
      throw new AppError('BAD_RESPONSE', `The API redirected to ${origin}; the access token goes only to ${apiOrigin}, so the request was stopped.`, {
        hint: 'Check CONFLUENCE_ADF_API_URL (unset it for Atlassian) and any proxy in between.',
      });
    }
  };

  const instance: Got = got.extend({
    prefixUrl: deps.apiUrl,
    timeout: { request: deps.timeoutMs ?? 30_000 },
    responseType: 'json',
    throwHttpErrors: true,
    retry: {
      limit: policy.retries,
      methods: ['GET'],
      statusCodes: [429, 503],
      // got would cancel on a Retry-After longer than this; our own cap on total wait decides instead.
      maxRetryAfter: policy.maxTotalWaitMs,
      calculateDelay: ({ attemptCount, error, computedValue }) => {
        if (error.response?.statusCode === 429) deps.limiter.drain();
        if (computedValue === 0) return 0;
        // A quota pause is not retried: every request of the profile waits for the reset instead.
        if ((error.options.context as RequestContext).quotaPause) return 0;
        // No answer at all (refused, reset, timed out): two quick retries, not Atlassian's long schedule,
        // so a machine that is offline hears so in seconds.
        if (!error.response && attemptCount > NETWORK_RETRIES) return 0;
        const headers = error.response?.headers ?? {};
        const delay = error.response
          ? retryDelayMs(attemptCount, headers, policy, now(), random)
          : Math.round((policy.baseDelayMs / 4) * 2 ** (attemptCount - 1) * (0.7 + random() * 0.6));
        const total = (waited.get(error.options) ?? 0) + delay;
        if (total > policy.maxTotalWaitMs) return 0;
        waited.set(error.options, total);
        deps.log?.(`… ${error.response?.statusCode ?? error.code} — retry ${attemptCount} of ${policy.retries} in ${(delay / 1000).toFixed(1)} s`);
        // For got a delay of 0 means "do not retry": a `Retry-After: 0` (with no jitter drawn) must still retry.
        return Math.max(1, delay);
      },
    },
    hooks: {
      beforeRequest: [
        async (options) => {
          refuseForeignOrigin(options.url);
          await deps.limiter.take();
          await holdForQuota();
          const token = await deps.accessToken();
          options.headers.authorization = `Bearer ${token}`;
          (options.context as { startedAt?: number }).startedAt = Date.now();
          deps.log?.(`→ ${options.method} ${redactUrl(String(options.url))}`);
        },
      ],
      beforeRedirect: [(options) => refuseForeignOrigin(options.url)],
      afterResponse: [
        async (response, retryWithMergedOptions) => {
          const context = response.request.options.context as RequestContext;
          deps.limiter.firstAnswered();
          deps.log?.(`← ${response.statusCode} ${response.request.options.method} ${redactUrl(response.url)} (${Date.now() - (context.startedAt ?? Date.now())} ms)`);
          const facts = rateLimitFacts(response.headers, now());
          await deps.quota.recordSeen(facts).catch(() => undefined);
          if (response.statusCode === 429) {
            const pause = pauseFor429(facts, now(), policy.maxTotalWaitMs);
            if (pause) {
              context.quotaPause = pause;
              await deps.quota.recordPause(pause);
              deps.log?.(`… 429 is a quota pause until ${new Date(pause.until).toISOString()}: every request of this profile waits for it`);
            }
          }
          if (response.statusCode === 401 && !isScopeFailure(response) && !context.refreshed) {
            // Refresh once and try once more; the session shares the refresh with every other caller.
            const sent = String(response.request.options.headers.authorization ?? '').replace(/^Bearer /, '');
            const token = await deps.accessToken({ rejected: sent });
            return retryWithMergedOptions({ headers: { authorization: `Bearer ${token}` }, context: { ...context, refreshed: true } });
          }
          return response;
        },
      ],
    },
  });

  /** Every call goes through here: errors mapped once, and a quota pause waited out when the caller chose to. */
  const send = async <T>(call: () => Promise<Response<unknown>>, requiredScope: string | undefined): Promise<ApiResponse<T>> => {
    for (;;) {
      try {
        const response = await call();
        return { body: response.body as T, headers: response.headers };
      } catch (error) {
        const mapped = mapApiError(error, requiredScope, now());
        // The next attempt's beforeRequest hook holds it until the reset.
        if (mapped.code === 'QUOTA_EXCEEDED' && deps.quotaPolicy?.()?.wait) continue;
        throw mapped;
      }
    }
  };

  return {
    getJson<T>(path: string, options: { searchParams?: URLSearchParams; requiredScope?: string } = {}) {
      return send<T>(() => instance.get(path.replace(/^\//, ''), options.searchParams ? { searchParams: options.searchParams } : {}), options.requiredScope);
    },
    sendJson<T>(method: 'POST' | 'PUT', path: string, body: unknown, options: { requiredScope?: string } = {}) {
      return send<T>(
        () =>
          instance(path.replace(/^\//, ''), {
            method,
            json: body,
            // A 429 was not applied. A kept-alive socket the server closed while we were busy (ECONNRESET
            // before any answer) is retried for PUT only: its version number makes a repeat harmless (a
            // second copy is refused with 409), while a repeated POST could create the page twice.
            retry: { methods: ['POST', 'PUT'], statusCodes: [429], errorCodes: method === 'PUT' ? ['ECONNRESET', 'EPIPE'] : [] },
          }) as Promise<Response<unknown>>,
        options.requiredScope,
      );
    },
  };
}

/**
 * The gateway's scope check: X-Failure-Category when it is sent, else the body's "scope does not match"
 * (the header is not always there). A scope failure is never answered with a refresh.
 */
function isScopeFailure(response: Response): boolean {
  if (String(response.headers['x-failure-category'] ?? '').includes('SCOPE')) return true;
  const body = response.body;
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? '');
  return /scope does not match/i.test(text);
}

/** Query strings hold no secrets here, but a stray token= or code= would be; strip those values. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:access_token|token|code|refresh_token|client_secret)=)[^&]*/gi, '$1[redacted]');
}

/** Atlassian's own words about a failure, without control characters: they end up on a terminal. */
function v2Detail(body: unknown): string | undefined {
  const detail = rawDetail(body);
  return detail === undefined ? undefined : oneLine(detail);
}

function rawDetail(body: unknown): string | undefined {
  const errors = (body as { errors?: { title?: string; detail?: string | null; code?: string }[] } | null)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  // v1 endpoints (CQL search) answer { statusCode, message } instead of v2's errors array.
  const v1 = (body as { message?: unknown } | null)?.message;
  if (!first) return typeof v1 === 'string' && v1 ? v1.replace(/^[\w.]+Exception: /, '') : undefined;
  return [first.title, first.detail].filter(Boolean).join(': ') || first.code;
}

/** Maps got's errors to AppErrors a person can act on. */
export function mapApiError(error: unknown, requiredScope?: string, now: number = Date.now()): AppError {
  if (error instanceof AppError) return error;
  // got wraps what a hook throws (the session's own AppErrors) in a RequestError.
  const inner = (error as { cause?: unknown }).cause;
  if (inner instanceof AppError) return inner;
  const e = error as RequestError;
  const response = (e as HTTPError).response as Response | undefined;
  if (e.name === 'HTTPError' && response) {
    const status = response.statusCode;
    const detail = v2Detail(response.body);
    if (status === 401 && isScopeFailure(response)) {
      const scope = requiredScope ?? 'the scope this command needs';
      return new AppError('MISSING_SCOPE', `Missing scope ${scope}: Atlassian refused the request ("scope does not match").`, {
        hint: `Add ${scope} to your app in the Developer Console (Permissions → Confluence API), then run \`confluence-adf auth login\` again.`,
        details: { scope },
      });
    }
    if (status === 401) {
      return new AppError('SESSION_EXPIRED', 'Atlassian rejected the access token even after a refresh.', { hint: LOGIN_HINT });
    }
    if (status === 403) {
      return new AppError('NOT_FOUND', `Access denied${detail ? ` (${detail})` : ''}: your account lacks permission for this.`, {
        hint: 'Ask a Confluence admin for access, or check the --site you chose.',
      });
    }
    if (status === 404) {
      return new AppError('NOT_FOUND', `Not found${detail ? ` (${detail})` : ''}. Confluence answers 404 both when something does not exist and when you lack permission to see it.`, {
        hint: 'Check the site and the identifiers, and that your account can see them in the browser.',
      });
    }
    const pause = (response.request?.options.context as RequestContext | undefined)?.quotaPause;
    if (status === 429 && pause) return quotaError(pause, now);
    if (status === 429) {
      return new AppError('RATE_LIMITED', 'Atlassian is rate-limiting this app and the retries ran out.', {
        hint: 'Wait a few minutes and run the command again; fewer --all runs at once help.',
      });
    }
    if (status >= 500) {
      return new AppError('SERVER_ERROR', `Atlassian answered ${status}${detail ? ` (${detail})` : ''} after retries.`, {
        hint: 'Atlassian may be having trouble (status.atlassian.com); try again shortly.',
      });
    }
    // The status and Atlassian's own words let a caller tell a version conflict or a taken title apart.
    return new AppError('BAD_RESPONSE', `Atlassian answered ${status}${detail ? `: ${detail}` : ''}.`, { details: { status, ...(detail ? { detail } : {}) } });
  }
  if (e.name === 'ParseError') {
    return new AppError('BAD_RESPONSE', 'Atlassian sent an answer that is not the JSON expected (cut off or malformed).', {
      hint: 'Try again; if it persists, run with --verbose and report it.',
    });
  }
  if (e.name === 'TimeoutError') {
    return new AppError('NETWORK', 'Atlassian did not answer in time, even after retries.', { hint: 'Check your network connection and try again.' });
  }
  if (e.name === 'RequestError' || e.name === 'ReadError' || typeof e.code === 'string') {
    return new AppError('NETWORK', `Atlassian could not be reached (${e.code ?? e.message}). Your saved tokens were kept.`, {
      hint: 'Check your network connection and try again.',
    });
  }
  return new AppError('INTERNAL', `Request failed unexpectedly: ${(error as Error).message}`, { cause: error });
}
