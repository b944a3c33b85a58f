/** The built CLI's `serve --mcp`, driven by a real MCP client over stdio, against the emulator. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { AtlassianEmulator, DEFAULT_SITES, quotaFault } from '../emulator/server.js';
import { BIN, FAKE_BROWSER, freePort, tempHome } from '../support/cli.js';
import { coreFor, seedLogin } from '../support/core.js';
import { loginCompleteSchema, loginStartSchema, logoutSchema, spacesListSchema, statusSchema } from '../../src/mcp/schemas.js';

const emu = new AtlassianEmulator({ autoConsent: true, sites: [{ ...DEFAULT_SITES[0]!, spaceCount: 60 }] });
before(() => emu.start());
after(() => emu.stop());

interface Connected {
  client: Client;
  stderr: () => string;
  close: () => Promise<void>;
}

async function connect(env: Record<string, string>): Promise<Connected> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--mcp'], env: { PATH: process.env.PATH!, ...env }, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'confluence-adf-tests', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

type Result = Awaited<ReturnType<Client['callTool']>>;
const text = (r: Result) => (r.content as { type: string; text: string }[]).map((c) => c.text).join('\n');

describe('serve --mcp', () => {
  test('lists its tools, each with a title, a description, input and output schemas and annotations', async () => {
    const { home, cleanup } = await tempHome();
    const server = await connect({ CONFLUENCE_ADF_HOME: home, ...emu.env() });
    try {
      const { tools } = await server.client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['auth_login_complete', 'auth_login_start', 'auth_logout', 'auth_status', 'page_children', 'page_create', 'page_edit', 'page_read', 'page_update', 'pages_search', 'spaces_list']);
      for (const tool of tools) {
        assert.ok(tool.title && tool.description && tool.description.length > 60, tool.name);
        assert.equal(tool.inputSchema.type, 'object');
        assert.equal(tool.outputSchema?.type, 'object', tool.name);
        assert.ok(tool.annotations, tool.name);
      }
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      assert.equal(byName.auth_logout!.annotations!.destructiveHint, true);
      assert.equal(byName.spaces_list!.annotations!.readOnlyHint, true);
      assert.equal(byName.spaces_list!.annotations!.idempotentHint, true);
      assert.ok(!JSON.stringify(byName.auth_login_start!.inputSchema).includes('secret'), 'no secret argument');
    } finally {
      await server.close();
      await cleanup();
    }
  });

  test('a whole login through auth_login_start and auth_login_complete, then status, paging, logout', async () => {
    const { home, cleanup } = await tempHome();
    const port = await freePort();
    const app = emu.registerApp({ callbackUrl: `http://localhost:${port}/oauth/callback` });
    const env = { CONFLUENCE_ADF_HOME: home, ...emu.env(app), CONFLUENCE_ADF_CALLBACK_PORT: String(port), BROWSER: FAKE_BROWSER };
    const server = await connect(env);
    const outputs: string[] = [];
    try {
      const before = await server.client.callTool({ name: 'auth_status', arguments: {} });
      assert.equal(statusSchema.parse(before.structuredContent).signedIn, false);

      const needLogin = await server.client.callTool({ name: 'spaces_list', arguments: {} });
      assert.equal(needLogin.isError, true);
      assert.match(text(needLogin), /not signed in/i);
      assert.match(text(needLogin), /auth_login_start/);
      assert.match(text(needLogin), /confluence-adf auth login/);

      const start = await server.client.callTool({ name: 'auth_login_start', arguments: {} });
      assert.ok(!start.isError, text(start));
      const started = loginStartSchema.parse(start.structuredContent);
      assert.match(started.url, /\/authorize\?/);
      assert.equal(started.redirectUri, `http://localhost:${port}/oauth/callback`);

      const progress: unknown[] = [];
      const complete = await server.client.callTool({ name: 'auth_login_complete', arguments: { timeoutSeconds: 30 } }, { onprogress: (p) => progress.push(p) });
      assert.ok(!complete.isError, text(complete));
      const done = loginCompleteSchema.parse(complete.structuredContent);
      assert.equal(done.site.url, 'https://acme.atlassian.net');
      assert.equal(done.account?.name, 'Ada Lovelace');

      const status = statusSchema.parse((await server.client.callTool({ name: 'auth_status', arguments: {} })).structuredContent);
      assert.equal(status.signedIn, true);
      assert.equal(status.check.ok, true);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await server.client.callTool({ name: 'spaces_list', arguments: { limit: 25, ...(cursor ? { cursor } : {}) } });
        assert.ok(!page.isError, text(page));
        const parsed = spacesListSchema.parse(page.structuredContent);
        seen.push(...parsed.results.map((s) => s.key));
        cursor = parsed.nextCursor ?? undefined;
        outputs.push(JSON.stringify(page));
      } while (cursor);
      assert.equal(seen.length, 60);
      assert.equal(new Set(seen).size, 60);

      const logout = await server.client.callTool({ name: 'auth_logout', arguments: {} });
      assert.equal(logoutSchema.parse(logout.structuredContent).wasSignedIn, true);
      outputs.push(JSON.stringify(before), JSON.stringify(start), JSON.stringify(complete), JSON.stringify(status), JSON.stringify(logout), JSON.stringify(progress), server.stderr());
      const tokens = emu.requests.map((r) => String(r.headers.authorization ?? '').replace('Bearer ', '')).filter(Boolean);
      for (const out of outputs) {
        assert.ok(!out.includes(app.clientSecret), 'client secret leaked');
        for (const t of tokens) assert.ok(!out.includes(t), 'token leaked');
      }
    } finally {
      await server.close();
      await cleanup();
    }
  });

  test('auth_login_complete sends progress while it waits, and a timeout leaves the sign-in open', async () => {
    const { home, cleanup } = await tempHome();
    const port = await freePort();
    const app = emu.registerApp({ callbackUrl: `http://localhost:${port}/oauth/callback` });
    const server = await connect({ CONFLUENCE_ADF_HOME: home, ...emu.env(app), CONFLUENCE_ADF_CALLBACK_PORT: String(port), BROWSER: '/nonexistent/browser' });
    try {
      const start = loginStartSchema.parse((await server.client.callTool({ name: 'auth_login_start', arguments: {} })).structuredContent);
      assert.equal(start.browserOpened, false);
      const progress: unknown[] = [];
      const waited = await server.client.callTool({ name: 'auth_login_complete', arguments: { timeoutSeconds: 3 } }, { onprogress: (p) => progress.push(p) });
      assert.equal(waited.isError, true);
      assert.match(text(waited), /not approved the sign-in yet/);
      assert.ok(progress.length >= 1, 'progress notifications arrived');
      // The person approves now (a scripted browser on the same URL); the next call completes.
      const browse = spawn(process.execPath, [FAKE_BROWSER.split(' ')[1]!, start.url], { stdio: 'ignore' });
      const complete = await server.client.callTool({ name: 'auth_login_complete', arguments: { timeoutSeconds: 30 } });
      browse.kill();
      assert.ok(!complete.isError, text(complete));
    } finally {
      await server.close();
      await cleanup();
    }
  });

  test('API failures come back as isError results with the CLI message and hint; the server stays up', async () => {
    const { home, cleanup } = await tempHome();
    await seedLogin(coreFor(home, emu), emu, Date.now());
    const server = await connect({ CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, CONFLUENCE_ADF_TIMEOUT: '1' });
    try {
      emu.inject({ kind: 'malformed', path: '/ex/confluence' });
      const malformed = await server.client.callTool({ name: 'spaces_list', arguments: {} });
      assert.equal(malformed.isError, true);
      assert.match(text(malformed), /not the JSON expected/);
      emu.inject({ kind: '503', path: '/ex/confluence', times: 10, retryAfter: '0' });
      const down = await server.client.callTool({ name: 'spaces_list', arguments: {} });
      assert.equal(down.isError, true);
      assert.match(text(down), /Atlassian answered 503/);
      emu.clearFaults();
      const unknownSite = await server.client.callTool({ name: 'spaces_list', arguments: { site: 'nowhere' } });
      assert.equal(unknownSite.isError, true);
      assert.match(text(unknownSite), /No site matching "nowhere"/);
      const bad = await server.client.callTool({ name: 'spaces_list', arguments: { limit: 999 } });
      assert.equal(bad.isError, true);
      const fine = await server.client.callTool({ name: 'spaces_list', arguments: { limit: 2 } });
      assert.equal(spacesListSchema.parse(fine.structuredContent).results.length, 2);
    } finally {
      await server.close();
      await cleanup();
    }
  });

  test('stdout carries only JSON-RPC, through a malformed frame and failures; the server survives bad frames', async () => {
    const { home, cleanup } = await tempHome();
    const child = spawn(process.execPath, [BIN, 'serve', '--mcp'], {
      env: { PATH: process.env.PATH!, CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const send = (frame: string) => child.stdin.write(`${frame}\n`);
      const waitFor = async (id: number) => {
        for (let i = 0; i < 200; i++) {
          if (stdout.split('\n').some((l) => l.includes(`"id":${id}`))) return;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`no answer to ${id}; stdout so far: ${stdout}`);
      };
      send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
      await waitFor(1);
      send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      send('{this is not json');
      send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'no/such/method' }));
      send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'spaces_list', arguments: {} } }));
      send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'auth_status', arguments: { offline: 'yes' } } }));
      send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }));
      await waitFor(5);
      await waitFor(3);
      await waitFor(4);
      const lines = stdout.split('\n').filter((l) => l.trim() !== '');
      for (const line of lines) {
        const message = JSON.parse(line) as { jsonrpc?: string };
        assert.equal(message.jsonrpc, '2.0', line);
      }
      assert.ok(lines.some((l) => l.includes('"id":5') && l.includes('spaces_list')), 'still answering after a bad frame');
      assert.equal(child.exitCode, null, 'still running');
    } finally {
      child.kill();
      await cleanup();
    }
  });

  test('started from a terminal it says how to configure a client, and Ctrl-D stops it', async () => {
    const { home, cleanup } = await tempHome();
    try {
      // script(1) gives the server a real pseudo-terminal as stdin.
      const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} serve --mcp`, '/dev/null'], {
        env: { PATH: process.env.PATH!, CONFLUENCE_ADF_HOME: home },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      for (let i = 0; i < 100 && !out.includes('Waiting for a client'); i++) await new Promise((r) => setTimeout(r, 50));
      child.stdin.write('\u0004');
      assert.equal(await exited, 0);
      assert.match(out, /meant to be started\s+by an MCP client/);
      assert.match(out, /claude mcp add confluence -- confluence-adf serve --mcp/);
      assert.match(out, /"mcpServers"/);
    } finally {
      await cleanup();
    }
  });
});

describe('serve --mcp under an hourly quota', () => {
  test('a quota 429 is an error result with retryAt; waitForQuota waits for the reset with progress notifications', async () => {
    const { home, cleanup } = await tempHome();
    await seedLogin(coreFor(home, emu), emu, Date.now());
    const server = await connect({ CONFLUENCE_ADF_HOME: home, ...emu.env() });
    try {
      const fault = quotaFault(Date.now(), { path: '/ex/confluence/' });
      emu.inject(fault);
      const sent = Date.now();
      const refused = await server.client.callTool({ name: 'spaces_list', arguments: {} });
      // Retry-After counts from when the answer arrives: the pause ends at the reset plus that delay.
      const slack = 5000 + (Date.now() - sent);
      assert.equal(refused.isError, true);
      const facts = refused.structuredContent as { code: string; retryAt: string };
      assert.equal(facts.code, 'QUOTA_EXCEEDED');
      assert.ok(Math.abs(Date.parse(facts.retryAt) - Date.parse(fault.rateLimitReset!)) < slack, facts.retryAt);
      assert.match(text(refused), /hourly request quota/);
      assert.match(text(refused), /waitForQuota/);
      const before = emu.requestsTo('api', '/ex/confluence/').length;
      const again = await server.client.callTool({ name: 'spaces_list', arguments: { limit: 2 } });
      assert.equal(again.isError, true);
      assert.equal(emu.requestsTo('api', '/ex/confluence/').length, before, 'held without a request');
      const status = statusSchema.parse((await server.client.callTool({ name: 'auth_status', arguments: {} })).structuredContent);
      assert.ok(status.quota?.pausedUntil);
    } finally {
      emu.clearFaults();
      await server.close();
      await cleanup();
    }
  });

  test('waitForQuota: true holds the call until the window resets, sending progress, then answers', async () => {
    const { home, cleanup } = await tempHome();
    await seedLogin(coreFor(home, emu), emu, Date.now());
    const server = await connect({ CONFLUENCE_ADF_HOME: home, ...emu.env() });
    try {
      // Long enough that the call starts inside the window even on a loaded machine.
      emu.quota = { points: 100, windowMs: 10_000, anchor: emu.now() };
      emu.useUpQuota();
      const resetAt = emu.quotaResetAt();
      const progress: { progress: number; message?: string }[] = [];
      const result = await server.client.callTool({ name: 'spaces_list', arguments: { limit: 2, waitForQuota: true } }, { onprogress: (p) => progress.push(p) });
      assert.ok(!result.isError, text(result));
      assert.equal(spacesListSchema.parse(result.structuredContent).results.length, 2);
      assert.ok(Date.now() >= resetAt, 'answered after the reset');
      assert.ok(progress.length >= 1, 'at least one progress notification');
      assert.match(progress[0]!.message ?? '', /quota/);
    } finally {
      emu.quota = undefined;
      await server.close();
      await cleanup();
    }
  });
});
