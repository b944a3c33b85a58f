import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { retryDelayMs, parseRetryAfter, DEFAULT_RETRY } from '../../src/core/confluence/http.js';
import { RateLimiter } from '../../src/core/confluence/rate-limit.js';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { AtlassianEmulator, DEFAULT_APP, DEFAULT_SITES, quotaFault } from '../emulator/server.js';
import { coreFor, seedLogin } from '../support/core.js';
import { tempHome } from '../support/cli.js';
import { AppError } from '../../src/core/errors.js';
import { pauseFor429, rateLimitFacts } from '../../src/core/confluence/quota.js';
import { cursorFromNext } from '../../src/core/confluence/spaces.js';
import { exchangeCode } from '../../src/core/auth/oauth.js';

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

describe('rate-limit headers, as Atlassian sends them', () => {
  const now = Date.UTC(2025, 9, 8, 14, 29, 13);
  const maxRetryWait = DEFAULT_RETRY.maxTotalWaitMs;
  test("Atlassian's example is a quota pause until the reset, not a retry", () => {
    const facts = rateLimitFacts({ 'retry-after': '1847', 'x-ratelimit-reset': '2025-10-08T15:00:00Z', 'ratelimit-reason': 'confluence-quota-global-based' }, now);
    assert.equal(facts.quotaReason, true);
    assert.equal(pauseFor429(facts, now, maxRetryWait)?.until, now + 1847_000);
    const roundedDown = rateLimitFacts({ 'retry-after': '1845', 'x-ratelimit-reset': '2025-10-08T15:00:00Z', 'ratelimit-reason': 'confluence-quota-global-based' }, now + 1500);
    assert.equal(pauseFor429(roundedDown, now + 1500, maxRetryWait)?.until, Date.UTC(2025, 9, 8, 15), 'the reset, not a second before it');
  });
  test('without Retry-After: the structured RateLimit t=, then RateLimit-Policy t=, then Beta-Retry-After, then the reset', () => {
    assert.equal(rateLimitFacts({ ratelimit: '"global-app-quota";r=0;t=50' }, now).waitMs, 50_000);
    assert.equal(rateLimitFacts({ ratelimit: '"global-app-quota";r=0;t=50' }, now).quotaReason, true, 'a spent quota policy is a quota');
    assert.equal(rateLimitFacts({ 'ratelimit-policy': '"global-app-quota";q=65000;w=3600;t=120' }, now).waitMs, 120_000);
    assert.equal(rateLimitFacts({ 'beta-retry-after': '30' }, now).waitMs, 30_000);
    assert.equal(rateLimitFacts({ 'x-ratelimit-reset': '2025-10-08T14:31Z' }, now).waitMs, Date.UTC(2025, 9, 8, 14, 31) - now, 'minute precision');
    assert.equal(rateLimitFacts({}, now).waitMs, undefined);
  });
  test('the beta names give the counters; unknown *-quota-* and *-cost-based reasons are quotas; a burst 429 is not', () => {
    const beta = rateLimitFacts({ 'x-beta-ratelimit-remaining': '1200', 'x-beta-ratelimit-limit': '65000', 'x-beta-ratelimit-nearlimit': 'true', 'beta-ratelimit-reason': 'confluence-quota-tenant-based' }, now);
    assert.deepEqual([beta.remaining, beta.limit, beta.nearLimit, beta.quotaReason], [1200, 65000, true, true]);
    assert.equal(rateLimitFacts({ 'ratelimit-reason': 'jira-cost-based' }, now).quotaReason, true);
    assert.equal(rateLimitFacts({ 'ratelimit-reason': 'confluence-quota-new-kind' }, now).quotaReason, true);
    const burst = rateLimitFacts({ 'retry-after': '3' }, now);
    assert.equal(pauseFor429(burst, now, maxRetryWait), undefined, 'a short wait without a reason is retried');
    assert.equal(pauseFor429({ quotaReason: false }, now, maxRetryWait), undefined, 'no Retry-After, no reason: backoff');
  });
  test('a quota with no stated wait pauses until the top of the UTC hour; the reason loses control characters', () => {
    const facts = rateLimitFacts({ 'ratelimit-reason': 'confluence-quota-global-based\u001b[31m\r\n' }, now);
    assert.equal(facts.reason, 'confluence-quota-global-based31m');
    assert.equal(pauseFor429(facts, now, maxRetryWait)?.until, Date.UTC(2025, 9, 8, 15));
  });
  test('a next link with a raw + / = cursor keeps it whole; a percent-encoded one is decoded', () => {
    assert.equal(cursorFromNext('/wiki/api/v2/spaces?limit=5&cursor=++++////AAAA=='), '++++////AAAA==');
    assert.equal(cursorFromNext('/wiki/api/v2/spaces?cursor=%2B%2F%3D&limit=5'), '+/=');
    assert.equal(cursorFromNext('/wiki/api/v2/spaces?limit=5'), undefined);
  });
});

describe('rate limiter', () => {
  test('after a full burst, the refill is counted from the first answer, not the first send', async () => {
    // The API starts its clock when our first request reaches it: a slow first request (connecting,
    // TLS) would otherwise let the request after the burst arrive before the API has a token for it.
    let t = 0;
    const limiter = new RateLimiter({ perSecond: 10, burst: 3, now: () => t, sleep: async (ms) => void (t += ms) });
    await limiter.take();
    t = 80; // the first answer arrives 80 ms after the first send
    limiter.firstAnswered();
    await limiter.take();
    await limiter.take();
    assert.ok(t <= 81, `the rest of the burst goes at once (${t} ms)`);
    await limiter.take();
    assert.ok(t >= 180, `the fourth request waits for a token counted from the first answer (sent at ${t} ms, not 100)`);
    limiter.firstAnswered(); // only the first answer counts
    await limiter.take();
    assert.ok(t >= 280 && t <= 290, `then the steady rate (${t} ms)`);
  });


  test('bursts to the bucket size, then holds the steady rate', async () => {
    let t = 0;
    const limiter = new RateLimiter({ perSecond: 10, burst: 100, now: () => t, sleep: async (ms) => void (t += ms) });
    for (let i = 0; i < 100; i++) await limiter.take();
    assert.equal(t, 0, 'the burst costs no wait');
    for (let i = 0; i < 50; i++) await limiter.take();
    assert.ok(t >= 5000 && t <= 5100, `50 more at 10/s take ~5 s, took ${t}`);
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

  test('a 503 with `Retry-After: 0` is retried even when no jitter is drawn', async () => {
    // got reads a delay of 0 as "give up"; with Math.random() near 0 (one run in ~500) it once did.
    emu.inject({ kind: '503', retryAfter: '0', path: '/ex/confluence' });
    const page = await coreFor(home, emu, { retry: fast, timeoutMs: 500, random: () => 0 }).spacesPage(site, { limit: 5 });
    assert.equal(page.results.length, 5);
  });

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

  test('a refused sign-in code: the hint names the exact callback URL whatever Atlassian says about it', async () => {
    const exchangeEmu = new AtlassianEmulator({ autoConsent: true });
    await exchangeEmu.start();
    try {
      const url = new URL('/authorize', exchangeEmu.authUrl);
      const params = { audience: 'api.atlassian.com', client_id: DEFAULT_APP.clientId, scope: 'read:me offline_access', redirect_uri: DEFAULT_APP.callbackUrl, state: 's1', response_type: 'code', prompt: 'consent' };
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const code = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
      const other = 'http://localhost:9911/oauth/callback';
      await assert.rejects(
        exchangeCode({ authUrl: exchangeEmu.authUrl, clientId: DEFAULT_APP.clientId, clientSecret: DEFAULT_APP.clientSecret }, { state: 's1', codeVerifier: 'v'.repeat(64), redirectUri: other }, new URLSearchParams({ code, state: 's1' })),
        (e: AppError) => e.hint!.includes(`exactly ${other}`) && /expired or was used already/.test(e.hint!),
      );
    } finally {
      await exchangeEmu.stop();
    }
  });

  test('a damaged quota-pause file is reported once, ignored, and kept aside when the next pause is recorded', async () => {
    const { home: h, cleanup: c } = await tempHome();
    try {
      const notices: string[] = [];
      const damaged = coreFor(h, emu, { retry: fast, notices });
      await seedLogin(damaged, emu, Date.now());
      await writeFile(damaged.paths.quotaPauseFile, '{"until": 17');
      assert.equal((await damaged.spacesPage(site, { limit: 2 })).results.length, 2, 'the request still goes out');
      await damaged.spacesPage(site, { limit: 2 });
      assert.equal(notices.filter((n) => n.includes('quota-pause.json is damaged')).length, 1, notices.join('\n'));
      emu.inject(quotaFault(Date.now(), { path: '/ex/confluence' }));
      await assert.rejects(damaged.spacesPage(site, {}), (e: AppError) => e.code === 'QUOTA_EXCEEDED');
      const kept = (await readdir(h)).filter((f) => f.startsWith('quota-pause.json.corrupt-'));
      assert.equal(kept.length, 1);
      assert.equal(await readFile(`${h}/${kept[0]}`, 'utf8'), '{"until": 17');
      assert.ok((await damaged.quota.activePause())!.until > Date.now());
    } finally {
      emu.clearFaults();
      await c();
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
