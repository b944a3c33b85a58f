/**
 * Rotation safety across processes: many CLI processes racing over expiries with the leeway at zero
 * (any reuse of a rotated-out token would revoke the grant), and processes killed at each refresh step.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtlassianEmulator, HOUR, MINUTE } from '../emulator/server.js';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN, runCli, startCli, tempHome, waitUntilStopped } from '../support/cli.js';
import { coreFor, seedLogin } from '../support/core.js';

describe('refresh across processes', () => {
  const emu = new AtlassianEmulator({ leewayMs: 0 });
  before(() => emu.start());
  after(() => emu.stop());

  test('5 CLI processes and 2 MCP servers × 8 expiries with zero leeway: every call succeeds, one refresh per expiry, no reuse, no revoked grant', async () => {
    const { home, cleanup } = await tempHome();
    const servers: Client[] = [];
    try {
      await seedLogin(coreFor(home, emu), emu, Date.now());
      const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl };
      for (let i = 0; i < 2; i++) {
        const client = new Client({ name: `race-${i}`, version: '1' });
        await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--mcp'], env: { PATH: process.env.PATH!, ...env }, stderr: 'ignore' }));
        servers.push(client);
      }
      const commands = [
        ['spaces', 'list', '--limit', '2'],
        ['spaces', 'list', '--all', '--limit', '10'],
        ['auth', 'status', '--json'],
        ['spaces', 'list', '--json', '--limit', '5'],
        ['auth', 'status'],
      ];
      const start = { ...emu.stats };
      for (let round = 0; round < 8; round++) {
        // An hour passes at Atlassian: every copy of the access token is dead there at once.
        emu.advance(HOUR + MINUTE);
        const [cli, mcp] = await Promise.all([
          Promise.all(commands.map((args) => runCli(args, { env }))),
          Promise.all(servers.map((server) => server.callTool({ name: 'spaces_list', arguments: { limit: 3 } }))),
        ]);
        cli.forEach((r, i) => assert.equal(r.code, 0, `round ${round}: ${commands[i]!.join(' ')}\n${r.stderr}`));
        mcp.forEach((r, i) => assert.ok(!r.isError, `round ${round}: MCP server ${i}: ${JSON.stringify(r.content)}`));
      }
      assert.equal(emu.stats.refreshes - start.refreshes, 8, 'exactly one refresh per expiry');
      assert.equal(emu.stats.reuseWithinLeeway - start.reuseWithinLeeway, 0);
      assert.equal(emu.stats.reuseAfterLeeway - start.reuseAfterLeeway, 0);
      assert.equal(emu.stats.revokedFamilies - start.revokedFamilies, 0);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await cleanup();
    }
  });
});

describe('a process killed in the middle of a refresh', () => {
  const emu = new AtlassianEmulator();
  before(() => emu.start());
  after(() => emu.stop());

  test('102 kills, 34 at each step (after the lock, after the token response, during the write): the next command always works', async () => {
    const steps = ['after-lock', 'after-token-response', 'during-write'] as const;
    const lanes = 4;
    let trials = 0;
    let crashed = 0;
    const runLane = async (lane: number) => {
      const { home, cleanup } = await tempHome();
      try {
        await seedLogin(coreFor(home, emu), emu, Date.now());
        const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, CONFLUENCE_ADF_LOCK_STALE_MS: '2000' };
        const stored = async () => (await coreFor(home, emu).store.read())!;
        for (let n = lane; n < 102; n += lanes) {
          const step = steps[n % steps.length]!;
          // Kill the token on Atlassian's side so the command must refresh.
          emu.expireAccessToken((await stored()).secrets.accessToken!);
          const killed = await runCli(['spaces', 'list', '--limit', '1'], { env: { ...env, CONFLUENCE_ADF_TEST_CRASH_AT: step } });
          assert.equal(killed.code, null, `expected a kill at ${step}; got exit ${killed.code}: ${killed.stderr}`);
          crashed++;
          // The token file is always whole: the old one or the new one.
          JSON.parse(await fs.readFile(path.join(home, 'oauth-tokens.json'), 'utf8'));
          const next = await runCli(['spaces', 'list', '--limit', '1'], { env });
          assert.equal(next.code, 0, `after a kill at ${step}: ${next.stderr}`);
          const litter = (await fs.readdir(home)).filter((f) => f.endsWith('.tmp'));
          assert.deepEqual(litter, [], `temp files left after a kill at ${step} and the next write`);
          trials++;
        }
      } finally {
        await cleanup();
      }
    };
    await Promise.all(Array.from({ length: lanes }, (_, lane) => runLane(lane)));
    assert.equal(crashed, 102);
    assert.equal(trials, 102);
    assert.equal(emu.stats.reuseAfterLeeway, 0);
    assert.equal(emu.stats.revokedFamilies, 0);
  });
});

describe('a process paused (SIGSTOP) in the middle of a refresh while another one refreshes', () => {
  const emu = new AtlassianEmulator();
  before(() => emu.start());
  after(() => emu.stop());
  const STALE_MS = 2000;

  test('paused past the stale time, during the token request and before the write, 3 times each: 0 revoked grants, 0 lost logins, newer tokens never written over', async () => {
    const pauses = ['before-token-request', 'during-token-request', 'after-token-response'] as const;
    const start = { ...emu.stats };
    let trials = 0;
    const runLane = async (pause: (typeof pauses)[number]) => {
      const { home, cleanup } = await tempHome();
      try {
        await seedLogin(coreFor(home, emu), emu, Date.now());
        const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, CONFLUENCE_ADF_LOCK_STALE_MS: String(STALE_MS) };
        const stored = async () => (await coreFor(home, emu).store.read())!;
        for (let n = 0; n < 3; n++) {
          const { refreshToken } = (await stored()).secrets;
          let paused;
          if (pause === 'during-token-request') {
            // The token endpoint holds this process's request; it is stopped while its request is in flight.
            const seen = emu.requests.length;
            emu.inject({ kind: 'slow', server: 'auth', path: '/oauth/token', delayMs: STALE_MS + 2500 });
            paused = startCli(['auth', 'refresh'], { env });
            while (!emu.requests.slice(seen).some((r) => r.grantType === 'refresh_token' && r.body?.refresh_token === refreshToken)) {
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
            paused.child.kill('SIGSTOP');
          } else {
            paused = startCli(['auth', 'refresh'], { env: { ...env, CONFLUENCE_ADF_TEST_PAUSE_AT: pause } });
          }
          await waitUntilStopped(paused.child.pid!);
          await new Promise((resolve) => setTimeout(resolve, STALE_MS + 500));
          const other = await runCli(['auth', 'refresh'], { env });
          assert.equal(other.code, 0, `${pause}: the other process refreshes: ${other.stderr}`);
          const newer = (await stored()).secrets;
          paused.child.kill('SIGCONT');
          const resumed = await paused.done;
          assert.equal(resumed.code, 0, `${pause}: the paused one finishes with the newer tokens: ${resumed.stderr}`);
          assert.deepEqual((await stored()).secrets, newer, `${pause}: the newer tokens were not written over`);
          const presented = emu.requests.filter((r) => r.grantType === 'refresh_token' && r.body?.refresh_token === refreshToken).length;
          if (pause === 'before-token-request') assert.equal(presented, 1, 'a paused refresher that had sent nothing sends no spent token');
          const next = await runCli(['spaces', 'list', '--limit', '1'], { env });
          assert.equal(next.code, 0, `${pause}: still signed in: ${next.stderr}`);
          trials++;
        }
      } finally {
        await cleanup();
      }
    };
    // One lane at a time per pause: a slow fault must meet the request it was meant for.
    await runLane('during-token-request');
    await Promise.all([runLane('before-token-request'), runLane('after-token-response')]);
    assert.equal(trials, 9);
    assert.equal(emu.stats.reuseAfterLeeway - start.reuseAfterLeeway, 0);
    assert.equal(emu.stats.revokedFamilies - start.revokedFamilies, 0);
  });
});
