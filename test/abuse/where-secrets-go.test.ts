/**
 * Findings 3 and 4 of the security review: `auth export --output F` chmodded F's directory to 0700
 * (as root, `--output /tmp/x` locked everyone out of /tmp), and the bearer token was re-attached on a
 * cross-host redirect (got strips it, our hook put it back), https→http included.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AtlassianEmulator } from '../emulator/server.js';
import { runCli, tempHome } from '../support/cli.js';
import { signedInHome } from '../support/core.js';
import { createApiClient } from '../../src/core/confluence/http.js';
import { RateLimiter } from '../../src/core/confluence/rate-limit.js';
import { QuotaState } from '../../src/core/confluence/quota.js';
import os from 'node:os';

const quotaDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confluence-adf-quota-'));
import { AppError } from '../../src/core/errors.js';

const emu = new AtlassianEmulator();
before(() => emu.start());
after(() => emu.stop());

/** A server that answers every request with `respond`, and keeps the headers it was sent. */
async function server(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: http.IncomingHttpHeaders[] = [];
  const s = http.createServer((req, res) => {
    seen.push(req.headers);
    respond(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  return { port, seen, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
}

describe('where the secrets go', () => {
  test('auth export --output into an existing directory leaves that directory\'s mode alone; a directory it creates is 0700', async () => {
    const s = await signedInHome(emu);
    const { home: shared, cleanup } = await tempHome();
    try {
      await fs.chmod(shared, 0o1777);
      const file = path.join(shared, 'login.bundle');
      const r = await runCli(['auth', 'export', '--keep', '--output', file], { env: { ...s.env, CONFLUENCE_ADF_PASSPHRASE: 'a long enough passphrase' } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await fs.stat(shared)).mode & 0o7777, 0o1777, 'the shared directory is as it was');
      assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
      const nested = path.join(shared, 'made', 'here', 'login.bundle');
      assert.equal((await runCli(['auth', 'export', '--keep', '--output', nested], { env: { ...s.env, CONFLUENCE_ADF_PASSPHRASE: 'a long enough passphrase' } })).code, 0);
      assert.equal((await fs.stat(path.join(shared, 'made'))).mode & 0o777, 0o700);
      assert.equal((await fs.stat(path.join(shared, 'made', 'here'))).mode & 0o777, 0o700);
    } finally {
      await cleanup();
      await s.cleanup();
    }
  });

  for (const [name, target] of [
    ['another host', (rogue: number) => `http://localhost:${rogue}/steal`],
    ['another port of the same host', (rogue: number) => `http://127.0.0.1:${rogue}/steal`],
  ] as const) {
    test(`a redirect to ${name} is an error, and the token does not follow it`, async () => {
      const rogue = await server((_req, res) => res.end('{}'));
      const api = await server((_req, res) => {
        res.writeHead(302, { location: target(rogue.port) });
        res.end();
      });
      try {
        const client = await createApiClient({
          apiUrl: `http://127.0.0.1:${api.port}`,
          accessToken: async () => 'at-REDIRECT-CANARY',
          limiter: new RateLimiter({ perSecond: 100, burst: 100 }),
          retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxTotalWaitMs: 1 },
          quota: new QuotaState({ pause: path.join(quotaDir, 'quota-pause.json'), seen: path.join(quotaDir, 'quota-seen.json') }, { now: Date.now }),
        });
        await assert.rejects(client.getJson('wiki/api/v2/spaces'), (e: AppError) => e.code === 'BAD_RESPONSE' && /redirected to .*the access token goes only to http:\/\/127\.0\.0\.1:\d+/.test(e.message));
        assert.equal(api.seen.length, 1);
        assert.equal(api.seen[0]!.authorization, 'Bearer at-REDIRECT-CANARY', 'the configured API got it');
        assert.ok(rogue.seen.every((h) => !h.authorization), 'the other origin never saw the token');
      } finally {
        await api.close();
        await rogue.close();
      }
    });
  }
});
