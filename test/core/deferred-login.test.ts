import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { AtlassianEmulator, DEFAULT_APP, MINUTE } from '../emulator/server.js';
import { coreFor, movableClock } from '../support/core.js';
import { tempHome } from '../support/cli.js';
import { AppError } from '../../src/core/errors.js';
import { parsePastedCallback } from '../../src/core/auth/login.js';

describe('headless sign-in', () => {
  const emu = new AtlassianEmulator({ autoConsent: true });
  before(() => emu.start());
  after(() => emu.stop());

  test('a waiting sign-in expires after 10 minutes and is removed', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const clock = movableClock(Date.now());
      const core = coreFor(home, emu, { now: clock.now });
      const pending = await core.startDeferredLogin({ clientId: DEFAULT_APP.clientId, clientSecret: DEFAULT_APP.clientSecret, callbackPort: 9000 });
      const callback = (await fetch(pending.url, { redirect: 'manual' })).headers.get('location')!;
      clock.advance(11 * MINUTE);
      await assert.rejects(core.completeDeferredLogin(callback), (e: AppError) => e.code === 'NO_PENDING_LOGIN' && /expired/.test(e.message));
      await assert.rejects(fs.stat(core.paths.pendingFile));
    } finally {
      await cleanup();
    }
  });

  test('a pasted address or bare code is read; anything else says what to paste', () => {
    const q = parsePastedCallback('  "http://localhost:9000/oauth/callback?code=abc&state=s1"  ', 's0');
    assert.equal(q.get('code'), 'abc');
    assert.equal(q.get('state'), 's1');
    const bare = parsePastedCallback('abc123', 's0');
    assert.equal(bare.get('code'), 'abc123');
    assert.equal(bare.get('state'), 's0');
    assert.equal(parsePastedCallback('localhost:9000/oauth/callback?code=x&state=y', 's').get('code'), 'x');
    for (const bad of ['', 'two words', 'https://example.com/nothing-here']) {
      assert.throws(() => parsePastedCallback(bad, 's'), (e: AppError) => e.code === 'USAGE' && !!e.hint);
    }
  });
});
