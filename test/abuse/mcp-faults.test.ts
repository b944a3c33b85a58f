/** The API fault matrix replayed through the MCP server: each call ends in a result or an isError, and the server stays up. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { AtlassianEmulator, DEFAULT_APP, type Fault } from '../emulator/server.js';
import { BIN, tempHome } from '../support/cli.js';
import { coreFor, seedLogin } from '../support/core.js';

const emu = new AtlassianEmulator();
before(() => emu.start());
after(() => emu.stop());

test('every API fault through spaces_list: success after retry or a clear isError; the server keeps answering', async (t) => {
  const { home, cleanup } = await tempHome();
  const login = await seedLogin(coreFor(home, emu), emu, Date.now());
  const client = new Client({ name: 'faults', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'serve', '--mcp'],
      env: { PATH: process.env.PATH!, CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, CONFLUENCE_ADF_TIMEOUT: '1' },
      stderr: 'ignore',
    }),
  );
  const path = '/ex/confluence';
  const matrix: [string, Fault | (() => void), 'ok' | RegExp][] = [
    ['429 with Retry-After', { kind: '429', retryAfter: '1', path }, 'ok'],
    ['429 with only X-RateLimit-Reset', { kind: '429', rateLimitReset: new Date(Date.now() + 400).toISOString(), path }, 'ok'],
    // A quota 429 is not waited out unasked (the reset is up to an hour away): an isError naming the reset.
    ['429 on a quota', { kind: '429', retryAfter: '1', reason: 'confluence-quota-tenant-based', path }, /hourly request quota/],
    ['503 with Retry-After', { kind: '503', retryAfter: '1', path }, 'ok'],
    ['a dropped connection', { kind: 'drop', path }, 'ok'],
    ['a slow answer past the timeout', { kind: 'slow', delayMs: 1500, path }, 'ok'],
    ['a malformed body', { kind: 'malformed', path }, /not the JSON expected/],
    ['a 500', { kind: '500', path, times: 1 }, /answered 500/],
    ['no site access (404)', () => (emu.user.siteIds = []), /Not found/],
    ['an access token that died at Atlassian', () => void emu.expireAccessToken(login.secrets.accessToken!), 'ok'],
  ];
  let mishandled = 0;
  const toolCount = (await client.listTools()).tools.length;
  try {
    for (const [name, fault, expected] of matrix) {
      if (typeof fault === 'function') fault();
      else emu.inject(fault);
      const result = await client.callTool({ name: 'spaces_list', arguments: { limit: 2 } });
      const text = (result.content as { text: string }[]).map((c) => c.text).join('\n');
      if (expected === 'ok' ? result.isError : !result.isError || !expected.test(text)) {
        mishandled++;
        t.diagnostic(`${name}: ${result.isError ? 'isError' : 'ok'}: ${text.slice(0, 200)}`);
      }
      // The quota pause (1 s here) holds every request of the profile until it ends.
      if (typeof fault !== 'function' && fault.reason?.includes('quota')) await new Promise((r) => setTimeout(r, 1500));
      emu.clearFaults();
      emu.user.siteIds = ['11111111-aaaa-4bbb-8ccc-000000000001'];
      const { tools } = await client.listTools();
      assert.equal(tools.length, toolCount, `the server answers after ${name}`);
    }
  } finally {
    await client.close();
    await cleanup();
  }
  // A missing scope: a server whose login was granted without read:space:confluence.
  const narrowHome = await tempHome();
  const narrowLogin = await seedLogin(coreFor(narrowHome.home, emu), emu, Date.now());
  const narrow = emu.issueGrant(DEFAULT_APP.clientId, ['read:me', 'offline_access']);
  await coreFor(narrowHome.home, emu).store.write({ ...narrowLogin, secrets: { ...narrowLogin.secrets, ...narrow } });
  const narrowClient = new Client({ name: 'faults-scope', version: '1' });
  await narrowClient.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'serve', '--mcp'],
      env: { PATH: process.env.PATH!, CONFLUENCE_ADF_HOME: narrowHome.home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl },
      stderr: 'ignore',
    }),
  );
  try {
    const scoped = await narrowClient.callTool({ name: 'spaces_list', arguments: {} });
    const text = (scoped.content as { text: string }[]).map((c) => c.text).join('\n');
    if (!scoped.isError || !/Missing scope read:space:confluence/.test(text)) {
      mishandled++;
      t.diagnostic(`missing scope: ${text.slice(0, 200)}`);
    }
    assert.equal((await narrowClient.listTools()).tools.length, toolCount);
  } finally {
    await narrowClient.close();
    await narrowHome.cleanup();
  }
  t.diagnostic(`MCP fault matrix: ${matrix.length + 1} faults tried, ${mishandled} mishandled`);
  assert.equal(mishandled, 0);
});
