import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { retryDelayMs, parseRetryAfter, DEFAULT_RETRY } from '../../src/core/confluence/http.js';
import { RateLimiter } from '../../src/core/confluence/rate-limit.js';
import { AtlassianEmulator, DEFAULT_APP, DEFAULT_SITES } from '../emulator/server.js';
import { coreFor, seedLogin } from '../support/core.js';
import { tempHome } from '../support/cli.js';
import { AppError } from '../../src/core/errors.js';

describe('retry delays', () => {
  const now = Date.UTC(2026, 10, 22, 12);
  const mid = () => 0.5;
  test('Retry-After in seconds or as an HTTP date is a minimum', () => {
    assert.ok(retryDelayMs(1, { 'retry-after': '7' }, DEFAULT_RETRY, now, mid) >= 7000);
    assert.ok(retryDelayMs(1, { 'retry-after': new Date(now + 12_000).toUTCString() }, DEFAULT_RETRY, now, mid) >= 12_000);
    assert.equal(parseRetryAfter('nonsense', now), undefined);
  });
  test('without Retry-After, X-RateLimit-Reset decides', () => {
    const d = retryDelayMs(1, { 'x-ratelimit-reset': new Date(now + 20_000).toISOString() }, DEFAULT_RETRY, now, mid);
    assert.ok(d >= 20_000 && d < 21_000);
  });
  test('otherwise exponential from 2 s, doubling, jitter 0.7–1.3, capped at 30 s', () => {
    assert.equal(retryDelayMs(1, {}, DEFAULT_RETRY, now, () => 0), 1400);
    assert.equal(retryDelayMs(1, {}, DEFAULT_RETRY, now, () => 1), 2600);
    assert.equal(retryDelayMs(3, {}, DEFAULT_RETRY, now, mid), 8000);
    assert.equal(retryDelayMs(9, {}, DEFAULT_RETRY, now, () => 1), 39_000);
    assert.ok(retryDelayMs(9, {}, DEFAULT_RETRY, now, mid) <= 30_000);
  });
});

describe('rate limiter', () => {
  test('bursts to the bucket size, then holds the steady rate; a quota pause holds everyone', async () => {
    let t = 0;
    const limiter = new RateLimiter({ perSecond: 10, burst: 100, now: () => t, sleep: async (ms) => void (t += ms) });
    for (let i = 0; i < 100; i++) await limiter.take();
    assert.equal(t, 0, 'the burst costs no wait');
    for (let i = 0; i < 50; i++) await limiter.take();
    assert.ok(t >= 5000 && t <= 5100, `50 more at 10/s take ~5 s, took ${t}`);
    limiter.pauseUntil(t + 60_000);
    const start = t;
    await limiter.take();
    assert.ok(t - start >= 60_000);
  });
});

describe('API client against the emulator', () => {
  const emu = new AtlassianEmulator();
  const fast = { retries: 4, baseDelayMs: 20, maxDelayMs: 200, maxTotalWaitMs: 5000 };
  let home: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    await emu.start();
    ({ home, cleanup } = await tempHome());
    await seedLogin(coreFor(home, emu), emu, Date.now());
  });
  after(async () => {
    await emu.stop();
    await cleanup();
  });
  const site = { cloudId: '11111111-aaaa-4bbb-8ccc-000000000001', name: 'acme', url: 'https://acme.atlassian.net' };
  const core = () => coreFor(home, emu, { retry: fast, timeoutMs: 500 });

  for (const fault of [
    { kind: '429', retryAfter: '1' },
    { kind: '429', rateLimitReset: new Date(Date.now() + 300).toISOString() },
    { kind: '429' },
    { kind: '503', retryAfter: '0' },
    { kind: 'drop' },
    { kind: 'slow', delayMs: 1500 },
  ] as const) {
    test(`${JSON.stringify(fault)} ends in success after a retry`, async () => {
      emu.inject({ ...fault, path: '/ex/confluence' });
      const page = await core().spacesPage(site, { limit: 5 });
      assert.equal(page.results.length, 5);
    });
  }

  test('a malformed body is a clear BAD_RESPONSE, not a crash', async () => {
    emu.inject({ kind: 'malformed', path: '/ex/confluence' });
    await assert.rejects(core().spacesPage(site, {}), (e: AppError) => e.code === 'BAD_RESPONSE');
  });

  test('a 503 that never ends gives up after the retries with SERVER_ERROR', async () => {
    emu.inject({ kind: '503', path: '/ex/confluence', times: 10 });
    const before = emu.requestsTo('api', '/ex/confluence').length;
    await assert.rejects(core().spacesPage(site, {}), (e: AppError) => e.code === 'SERVER_ERROR');
    assert.equal(emu.requestsTo('api', '/ex/confluence').length - before, 5, 'one attempt and four retries');
    emu.clearFaults();
  });

  test('the gateway scope failure names the missing scope and the fix, without refreshing', async () => {
    const { home: h2, cleanup: c2 } = await tempHome();
    try {
      const narrow = coreFor(h2, emu);
      const login = await seedLogin(narrow, emu, Date.now());
      const grant = emu.issueGrant(DEFAULT_APP.clientId, ['read:me', 'offline_access']);
      await narrow.store.write({ ...login, secrets: { ...login.secrets, ...grant } });
      const refreshes = emu.stats.refreshes;
      await assert.rejects(narrow.spacesPage(site, {}), (e: AppError) => e.code === 'MISSING_SCOPE' && e.message.includes('read:space:confluence') && /Developer Console/.test(e.hint!));
      assert.equal(emu.stats.refreshes, refreshes);
    } finally {
      await c2();
    }
  });

  test('a 404 says not found or no permission', async () => {
    await assert.rejects(core().spacesPage({ ...site, cloudId: 'unknown' }, {}), (e: AppError) => e.code === 'NOT_FOUND' && /permission/.test(e.message));
  });

  test('a 401 on a token the client thought valid refreshes once and retries once', async () => {
    const c = core();
    const stored = (await c.store.read())!;
    emu.expireAccessToken(stored.secrets.accessToken!);
    const before = emu.stats.refreshes;
    const page = await c.spacesPage(site, { limit: 3 });
    assert.equal(page.results.length, 3);
    assert.equal(emu.stats.refreshes, before + 1);
  });

  test('a grant revoked at Atlassian ends in SESSION_EXPIRED, not a loop', async () => {
    const { home: h3, cleanup: c3 } = await tempHome();
    try {
      const c = coreFor(h3, emu, { retry: fast });
      await seedLogin(c, emu, Date.now());
      const stored = (await c.store.read())!;
      const before = emu.requestsTo('api', '/ex/confluence').length;
      emu.expireAccessToken(stored.secrets.accessToken!);
      // Revoke only this grant, as removing the app under Connected apps would.
      await fetch(`${emu.authUrl}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: stored.secrets.refreshToken!, client_id: DEFAULT_APP.clientId, client_secret: DEFAULT_APP.clientSecret }).toString() });
      await assert.rejects(c.spacesPage(site, {}), (e: AppError) => e.code === 'SESSION_EXPIRED');
      assert.ok(emu.requestsTo('api', '/ex/confluence').length - before <= 1);
    } finally {
      await c3();
    }
  });
});

describe('the default limiter against a stricter enforced limit', () => {
  test('one 429 puts it in step with the API: no refusal after that, however large its own burst', async () => {
    // Atlassian's burst limits are unpublished: the default (10/s, burst 100) may meet less room.
    const emu = await new AtlassianEmulator({ sites: [{ ...DEFAULT_SITES[0]!, spaceCount: 45 }], rateLimit: { perSecond: 10, burst: 20 } }).start();
    const { home, cleanup } = await tempHome();
    try {
      await seedLogin(coreFor(home, emu), emu, Date.now());
      const core = coreFor(home, emu);
      let count = 0;
      for await (const page of core.allSpaces({ cloudId: DEFAULT_SITES[0]!.id, name: 'acme', url: DEFAULT_SITES[0]!.url }, { limit: 1 })) count += page.results.length;
      assert.equal(count, 45);
      // Without counting from empty after the first 429, every refill is spent at once and refused again.
      assert.equal(emu.stats.rateLimited, 1, `429s seen: ${emu.stats.rateLimited}`);
    } finally {
      await emu.stop();
      await cleanup();
    }
  });
});
