/**
 * A token bucket with a FIFO queue: `perSecond` steady, bursts up to `burst`. Hand-written because
 * the maintained queue libraries (p-queue, p-throttle) count fixed windows, which either forbids
 * Atlassian's allowed bursts or lets a window edge double the rate.
 */
export interface RateLimiterOptions {
  perSecond: number;
  burst: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  /** When the first request took its token, until its answer has settled the clock. */
  private firstTakeAt: number | undefined;
  private settled = false;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.tokens = options.burst;
    this.last = this.now();
  }

  /** Resolves when this caller may send one request; callers are served in arrival order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * The API refused a request for want of room (a 429): its bucket is empty now, whatever ours said.
   * Counting from empty keeps the requests that follow in step with the API's refill, instead of
   * spending the rest of our larger burst on more refusals.
   */
  drain(): void {
    this.tokens = 0;
    this.last = this.now();
  }

  /**
   * The first answer came back (now). The API began counting at our first request's arrival, which may
   * have been well after we took its token (connecting, TLS, a token read), so its refill runs behind
   * ours by up to that round trip; counting it off once keeps the request after a full burst from
   * arriving before the API has a token for it.
   */
  firstAnswered(): void {
    if (this.settled || this.firstTakeAt === undefined) return;
    this.settled = true;
    const now = this.now();
    this.refill(now);
    this.tokens -= (Math.max(0, now - this.firstTakeAt) / 1000) * this.options.perSecond;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.perSecond);
    this.last = now;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        this.firstTakeAt ??= now;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.options.perSecond) * 1000));
    }
  }
}
