import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AtlassianEmulator, DAY, MINUTE } from '../emulator/server.js';
import { coreFor, movableClock, seedLogin } from '../support/core.js';
import { tempHome } from '../support/cli.js';
import { AppError } from '../../src/core/errors.js';
import { refreshTokenLimits } from '../../src/core/auth/session.js';

describe('session: one refresh, shared, rotation-safe', () => {
  const emu = new AtlassianEmulator({ leewayMs: 0 });
  before(() => emu.start());
  after(() => emu.stop());

  test('a token far from expiry is used as is: no request to the token endpoint', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const clock = movableClock(Date.now());
      const core = coreFor(home, emu, { now: clock.now });
      const seeded = await seedLogin(core, emu, clock.now());
      const before = emu.stats.refreshes;
      assert.equal(await core.session.accessToken(), seeded.secrets.accessToken);
      clock.advance(50 * MINUTE);
      assert.equal(await core.session.accessToken(), seeded.secrets.accessToken, '10 minutes left is outside the margin');
      assert.equal(emu.stats.refreshes, before);
    } finally {
      await cleanup();
    }
  });

  test('inside the margin it refreshes once, stores the rotated refresh token first, and uses the new access token', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const clock = movableClock(Date.now());
      const core = coreFor(home, emu, { now: clock.now });
      const seeded = await seedLogin(core, emu, clock.now());
      clock.advance(56 * MINUTE);
      const before = emu.stats.refreshes;
      const token = await core.session.accessToken();
      assert.notEqual(token, seeded.secrets.accessToken);
      assert.equal(emu.stats.refreshes, before + 1);
      const stored = (await core.store.read())!;
      assert.equal(stored.secrets.accessToken, token);
      assert.notEqual(stored.secrets.refreshToken, seeded.secrets.refreshToken);
      assert.equal(stored.record.accessTokenExpiresAt, clock.now() + 3600_000);
      assert.equal(stored.record.refreshTokenIssuedAt, clock.now());
    } finally {
      await cleanup();
    }
  });

  test('50 concurrent callers in one process and 3 more "processes" on the same home share exactly one refresh', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const clock = movableClock(Date.now());
      const cores = [0, 1, 2, 3].map(() => coreFor(home, emu, { now: clock.now }));
      await seedLogin(cores[0]!, emu, clock.now(), { accessTokenExpiresAt: clock.now() - 1 });
      const before = { refreshes: emu.stats.refreshes, reuse: emu.stats.reuseAfterLeeway, revoked: emu.stats.revokedFamilies };
      const tokens = await Promise.all(cores.flatMap((core) => Array.from({ length: 50 }, () => core.session.accessToken())));
      assert.equal(new Set(tokens).size, 1, 'everyone got the same new token');
      assert.equal(emu.stats.refreshes - before.refreshes, 1);
      assert.equal(emu.stats.reuseAfterLeeway, before.reuse);
      assert.equal(emu.stats.revokedFamilies, before.revoked);
    } finally {
      await cleanup();
    }
  });

  test('a token rejected by the API is replaced once; a caller holding an already-replaced token adopts the new one', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const clock = movableClock(Date.now());
      const a = coreFor(home, emu, { now: clock.now });
      const b = coreFor(home, emu, { now: clock.now });
      const seeded = await seedLogin(a, emu, clock.now());
      const before = emu.stats.refreshes;
      const fresh = await a.session.accessToken({ rejected: seeded.secrets.accessToken! });
      const adopted = await b.session.accessToken({ rejected: seeded.secrets.accessToken! });
      assert.equal(adopted, fresh);
      assert.equal(emu.stats.refreshes, before + 1);
    } finally {
      await cleanup();
    }
  });

  for (const rejection of ['invalid_grant', 'unauthorized_client'] as const) {
    test(`a rejected refresh (${rejection}) ends the session with a login hint; client ID, secret and site are kept`, async () => {
      const { home, cleanup } = await tempHome();
      try {
        emu.refreshRejection = rejection;
        const clock = movableClock(Date.now());
        const core = coreFor(home, emu, { now: clock.now });
        const seeded = await seedLogin(core, emu, clock.now(), { accessTokenExpiresAt: clock.now() - 1 });
        emu.revokeAll();
        await assert.rejects(core.session.accessToken(), (e: AppError) => e.code === 'SESSION_EXPIRED' && /auth login/.test(e.hint!));
        const kept = (await core.store.read())!;
        assert.equal(kept.secrets.refreshToken, undefined);
        assert.equal(kept.secrets.accessToken, undefined);
        assert.equal(kept.secrets.clientSecret, seeded.secrets.clientSecret);
        assert.deepEqual(kept.record.site, seeded.record.site);
        assert.equal((await core.storedClient())?.clientId, seeded.record.clientId);
      } finally {
        emu.refreshRejection = 'invalid_grant';
        await cleanup();
      }
    });
  }

  test('a 5xx or an unreachable token endpoint keeps every token and says Atlassian could not be reached', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const clock = movableClock(Date.now());
      const core = coreFor(home, emu, { now: clock.now });
      const seeded = await seedLogin(core, emu, clock.now(), { accessTokenExpiresAt: clock.now() - 1 });
      emu.inject({ kind: '503', server: 'auth', path: '/oauth/token' });
      await assert.rejects(core.session.accessToken(), (e: AppError) => e.code === 'NETWORK' && /kept/.test(e.message));
      assert.deepEqual((await core.store.read())!.secrets, seeded.secrets);
      // The connection cut before any answer: unreachable, not a verdict on the tokens.
      emu.inject({ kind: 'drop', server: 'auth', path: '/oauth/token' });
      await assert.rejects(coreFor(home, emu, { now: clock.now }).session.accessToken(), (e: AppError) => e.code === 'NETWORK');
      assert.deepEqual((await core.store.read())!.secrets, seeded.secrets);
      assert.equal(await core.session.accessToken() !== seeded.secrets.accessToken, true, 'the kept tokens still work afterwards');
    } finally {
      await cleanup();
    }
  });

  test('the long limits: a warning 14 days before 90 days idle, and before 365 days from consent', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const clock = movableClock(Date.now());
      const core = coreFor(home, emu, { now: clock.now });
      const login = await seedLogin(core, emu, clock.now());
      assert.equal(refreshTokenLimits(login, clock.now() + 75 * DAY).warning, undefined);
      assert.match(refreshTokenLimits(login, clock.now() + 77 * DAY).warning!, /expires in 13 days/);
      const refreshedOften = { ...login, record: { ...login.record, refreshTokenIssuedAt: clock.now() + 350 * DAY } };
      assert.match(refreshTokenLimits(refreshedOften, clock.now() + 352 * DAY).warning!, /one-year limit in 13 days/);
    } finally {
      await cleanup();
    }
  });
});

describe('limit warnings', () => {
  const emu = new AtlassianEmulator();
  before(() => emu.start());
  after(() => emu.stop());

  test('the 14-day warning is due at most once a day, across Core instances', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const clock = movableClock(Date.now());
      await seedLogin(coreFor(home, emu, { now: clock.now }), emu, clock.now());
      assert.equal(await coreFor(home, emu, { now: clock.now }).dueLimitWarning(), undefined, 'nothing to say on day 0');
      clock.advance(80 * DAY);
      assert.match((await coreFor(home, emu, { now: clock.now }).dueLimitWarning())!, /expires in 10 days/);
      assert.equal(await coreFor(home, emu, { now: clock.now }).dueLimitWarning(), undefined, 'not twice the same day');
      clock.advance(DAY);
      assert.match((await coreFor(home, emu, { now: clock.now }).dueLimitWarning())!, /expires in 9 days/);
    } finally {
      await cleanup();
    }
  });
});
