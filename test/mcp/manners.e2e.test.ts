/** What an assistant sees from `serve --mcp`: cancellation honoured, waits under the client's timeout, hints in its own terms. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { AtlassianEmulator } from '../emulator/server.js';
import { BIN, freePort, tempHome } from '../support/cli.js';
import { signedInHome } from '../support/core.js';
import { statusSchema } from '../../src/mcp/schemas.js';

const emu = new AtlassianEmulator();
before(() => emu.start());
after(() => emu.stop());

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: unknown };

/** The server driven by hand over stdio, to see every frame it sends (a client library hides some). */
async function rawServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'serve', '--mcp'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
  const frames: { at: number; message: Message }[] = [];
  const waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Message;
    frames.push({ at: Date.now(), message });
    for (const w of waiters.filter((w) => w.match(message))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message);
    }
  });
  const send = (message: Record<string, unknown>) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const next = (match: (m: Message) => boolean) =>
    new Promise<Message>((resolve) => {
      const seen = frames.find((f) => match(f.message));
      if (seen) resolve(seen.message);
      else waiters.push({ match, resolve });
    });
  let id = 0;
  const request = async (method: string, params: Record<string, unknown>) => {
    const mine = ++id;
    send({ id: mine, method, params });
    return next((m) => m.id === mine && m.method === undefined);
  };
  const initialized = await request('initialize', { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
  send({ method: 'notifications/initialized' });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { frames, send, next, request, initialized, nextId: () => ++id, close: () => child.stdin.end(), exited };
}

async function connect(env: Record<string, string>) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--mcp'], env: { PATH: process.env.PATH!, ...env }, stderr: 'ignore' });
  const client = new Client({ name: 'manners', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

type Result = Awaited<ReturnType<Client['callTool']>>;
const text = (r: Result) => (r.content as { type: string; text: string }[]).map((c) => c.text).join('\n');

describe('waiting for the user', () => {
  test('cancelling auth_login_complete stops its wait and its progress; a bare call waits 45 s, under the 60 s client timeout', async () => {
    const { home, cleanup } = await tempHome();
    const server = await rawServer({ CONFLUENCE_ADF_HOME: home, ...emu.env(), CONFLUENCE_ADF_CALLBACK_PORT: String(await freePort()), BROWSER: 'true' });
    try {
      const start = await server.request('tools/call', { name: 'auth_login_start', arguments: {} });
      assert.ok(!start.result?.isError, JSON.stringify(start));
      const id = server.nextId();
      server.send({ id, method: 'tools/call', params: { name: 'auth_login_complete', arguments: {}, _meta: { progressToken: 'wait' } } });
      const first = await server.next((m) => m.method === 'notifications/progress' && m.params?.progressToken === 'wait');
      assert.equal(first.params!.total, 45, 'the default wait is 45 s');
      server.send({ method: 'notifications/cancelled', params: { requestId: id, reason: 'the user gave up' } });
      const cancelledAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const late = server.frames.filter((f) => f.at > cancelledAt + 300 && f.message.method === 'notifications/progress');
      assert.deepEqual(late, [], 'no progress after the cancel');
      // The sign-in itself is still open: the next call waits on it again.
      const again = await server.request('tools/call', { name: 'auth_login_complete', arguments: { timeoutSeconds: 1 } });
      assert.match(JSON.stringify(again.result), /LOGIN_TIMEOUT/);
    } finally {
      server.close();
      await cleanup();
    }
  });

  test('cancelling spaces_list while it waits for a quota reset stops the wait: nothing is sent after the reset', async () => {
    const s = await signedInHome(emu);
    const server = await rawServer(s.env);
    try {
      emu.quota = { points: 100, windowMs: 4000, anchor: emu.now() };
      emu.useUpQuota();
      const resetAt = emu.quotaResetAt();
      const id = server.nextId();
      server.send({ id, method: 'tools/call', params: { name: 'spaces_list', arguments: { limit: 2, waitForQuota: true }, _meta: { progressToken: 'quota' } } });
      await server.next((m) => m.method === 'notifications/progress' && m.params?.progressToken === 'quota');
      server.send({ method: 'notifications/cancelled', params: { requestId: id, reason: 'the user moved on' } });
      const sentBefore = emu.requestsTo('api', '/ex/confluence/').length;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, resetAt - Date.now()) + 2500));
      assert.equal(emu.requestsTo('api', '/ex/confluence/').length, sentBefore, 'the cancelled call sent nothing after the reset');
    } finally {
      emu.quota = undefined;
      server.close();
      await s.cleanup();
    }
  });

  test('the tool description says the call can be repeated', async () => {
    const { home, cleanup } = await tempHome();
    const client = await connect({ CONFLUENCE_ADF_HOME: home, ...emu.env() });
    try {
      const { tools } = await client.listTools();
      const complete = tools.find((t) => t.name === 'auth_login_complete')!;
      assert.match(complete.description!, /default 45\b/);
      assert.match(complete.description!, /call this again/);
    } finally {
      await client.close();
      await cleanup();
    }
  });
});

describe('what the server promises', () => {
  test('an open `subscriptions/listen` does not hold the server up when the client closes stdin', async () => {
    const { env, cleanup } = await signedInHome(emu);
    try {
      const child = spawn(process.execPath, [BIN, 'serve', '--mcp'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
      const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' } };
      const lines = createInterface({ input: child.stdout });
      const acknowledged = new Promise<void>((resolve) => lines.on('line', (line) => (/subscriptions\/acknowledged/.test(line) ? resolve() : undefined)));
      const send = (message: Record<string, unknown>) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
      send({ id: 1, method: 'server/discover', params: { _meta: meta } });
      send({ id: 2, method: 'subscriptions/listen', params: { _meta: meta, notifications: { toolsListChanged: true } } });
      await acknowledged;
      const closedAt = Date.now();
      child.stdin.end();
      const code = await new Promise((resolve) => child.on('close', resolve));
      assert.equal(code, 0);
      assert.ok(Date.now() - closedAt < 5000, `exited ${Date.now() - closedAt} ms after stdin closed`);
    } finally {
      await cleanup();
    }
  });

  test('calls still running when the client closes stdin are answered before the server exits', async () => {
    const { env, cleanup } = await signedInHome(emu);
    try {
      const server = await rawServer(env);
      emu.inject({ kind: 'slow', delayMs: 800, path: '/ex/confluence' });
      const ids = [server.nextId(), server.nextId()];
      server.send({ id: ids[0], method: 'tools/call', params: { name: 'spaces_list', arguments: {} } });
      server.send({ id: ids[1], method: 'tools/call', params: { name: 'auth_status', arguments: {} } });
      server.close();
      assert.equal(await server.exited, 0);
      for (const id of ids) {
        const answer = server.frames.find((f) => f.message.id === id && f.message.method === undefined)?.message;
        assert.ok(answer?.result, `call ${id} answered: ${JSON.stringify(server.frames.map((f) => f.message))}`);
        assert.notEqual(answer.result.isError, true, JSON.stringify(answer.result));
      }
    } finally {
      await cleanup();
    }
  });


  test('tools.listChanged is not advertised, since the list never changes', async () => {
    const { home, cleanup } = await tempHome();
    const server = await rawServer({ CONFLUENCE_ADF_HOME: home });
    try {
      const capabilities = server.initialized.result!.capabilities as { tools?: { listChanged?: boolean } };
      assert.ok(capabilities.tools, 'tools are offered');
      assert.notEqual(capabilities.tools.listChanged, true);
    } finally {
      server.close();
      await cleanup();
    }
  });

  test('an unknown argument is refused, not silently dropped', async () => {
    const { env, cleanup } = await signedInHome(emu);
    const client = await connect(env);
    try {
      for (const [name, args] of [['spaces_list', { limt: 5 }], ['auth_status', { ofline: true }], ['auth_logout', { all: true }], ['auth_login_complete', { timeout: 5 }]] as const) {
        const r = await client.callTool({ name, arguments: args }).catch((error: Error) => ({ isError: true, content: [{ type: 'text', text: error.message }] }) as Result);
        assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}: ${text(r)}`);
        assert.match(text(r), new RegExp(Object.keys(args)[0]!), name);
      }
      assert.equal(statusSchema.parse((await client.callTool({ name: 'auth_status', arguments: { offline: true } })).structuredContent).signedIn, true, 'still signed in');
    } finally {
      await client.close();
      await cleanup();
    }
  });
});

describe('hints an assistant can follow', () => {
  test('with an expired CONFLUENCE_ACCESS_TOKEN, spaces_list says to replace the token, not to call auth_login_start (which refuses)', async () => {
    const { home, cleanup } = await tempHome();
    const client = await connect({ CONFLUENCE_ADF_HOME: home, ...emu.env(), CONFLUENCE_ACCESS_TOKEN: 'expired-or-made-up' });
    try {
      const r = await client.callTool({ name: 'spaces_list', arguments: {} });
      assert.equal(r.isError, true);
      assert.match(text(r), /CONFLUENCE_ACCESS_TOKEN/);
      assert.doesNotMatch(text(r), /auth_login_start/);
    } finally {
      await client.close();
      await cleanup();
    }
  });

  test('hints name tools and tool arguments, never CLI flags', async () => {
    const { env, cleanup } = await signedInHome(emu);
    const client = await connect(env);
    try {
      const wrongSite = await client.callTool({ name: 'spaces_list', arguments: { site: 'nowhere' } });
      assert.equal(wrongSite.isError, true);
      assert.match(text(wrongSite), /site argument/);
      const badCursor = await client.callTool({ name: 'spaces_list', arguments: { cursor: 'not-a-cursor' } });
      assert.equal(badCursor.isError, true);
      assert.match(text(badCursor), /nextCursor/);
      assert.match(text(badCursor), /leave cursor out/);
      await client.callTool({ name: 'auth_logout', arguments: {} });
      const signedOut = await client.callTool({ name: 'spaces_list', arguments: {} });
      assert.match(text(signedOut), /auth_login_start/);
      for (const r of [wrongSite, badCursor, signedOut]) assert.doesNotMatch(text(r), /(^|\s)--[a-z]/m, text(r));
    } finally {
      await client.close();
      await cleanup();
    }
  });

  test('a damaged store is reported as damaged, and "not signed in" is said once', async () => {
    const s = await signedInHome(emu);
    const client = await connect(s.env);
    try {
      const file = path.join(s.home, 'oauth-tokens.json');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).slice(0, 200));
      const damaged = await client.callTool({ name: 'auth_status', arguments: {} });
      assert.match(text(damaged), /is damaged/);
      assert.doesNotMatch(text(damaged), /Not signed in/);
      await fs.rm(file);
      const none = text(await client.callTool({ name: 'auth_status', arguments: {} }));
      assert.equal(none.match(/not signed in/gi)?.length ?? 0, 1, none);
      assert.match(none, /auth_login_start/);
    } finally {
      await client.close();
      await s.cleanup();
    }
  });

  test('a failed check reads as one sentence: no doubled full stop', async () => {
    const gone = await new AtlassianEmulator().start();
    const s = await signedInHome(gone);
    await gone.stop();
    const client = await connect({ ...s.env, CONFLUENCE_ADF_TIMEOUT: '2' });
    try {
      const r = text(await client.callTool({ name: 'auth_status', arguments: {} }));
      assert.match(r, /could not be reached/);
      assert.doesNotMatch(r, /\.\./, r);
    } finally {
      await client.close();
      await s.cleanup();
    }
  });
});
