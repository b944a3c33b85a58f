/**
 * The review's last two findings: `--log-file` kept the mode of an existing file (the log names sites,
 * spaces and accounts), and a very large `expires_in` crashed `auth status` (an invalid Date).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AtlassianEmulator } from '../emulator/server.js';
import { runCli } from '../support/cli.js';
import { coreFor, signedInHome } from '../support/core.js';

const emu = new AtlassianEmulator();
before(() => emu.start());
after(() => emu.stop());

describe('odds and ends', () => {
  test('--log-file makes an existing, world-readable file owner-only', async () => {
    const s = await signedInHome(emu);
    try {
      const log = path.join(s.home, 'mcp.log');
      await fs.writeFile(log, 'an older run\n', { mode: 0o644 });
      await fs.chmod(log, 0o644);
      const r = await runCli(['serve', '--mcp', '--log-file', log], { env: s.env, input: '' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await fs.stat(log)).mode & 0o777, 0o600);
      assert.match(await fs.readFile(log, 'utf8'), /an older run\n.*MCP server started/s, 'appended to, not replaced');
    } finally {
      await s.cleanup();
    }
  });

  test('a token endpoint answering expires_in 1e300, and a file already holding such an expiry: auth status still answers', async () => {
    const s = await signedInHome(emu);
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: 'at-forever', refresh_token: 'rt-forever', token_type: 'Bearer', expires_in: 1e300, scope: s.login.record.scopes.join(' ') }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const authUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const env = { ...s.env, CONFLUENCE_ADF_AUTH_URL: authUrl };
      await coreFor(s.home, undefined).store.write({ ...s.login, record: { ...s.login.record, authUrl } });
      const refreshed = await runCli(['auth', 'refresh'], { env });
      assert.equal(refreshed.code, 0, refreshed.stderr);
      const status = await runCli(['auth', 'status', '--offline', '--json'], { env });
      assert.equal(status.code, 0, status.stderr);
      const expiresAt = Date.parse(JSON.parse(status.stdout).accessToken.expiresAt);
      assert.ok(expiresAt <= Date.now() + 24 * 3600_000 + 60_000, 'an expiry past a day is not believed');

      const stored = (await coreFor(s.home, undefined).store.read())!;
      await coreFor(s.home, undefined).store.write({ ...stored, record: { ...stored.record, accessTokenExpiresAt: 1e305 } });
      const old = await runCli(['auth', 'status', '--offline'], { env });
      assert.equal(old.code, 0, old.stderr);
      assert.match(old.stdout, /signed in|expires/i);
    } finally {
      server.close();
      await s.cleanup();
    }
  });
});
