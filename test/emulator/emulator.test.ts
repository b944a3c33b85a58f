/**
 * Pins the emulator to ../shared/atlassian-cloud.md point by point, with plain fetch and no project
 * code, so it cannot drift toward whatever the client happens to do.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { AtlassianEmulator, DEFAULT_APP, DAY, MINUTE, HOUR, quotaFault } from './server.js';

const app = DEFAULT_APP;
const verifier = 'v'.repeat(64);
const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');

function authorizeUrl(emu: AtlassianEmulator, overrides: Record<string, string | null> = {}): string {
  const params: Record<string, string | null> = {
    audience: 'api.atlassian.com',
    client_id: app.clientId,
    scope: 'read:space:confluence read:me offline_access',
    redirect_uri: app.callbackUrl,
    state: 'st-1',
    response_type: 'code',
    prompt: 'consent',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const url = new URL('/authorize', emu.authUrl);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

async function getCode(emu: AtlassianEmulator, overrides: Record<string, string | null> = {}): Promise<string> {
  const response = await fetch(authorizeUrl(emu, overrides), { redirect: 'manual' });
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location')!);
  assert.equal(location.searchParams.get('state'), overrides.state ?? 'st-1');
  return location.searchParams.get('code')!;
}

async function token(emu: AtlassianEmulator, body: Record<string, string>, form = false) {
  const response = await fetch(`${emu.authUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function exchange(code: string, extra: Record<string, string> = {}) {
  return {
    grant_type: 'authorization_code',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    code,
    redirect_uri: app.callbackUrl,
    code_verifier: verifier,
    ...extra,
  };
}

function refreshBody(refreshToken: string) {
  return { grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: refreshToken };
}

async function api(emu: AtlassianEmulator, path: string, accessToken: string) {
  const response = await fetch(`${emu.apiUrl}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('emulator: authorize', () => {
  const emu = new AtlassianEmulator({ autoConsent: true });
  before(() => emu.start());
  after(() => emu.stop());

  test('redirects with code and state when every parameter is right', async () => {
    assert.match(await getCode(emu), /^code-/);
  });

  test('shows an error page, never a redirect, for an unregistered redirect_uri (127.0.0.1 is not localhost)', async () => {
    const response = await fetch(authorizeUrl(emu, { redirect_uri: app.callbackUrl.replace('localhost', '127.0.0.1') }), { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /redirect_uri mismatch/);
  });

  test('rejects an unknown client, a missing state, a wrong audience or response_type, and unconfigured scopes', async () => {
    for (const overrides of <Record<string, string | null>[]>[{ client_id: 'nope' }, { state: null }, { audience: 'example.com' }, { response_type: 'token' }, { scope: 'read:space:confluence write:jira-work' }]) {
      const response = await fetch(authorizeUrl(emu, overrides), { redirect: 'manual' });
      assert.equal(response.status, 400, JSON.stringify(overrides));
    }
  });

  test('without auto-consent shows Accept and Deny; Deny redirects with error=access_denied and the state', async () => {
    emu.autoConsent = false;
    try {
      const page = await (await fetch(authorizeUrl(emu))).text();
      assert.match(page, />Accept</);
      assert.match(page, />Deny</);
      const txn = /name="txn" value="([^"]+)"/.exec(page)![1]!;
      const response = await fetch(`${emu.authUrl}/authorize/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ txn, decision: 'deny' }).toString(),
        redirect: 'manual',
      });
      const location = new URL(response.headers.get('location')!);
      assert.equal(location.searchParams.get('error'), 'access_denied');
      assert.ok(location.searchParams.get('error_description'));
      assert.equal(location.searchParams.get('state'), 'st-1');
    } finally {
      emu.autoConsent = true;
    }
  });
});

describe('emulator: token endpoint', () => {
  const emu = new AtlassianEmulator({ autoConsent: true });
  before(() => emu.start());
  after(() => emu.stop());

  test('exchanges a code with a JSON body and with a form body; 1-hour Bearer tokens and a refresh token', async () => {
    for (const form of [false, true]) {
      const { status, body } = await token(emu, exchange(await getCode(emu)), form);
      assert.equal(status, 200);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(Number(body.expires_in), 3600);
      assert.ok(body.access_token && body.refresh_token);
      assert.equal(body.scope, 'read:space:confluence read:me offline_access');
    }
  });

  test('requires the client secret even with PKCE: 401 access_denied Unauthorized', async () => {
    const { client_secret: _omit, ...withoutSecret } = exchange(await getCode(emu));
    const result = await token(emu, withoutSecret);
    assert.equal(result.status, 401);
    assert.deepEqual(result.body, { error: 'access_denied', error_description: 'Unauthorized' });
    assert.equal((await token(emu, exchange(await getCode(emu), { client_secret: 'wrong' }))).status, 401);
  });

  test('checks the S256 verifier when a challenge was sent', async () => {
    const result = await token(emu, exchange(await getCode(emu), { code_verifier: 'w'.repeat(64) }));
    assert.equal(result.status, 403);
    assert.equal(result.body.error, 'invalid_grant');
  });

  test('codes are single-use, short-lived, and bound to the redirect_uri', async () => {
    const code = await getCode(emu);
    assert.equal((await token(emu, exchange(code))).status, 200);
    assert.equal((await token(emu, exchange(code))).status, 403);
    const late = await getCode(emu);
    emu.advance(10 * MINUTE);
    assert.equal((await token(emu, exchange(late))).status, 403);
    const other = await getCode(emu);
    assert.equal((await token(emu, exchange(other, { redirect_uri: 'http://localhost:9001/oauth/callback' }))).status, 403);
  });

  test('no refresh token without offline_access', async () => {
    const { body } = await token(emu, exchange(await getCode(emu, { scope: 'read:space:confluence' })));
    assert.ok(body.access_token);
    assert.equal(body.refresh_token, undefined);
  });

  test('access tokens die after an hour', async () => {
    const { body } = await token(emu, exchange(await getCode(emu)));
    assert.equal((await api(emu, '/oauth/token/accessible-resources', body.access_token!)).status, 200);
    emu.advance(61 * MINUTE);
    assert.equal((await api(emu, '/oauth/token/accessible-resources', body.access_token!)).status, 401);
  });
});

describe('emulator: refresh rotation', () => {
  const emu = new AtlassianEmulator({ autoConsent: true });
  before(() => emu.start());
  after(() => emu.stop());

  test('every refresh rotates; the old token works inside the 10-minute leeway', async () => {
    const first = emu.issueGrant(app.clientId);
    const r1 = await token(emu, refreshBody(first.refreshToken));
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refresh_token, first.refreshToken);
    emu.advance(9 * MINUTE);
    assert.equal((await token(emu, refreshBody(first.refreshToken))).status, 200);
    assert.equal(emu.stats.reuseWithinLeeway, 1);
  });

  test('presenting a rotated-out token after the leeway revokes the whole family, access tokens too', async () => {
    const first = emu.issueGrant(app.clientId);
    const r1 = await token(emu, refreshBody(first.refreshToken));
    emu.advance(11 * MINUTE);
    const reuse = await token(emu, refreshBody(first.refreshToken));
    assert.equal(reuse.status, 403);
    assert.deepEqual(reuse.body, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    assert.equal((await token(emu, refreshBody(r1.body.refresh_token!))).status, 403, 'the newest token died with the family');
    assert.equal((await api(emu, '/oauth/token/accessible-resources', r1.body.access_token!)).status, 401);
  });

  test('90 days unused kills a refresh token; each refresh restarts that clock; 365 days from consent is absolute', async () => {
    const idle = emu.issueGrant(app.clientId);
    emu.advance(91 * DAY);
    assert.equal((await token(emu, refreshBody(idle.refreshToken))).status, 403);

    let current = emu.issueGrant(app.clientId).refreshToken;
    for (let i = 0; i < 4; i++) {
      emu.advance(89 * DAY);
      const r = await token(emu, refreshBody(current));
      assert.equal(r.status, 200, `refresh ${i} at day ${(i + 1) * 89}`);
      current = r.body.refresh_token!;
    }
    emu.advance(10 * DAY); // day 366 since consent
    assert.equal((await token(emu, refreshBody(current))).status, 403);
  });

  test('the unauthorized_client wording is available too', async () => {
    emu.refreshRejection = 'unauthorized_client';
    try {
      const r = await token(emu, refreshBody('rt-unknown'));
      assert.deepEqual(r.body, { error: 'unauthorized_client', error_description: 'refresh_token is invalid' });
    } finally {
      emu.refreshRejection = 'invalid_grant';
    }
  });

  test('revocation kills the grant; it can be switched off (unconfirmed for 3LO)', async () => {
    const grant = emu.issueGrant(app.clientId);
    const response = await fetch(`${emu.authUrl}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: grant.refreshToken, client_id: app.clientId, client_secret: app.clientSecret }).toString(),
    });
    assert.equal(response.status, 200);
    assert.equal(emu.grantAlive(grant.refreshToken), false);
    emu.revokeSupported = false;
    const missing = await fetch(`${emu.authUrl}/oauth/revoke`, { method: 'POST' });
    assert.notEqual(missing.status, 200);
    emu.revokeSupported = true;
  });
});

describe('emulator: API gateway and spaces', () => {
  const emu = new AtlassianEmulator({
    sites: [
      { id: 'c1', name: 'acme', url: 'https://acme.atlassian.net', spaceCount: 60 },
      { id: 'c2', name: 'beta', url: 'https://beta.atlassian.net', spaceCount: 3 },
    ],
    user: { accountId: 'u1', name: 'Ada', email: 'ada@example.com', siteIds: ['c1', 'c2'] },
  });
  let at = '';
  before(async () => {
    await emu.start();
    at = emu.issueGrant(app.clientId).accessToken;
  });
  after(() => emu.stop());

  test('accessible-resources lists every site of the grant with id, name, url, scopes', async () => {
    const { body } = await api(emu, '/oauth/token/accessible-resources', at);
    assert.deepEqual(body.map((s: any) => s.id), ['c1', 'c2']);
    assert.ok(body.every((s: any) => s.url && s.name && Array.isArray(s.scopes)));
  });

  test('/me needs read:me and fails with the gateway scope failure without it', async () => {
    assert.equal((await api(emu, '/me', at)).body.account_id, 'u1');
    const narrow = emu.issueGrant(app.clientId, ['read:space:confluence']).accessToken;
    const denied = await api(emu, '/me', narrow);
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('x-failure-category'), 'FAILURE_CLIENT_SCOPE_CHECK');
    assert.deepEqual(denied.body, { code: 401, message: 'Unauthorized; scope does not match' });
  });

  test('spaces: default limit 25, relative next link with an opaque cursor, the same link in a Link header', async () => {
    const first = await api(emu, '/ex/confluence/c1/wiki/api/v2/spaces', at);
    assert.equal(first.body.results.length, 25);
    assert.match(first.body._links.next, /^\/wiki\/api\/v2\/spaces\?.*cursor=/);
    assert.equal(first.body._links.base, 'https://acme.atlassian.net/wiki');
    assert.ok(first.headers.get('link')!.includes(`<${first.body._links.next}>; rel="next"`));
    const seen = first.body.results.map((s: any) => s.id);
    let next = first.body._links.next;
    while (next) {
      const page = await api(emu, `/ex/confluence/c1${next}`, at);
      seen.push(...page.body.results.map((s: any) => s.id));
      next = page.body._links.next;
    }
    assert.equal(seen.length, 60);
    assert.equal(new Set(seen).size, 60);
  });

  test('spaces: limit outside 1..250, a forged cursor and an unknown sort are 400 with a v2 error body', async () => {
    for (const q of ['limit=0', 'limit=251', 'cursor=forged', 'sort=size']) {
      const r = await api(emu, `/ex/confluence/c1/wiki/api/v2/spaces?${q}`, at);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.errors[0].status, 400);
    }
  });

  test('spaces: filters by keys, type and status; sorts', async () => {
    const keys = await api(emu, '/ex/confluence/c1/wiki/api/v2/spaces?keys=SP00001,SP00003', at);
    assert.deepEqual(keys.body.results.map((s: any) => s.key), ['SP00001', 'SP00003']);
    const typed = await api(emu, '/ex/confluence/c1/wiki/api/v2/spaces?type=personal&status=current&limit=250', at);
    assert.ok(typed.body.results.length > 0 && typed.body.results.every((s: any) => s.type === 'personal' && s.status === 'current'));
    const sorted = await api(emu, '/ex/confluence/c1/wiki/api/v2/spaces?sort=-key&limit=2', at);
    assert.deepEqual(sorted.body.results.map((s: any) => s.key), ['SP00059', 'SP00058']);
  });

  test('spaces without read:space:confluence: the gateway scope failure', async () => {
    const narrow = emu.issueGrant(app.clientId, ['read:me']).accessToken;
    const r = await api(emu, '/ex/confluence/c1/wiki/api/v2/spaces', narrow);
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('x-failure-category'), 'FAILURE_CLIENT_SCOPE_CHECK');
  });

  test('an unknown cloudId is a v2 404 body', async () => {
    const r = await api(emu, '/ex/confluence/nope/wiki/api/v2/spaces', at);
    assert.equal(r.status, 404);
    assert.equal(r.body.errors[0].code, 'NOT_FOUND');
  });

  test('faults: 429 with and without Retry-After, 503, malformed body, dropped connection', async () => {
    emu.inject({ kind: '429', retryAfter: '7', reason: 'confluence-quota-global-based' });
    const limited = await api(emu, '/ex/confluence/c2/wiki/api/v2/spaces', at);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.equal(limited.headers.get('ratelimit-reason'), 'confluence-quota-global-based');
    emu.inject({ kind: '429' });
    assert.equal((await api(emu, '/ex/confluence/c2/wiki/api/v2/spaces', at)).headers.get('retry-after'), null);
    emu.inject({ kind: '503', retryAfter: '1' });
    assert.equal((await api(emu, '/ex/confluence/c2/wiki/api/v2/spaces', at)).status, 503);
    emu.inject({ kind: 'malformed' });
    await assert.rejects(api(emu, '/ex/confluence/c2/wiki/api/v2/spaces', at), SyntaxError);
    emu.inject({ kind: 'drop' });
    await assert.rejects(fetch(`${emu.apiUrl}/ex/confluence/c2/wiki/api/v2/spaces`, { headers: { authorization: `Bearer ${at}` } }));
    assert.equal((await api(emu, '/ex/confluence/c2/wiki/api/v2/spaces', at)).status, 200, 'faults are used up');
  });

  test('the enforced rate limit answers 429 with Retry-After once the burst is spent', async () => {
    emu.rateLimit = { perSecond: 1, burst: 3 };
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await api(emu, '/ex/confluence/c2/wiki/api/v2/spaces', at)).status);
      assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
      assert.ok(statuses.slice(3).includes(429));
    } finally {
      emu.rateLimit = undefined;
    }
  });

  test('an unexpected request is answered loudly and counted', async () => {
    const before = emu.stats.unexpected;
    const r = await api(emu, '/wiki/rest/api/content', at);
    assert.equal(r.status, 599);
    assert.equal(emu.stats.unexpected, before + 1);
  });

  test('an expired token can be configured to come back as 404 (reported, unconfirmed)', async () => {
    emu.expiredTokenStatus = 404;
    try {
      const grant = emu.issueGrant(app.clientId);
      emu.expireAccessToken(grant.accessToken);
      assert.equal((await api(emu, '/ex/confluence/c1/wiki/api/v2/spaces', grant.accessToken)).status, 404);
    } finally {
      emu.expiredTokenStatus = 401;
    }
  });
});

describe('emulator: configured like the captured responses', () => {
  const emu = new AtlassianEmulator({
    sites: [
      { id: 'c1', name: 'acme', url: 'https://acme.atlassian.net', spaceCount: 60 },
      { id: 'c2', name: 'beta', url: 'https://beta.atlassian.net', spaceCount: 3 },
    ],
    user: { accountId: '557058:f5e6a7b8-1c2d-4e3f-9a0b-1c2d3e4f5a6b', name: 'Ada', email: 'ada@example.com', siteIds: ['c1'] },
    entryPerProduct: true,
    extraResources: [{ id: 'j1', name: 'jira-only', url: 'https://jira-only.atlassian.net', scopes: ['read:jira-work'] }],
    spaceIdBase: 1_933_180_000,
    scopeFailureHeader: false,
  });
  let at = '';
  before(async () => {
    await emu.start();
    at = emu.issueGrant(app.clientId).accessToken;
  });
  after(() => emu.stop());
  const spaces = (query = '') => api(emu, `/ex/confluence/c1/wiki/api/v2/spaces${query}`, at);

  test('accessible-resources: one site twice with the same id (Jira, then Confluence scopes), and a Jira-only site', async () => {
    const { body } = await api(emu, '/oauth/token/accessible-resources', at);
    assert.deepEqual(body.map((s: any) => s.id), ['c1', 'c1', 'j1']);
    assert.ok(body[0].scopes.every((s: string) => s.includes('jira')));
    assert.ok(body[1].scopes.includes('read:space:confluence'));
  });

  test('/me: nickname, zoneinfo, extended_profile, email_verified and a 557058:-style account id', async () => {
    const { body } = await api(emu, '/me', at);
    assert.match(body.account_id, /^557058:[0-9a-f-]{36}$/);
    assert.equal(typeof body.nickname, 'string');
    assert.equal(typeof body.zoneinfo, 'string');
    assert.equal(body.email_verified, true);
    assert.equal(typeof body.extended_profile.job_title, 'string');
  });

  test('a scope failure without X-Failure-Category: only the body says so', async () => {
    const narrow = emu.issueGrant(app.clientId, ['read:space:confluence']).accessToken;
    const denied = await api(emu, '/me', narrow);
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('x-failure-category'), null);
    assert.equal(denied.body.message, 'Unauthorized; scope does not match');
  });

  test('spaces: the seven types, one type per request; 10-digit ids; base64 cursors with + / =', async () => {
    const all = await spaces('?limit=60');
    assert.deepEqual([...new Set(all.body.results.map((s: any) => s.type))].sort(), ['collaboration', 'global', 'knowledge_base', 'onboarding', 'personal', 'system', 'xflow_sample_space']);
    assert.ok(all.body.results.every((s: any) => /^\d{10}$/.test(s.id)));
    const onboarding = await spaces('?type=onboarding');
    assert.ok(onboarding.body.results.length > 0 && onboarding.body.results.every((s: any) => s.type === 'onboarding'));
    assert.equal((await spaces('?type=global,personal')).status, 400);
    assert.equal((await spaces('?type=global&type=personal')).status, 400);
    const first = await spaces('?limit=5');
    const cursor = new URL(first.body._links.next, 'https://x.invalid').searchParams.get('cursor')!;
    assert.match(cursor, /\+/);
    assert.match(cursor, /\//);
    assert.match(cursor, /=$/);
    // Sent encoded it works; sent raw, `+` reads as a space and the cursor is refused.
    assert.equal((await spaces(`?limit=5&cursor=${encodeURIComponent(cursor)}`)).status, 200);
    assert.equal((await spaces(`?limit=5&cursor=${cursor}`)).status, 400);
  });

  test('spaces: description and icon are objects when asked for, null otherwise', async () => {
    const plain = await spaces('?limit=1');
    assert.equal(plain.body.results[0].description, null);
    assert.equal(plain.body.results[0].icon, null);
    const rich = await spaces('?limit=1&description-format=plain&include-icon=true');
    assert.equal(rich.body.results[0].description.plain.representation, 'plain');
    assert.equal(typeof rich.body.results[0].icon.path, 'string');
  });

  test("quota 429 as in Atlassian's example: long Retry-After, reset at the top of the hour, reason, structured and counters", async () => {
    emu.inject(quotaFault(Date.now()));
    const r = await spaces();
    assert.equal(r.status, 429);
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait > 0 && wait <= 3600);
    const reset = Date.parse(r.headers.get('x-ratelimit-reset')!);
    assert.equal(reset % HOUR, 0, 'the top of the hour');
    assert.equal(r.headers.get('ratelimit-reason'), 'confluence-quota-global-based');
    assert.match(r.headers.get('ratelimit')!, /^"global-app-quota";r=0;t=\d+$/);
    assert.ok(r.headers.get('ratelimit-policy'));
  });

  test('the hourly points quota: counters on every answer, near-limit under 20%, then 429 until the window resets', async () => {
    emu.quota = { points: 10, cost: 2, windowMs: HOUR, anchor: emu.now() };
    try {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await spaces('?limit=1'));
      assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200, 429]);
      assert.deepEqual(answers.slice(0, 5).map((a) => a.headers.get('x-ratelimit-remaining')), ['8', '6', '4', '2', '0']);
      assert.equal(answers[4]!.headers.get('x-ratelimit-nearlimit'), 'true');
      assert.equal(answers[0]!.headers.get('x-ratelimit-nearlimit'), null);
      assert.ok(Number(answers[5]!.headers.get('retry-after')) > 3000, 'about an hour');
      assert.equal(answers[5]!.headers.get('ratelimit-reason'), 'confluence-quota-global-based');
      emu.advance(HOUR);
      at = emu.issueGrant(app.clientId).accessToken; // the old one expired with the hour
      assert.equal((await spaces('?limit=1')).status, 200, 'a new window');
    } finally {
      emu.quota = undefined;
    }
  });

  test('burst 429s carry no quota reason; a 429 can come with no Retry-After and no reason at all', async () => {
    emu.rateLimit = { perSecond: 1, burst: 1 };
    try {
      await spaces();
      const burst = await spaces();
      assert.equal(burst.status, 429);
      assert.ok(burst.headers.get('retry-after'));
      assert.equal(burst.headers.get('ratelimit-reason'), null);
    } finally {
      emu.rateLimit = undefined;
    }
    emu.inject({ kind: '429' });
    const bare = await spaces();
    assert.equal(bare.status, 429);
    assert.equal(bare.headers.get('retry-after'), null);
    assert.equal(bare.headers.get('ratelimit-reason'), null);
  });
});
