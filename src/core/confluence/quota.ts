// node:fs/promises is left until a rename needs it: loading it costs every start-up (see store/atomic.ts).
import fs from 'node:fs';
import { AppError } from '../errors.js';
import { readIfExists, writeFileAtomic } from '../store/atomic.js';

type Headers = Record<string, string | string[] | undefined>;

/** What one response's rate-limit headers say, read from every name Atlassian is known to use. */
export interface RateLimitFacts {
  /** How long Atlassian asks us to wait, when it says. */
  waitMs?: number;
  /** The quota window's reset (X-RateLimit-Reset), when sent. */
  resetAt?: number;
  reason?: string;
  /** The reason, or the structured RateLimit policy name, names a quota (hourly points) rather than a burst. */
  quotaReason: boolean;
  remaining?: number;
  limit?: number;
  nearLimit?: boolean;
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? date - now : undefined;
}

/** The `t=` (seconds to reset) and `r=` (remaining) of a structured `RateLimit`/`RateLimit-Policy` value. */
function structured(value: string | undefined): { name?: string; t?: number; r?: number } {
  if (!value) return {};
  const name = /^\s*"?([^";,]+)"?/.exec(value)?.[1];
  const param = (key: string) => {
    const match = new RegExp(`[;,]\\s*${key}=(\\d+(?:\\.\\d+)?)`).exec(value);
    return match ? Number(match[1]) : undefined;
  };
  const t = param('t');
  const r = param('r');
  return { ...(name ? { name } : {}), ...(t !== undefined ? { t } : {}), ...(r !== undefined ? { r } : {}) };
}

const number = (value: string | undefined) => (value !== undefined && Number.isFinite(Number(value)) ? Number(value) : undefined);

/** Any `*-quota-*` or `*-cost-based` reason is a quota: Atlassian has more of them than it lists. */
export function isQuotaReason(reason: string | undefined): boolean {
  return !!reason && /quota|cost-based/i.test(reason);
}

/**
 * Reads Retry-After, the structured RateLimit/RateLimit-Policy headers (`t=` seconds), the announced
 * Beta- variants, X-RateLimit-Reset (which may have minute precision) and the remaining-quota counters.
 */
export function rateLimitFacts(headers: Headers, now: number): RateLimitFacts {
  const current = structured(header(headers, 'ratelimit'));
  const policy = structured(header(headers, 'ratelimit-policy'));
  const retryAfter =
    parseRetryAfter(header(headers, 'retry-after'), now) ??
    (current.t !== undefined ? current.t * 1000 : undefined) ??
    (policy.t !== undefined ? policy.t * 1000 : undefined) ??
    parseRetryAfter(header(headers, 'beta-retry-after'), now);
  const resetRaw = header(headers, 'x-ratelimit-reset') ?? header(headers, 'x-beta-ratelimit-reset');
  const reset = resetRaw ? Date.parse(resetRaw) : NaN;
  // The reason reaches people's terminals: a token of letters, digits and dashes, nothing else.
  const reason = (
    header(headers, 'ratelimit-reason') ??
    header(headers, 'x-ratelimit-reason') ??
    header(headers, 'beta-ratelimit-reason') ??
    header(headers, 'x-beta-ratelimit-reason')
  )
    ?.replace(/[^\w.:-]+/g, '')
    .slice(0, 80);
  const near = header(headers, 'x-ratelimit-nearlimit') ?? header(headers, 'x-beta-ratelimit-nearlimit');
  const remaining = number(header(headers, 'x-ratelimit-remaining') ?? header(headers, 'x-beta-ratelimit-remaining')) ?? current.r;
  const limit = number(header(headers, 'x-ratelimit-limit') ?? header(headers, 'x-beta-ratelimit-limit'));
  return {
    ...(retryAfter !== undefined ? { waitMs: Math.max(0, retryAfter) } : Number.isFinite(reset) ? { waitMs: Math.max(0, reset - now) } : {}),
    ...(Number.isFinite(reset) ? { resetAt: reset } : {}),
    ...(reason ? { reason } : {}),
    quotaReason: isQuotaReason(reason) || (current.r === 0 && isQuotaReason(current.name)),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(near !== undefined ? { nearLimit: near.toLowerCase() === 'true' } : {}),
  };
}

/** A pause every process of a profile honours: no request leaves before `until`. */
export interface QuotaPause {
  until: number;
  reason?: string;
  /** Whether Atlassian called it a quota, or only asked for a wait too long to be a retry. */
  quota: boolean;
  recordedAt: number;
}

/** What the last response that carried quota counters said. */
export interface QuotaSeen {
  remaining?: number;
  limit?: number;
  nearLimit?: boolean;
  resetAt?: number;
  at: number;
}

/** The top of the next UTC hour: when an hourly quota with no stated reset starts over. */
export function nextUtcHour(now: number): number {
  return (Math.floor(now / 3_600_000) + 1) * 3_600_000;
}

/**
 * Decides whether a 429 is a pause rather than a retry: a quota reason, or a wait longer than the
 * client would spend retrying. Returns the pause to record, or undefined for an ordinary burst 429.
 */
export function pauseFor429(facts: RateLimitFacts, now: number, maxRetryWaitMs: number): QuotaPause | undefined {
  const long = facts.waitMs !== undefined && facts.waitMs > maxRetryWaitMs;
  if (!facts.quotaReason && !long) return undefined;
  // An hourly quota with no stated wait resets at the top of the hour; never pause for less than a second.
  let until = Math.max(now + 1000, facts.waitMs !== undefined ? now + facts.waitMs : (facts.resetAt ?? nextUtcHour(now)));
  // Retry-After counts whole seconds down to the reset: when X-RateLimit-Reset is just after, it is the reset.
  if (facts.resetAt !== undefined && facts.resetAt > until && facts.resetAt - until < 120_000) until = facts.resetAt;
  return { until, ...(facts.reason ? { reason: facts.reason } : {}), quota: facts.quotaReason, recordedAt: now };
}

/** "15:00", or "Tue 15:00" when the reset is not today; in the machine's time zone. */
export function localTime(at: number, now: number): string {
  const date = new Date(at);
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  // Weekday names by hand: toLocale*() would load ICU's locale data on this path.
  return new Date(now).toDateString() === date.toDateString() ? time : `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getDay()]} ${time}`;
}

/** "in 31 min", "in 45 s". */
export function inWords(ms: number): string {
  return ms >= 60_000 ? `in ${Math.ceil(ms / 60_000)} min` : `in ${Math.max(1, Math.ceil(ms / 1000))} s`;
}

/** The error for a request held (or refused) by a pause; `retryAt` tells programs when to come back. */
export function quotaError(pause: QuotaPause, now: number): AppError {
  const at = localTime(pause.until, now);
  const what = pause.quota
    ? `Atlassian's hourly request quota for this app is used up${pause.reason ? ` (${pause.reason})` : ''}`
    : `Atlassian asked this app to stop sending requests for a while${pause.reason ? ` (${pause.reason})` : ''}`;
  return new AppError('QUOTA_EXCEEDED', `${what}; it resets at ${at} (${inWords(pause.until - now)}). Nothing was sent: every confluence-adf command of this profile holds its requests until then.`, {
    hint: `Run the command again after ${at}, or add --wait to wait for the reset.`,
    details: { retryAt: new Date(pause.until).toISOString(), ...(pause.reason ? { reason: pause.reason } : {}) },
  });
}

/**
 * The profile's quota pause and last-seen counters, kept on disk so every process (CLI runs, MCP
 * servers) shares them. Hand-written: the rule is Atlassian's, not a generic rate limit's.
 */
export class QuotaState {
  private lastSeenWrite: { at: number; key: string } | undefined;
  private readonly corruptSeen = new Set<string>();

  constructor(
    private readonly files: { pause: string; seen: string },
    private readonly deps: { now: () => number; onNotice?: (message: string) => void },
  ) {}

  /** The pause in force now, if any. A file that is not ours to read is reported once and left as it is. */
  async activePause(): Promise<QuotaPause | undefined> {
    const pause = await this.readJson<QuotaPause>(this.files.pause);
    if (!pause || typeof pause.until !== 'number' || pause.until <= this.deps.now()) return undefined;
    return pause;
  }

  /**
   * Records a pause unless a later one is already recorded (another process may have seen a longer
   * wait). A damaged file is kept beside the new one as quota-pause.json.corrupt-<time>.
   */
  async recordPause(pause: QuotaPause): Promise<void> {
    const current = await this.activePause();
    if (current && current.until >= pause.until) return;
    if (this.corruptSeen.has(this.files.pause)) {
      const aside = `${this.files.pause}.corrupt-${new Date(this.deps.now()).toISOString().replace(/[:.]/g, '-')}`;
      await fs.promises.rename(this.files.pause, aside).catch(() => undefined);
      this.corruptSeen.delete(this.files.pause);
    }
    await writeFileAtomic(this.files.pause, JSON.stringify(pause) + '\n');
  }

  async lastSeen(): Promise<QuotaSeen | undefined> {
    return this.readJson<QuotaSeen>(this.files.seen);
  }

  /** Keeps what the response said about the remaining quota; at most one write every 2 s unless it changed. */
  async recordSeen(facts: RateLimitFacts): Promise<void> {
    if (facts.remaining === undefined && facts.nearLimit === undefined) return;
    const now = this.deps.now();
    const seen: QuotaSeen = {
      ...(facts.remaining !== undefined ? { remaining: facts.remaining } : {}),
      ...(facts.limit !== undefined ? { limit: facts.limit } : {}),
      ...(facts.nearLimit !== undefined ? { nearLimit: facts.nearLimit } : {}),
      ...(facts.resetAt !== undefined ? { resetAt: facts.resetAt } : {}),
      at: now,
    };
    const key = `${seen.nearLimit}/${seen.limit}/${seen.resetAt}`;
    if (this.lastSeenWrite && this.lastSeenWrite.key === key && now - this.lastSeenWrite.at < 2000) return;
    this.lastSeenWrite = { at: now, key };
    await writeFileAtomic(this.files.seen, JSON.stringify(seen) + '\n');
  }

  /** Read before every request: readIfExists reads synchronously, cheaper than a thread-pool round trip. */
  private async readJson<T>(file: string): Promise<T | undefined> {
    const raw = await readIfExists(file).catch(() => undefined);
    if (raw === undefined) return undefined;
    const text = raw.toString('utf8');
    try {
      const parsed = JSON.parse(text) as T;
      this.corruptSeen.delete(file);
      return parsed;
    } catch {
      if (!this.corruptSeen.has(file)) this.deps.onNotice?.(`${file} is damaged (not JSON): it is ignored and kept for inspection.`);
      this.corruptSeen.add(file);
      return undefined;
    }
  }
}
