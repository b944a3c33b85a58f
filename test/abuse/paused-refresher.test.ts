/**
 * Finding 2 of the security review: a refresher that is alive but paused lost its lock and ended the
 * session. `auth refresh` stopped (SIGSTOP) under the lock past its stale time, another process took
 * the lock and refreshed, the first resumed and presented its spent refresh token: with rotation that
 * revokes the whole grant, and its failure path then wrote its stale copy over the fresh tokens.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AtlassianEmulator } from '../emulator/server.js';
import { runCli, startCli, tempHome, waitUntilStopped } from '../support/cli.js';
import { coreFor, seedLogin } from '../support/core.js';

// No leeway: any spent refresh token presented again revokes the grant at once.
const emu = new AtlassianEmulator({ leewayMs: 0 });
before(() => emu.start());
after(() => emu.stop());

const STALE_MS = 2000;

test('a refresher paused past the stale time notices its lost lock on resuming: no spent token sent, the grant lives, the newer tokens stay', async () => {
  const { home, cleanup } = await tempHome();
  try {
    await seedLogin(coreFor(home, emu), emu, Date.now());
    const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, CONFLUENCE_ADF_LOCK_STALE_MS: String(STALE_MS) };
    const start = { ...emu.stats };
    const paused = startCli(['auth', 'refresh'], { env: { ...env, CONFLUENCE_ADF_TEST_PAUSE_AT: 'before-token-request' } });
    await waitUntilStopped(paused.child.pid!);
    await new Promise((resolve) => setTimeout(resolve, STALE_MS + 500));
    const other = await runCli(['auth', 'refresh'], { env });
    assert.equal(other.code, 0, `the other process takes the stale lock over and refreshes: ${other.stderr}`);
    const fresh = (await coreFor(home, emu).store.read())!.secrets;

    paused.child.kill('SIGCONT');
    const resumed = await paused.done;
    assert.equal(resumed.code, 0, `the paused one adopts the other's tokens: ${resumed.stderr}`);
    assert.equal(emu.stats.reuseWithinLeeway + emu.stats.reuseAfterLeeway - start.reuseWithinLeeway - start.reuseAfterLeeway, 0, 'no spent refresh token was presented');
    assert.equal(emu.stats.revokedFamilies - start.revokedFamilies, 0, 'the grant was not revoked');
    assert.deepEqual((await coreFor(home, emu).store.read())!.secrets, fresh, 'the newer tokens were not written over');
    const next = await runCli(['spaces', 'list', '--limit', '1'], { env });
    assert.equal(next.code, 0, `still signed in: ${next.stderr}`);
  } finally {
    await cleanup();
  }
});
