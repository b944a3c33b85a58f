/**
 * The leak scan: every command and MCP tool, with --verbose and --debug, through error paths, with
 * distinctive secrets. No token, client secret, code or PKCE verifier may appear in any stdout,
 * stderr, log file or MCP message, except the stdout of `auth token` and `auth export --plaintext`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { AtlassianEmulator } from '../emulator/server.js';
import { BIN, FAKE_BROWSER, freePort, runCli, tempHome } from '../support/cli.js';

const emu = new AtlassianEmulator({ autoConsent: true });
before(() => emu.start());
after(() => emu.stop());

const CLIENT_SECRET = 'cs-LEAKCANARY-5e1f0c2a9b7d4e3f';
const WRONG_SECRET = 'cs-WRONG-LEAKCANARY-8a6b4c2d';
const PASSPHRASE = 'pp-LEAKCANARY-passphrase';

test('no secret reaches any output it was not asked for', async (t) => {
  const { home, cleanup } = await tempHome();
  const { home: home2, cleanup: cleanup2 } = await tempHome();
  const port = await freePort();
  const app = emu.registerApp({ callbackUrl: `http://localhost:${port}/oauth/callback`, clientSecret: CLIENT_SECRET });
  const env = { CONFLUENCE_ADF_HOME: home, ...emu.env(app), BROWSER: FAKE_BROWSER, CONFLUENCE_ADF_PASSPHRASE: PASSPHRASE };
  const outputs: { what: string; text: string }[] = [];
  const cli = async (args: string[], extra: Record<string, string | undefined> = {}, input?: string, allowStdout = false) => {
    const r = await runCli(args, { env: { ...env, ...extra }, ...(input !== undefined ? { input } : {}) });
    outputs.push({ what: `${args.join(' ')} (stderr)`, text: r.stderr });
    if (!allowStdout) outputs.push({ what: `${args.join(' ')} (stdout)`, text: r.stdout });
    return r;
  };
  const logFile = path.join(home, 'mcp.log');
  try {
    // Error paths before and around a login.
    await cli(['--verbose', '--debug', 'auth', 'login', '--callback-port', String(port), '--timeout', '20'], { CONFLUENCE_CLIENT_SECRET: WRONG_SECRET });
    await cli(['--debug', 'auth', 'login', '--client-secret-stdin', '--callback-port', String(port)], { CONFLUENCE_CLIENT_SECRET: undefined }, `${CLIENT_SECRET}\n`);
    for (const args of [
      ['--verbose', '--debug', 'auth', 'status'],
      ['--verbose', 'auth', 'status', '--json'],
      ['--verbose', '--debug', 'spaces', 'list', '--all', '--json'],
      ['--verbose', 'auth', 'refresh', '--json'],
      ['--verbose', '--debug', 'spaces', 'list', '--site', 'nowhere'],
    ]) {
      await cli(args);
    }
    await cli(['auth', 'token'], {}, undefined, true);
    emu.inject({ kind: 'malformed', path: '/ex/confluence' });
    await cli(['--verbose', '--debug', 'spaces', 'list']);
    await cli(['--verbose', '--debug', 'auth', 'status'], { CONFLUENCE_ADF_API_URL: 'http://127.0.0.1:9' });
    await cli(['--debug', 'auth', 'export', '--keep']);
    await cli(['--debug', 'auth', 'export', '--keep', '--plaintext'], {}, undefined, true);
    const bundle = (await runCli(['auth', 'export', '--keep'], { env })).stdout;
    await cli(['--verbose', '--debug', 'auth', 'import'], { CONFLUENCE_ADF_HOME: home2, CONFLUENCE_ADF_PASSPHRASE: 'wrong' }, bundle);
    await cli(['--verbose', '--debug', 'auth', 'import'], { CONFLUENCE_ADF_HOME: home2 }, bundle);
    // The refusals the security review added: a plaintext bundle without --plaintext, an account
    // conflict found by the proving refresh, a short passphrase, a login sent nowhere else.
    const plain = (await runCli(['auth', 'export', '--keep', '--plaintext'], { env })).stdout;
    await cli(['--verbose', '--debug', 'auth', 'import'], { CONFLUENCE_ADF_HOME: home2 }, plain);
    await cli(['--verbose', '--debug', 'auth', 'import', '--plaintext', '--offline'], { CONFLUENCE_ADF_HOME: home2 }, plain);
    await cli(['--debug', 'auth', 'export', '--keep'], { CONFLUENCE_ADF_PASSPHRASE: 'short' });
    await cli(['--verbose', '--debug', 'spaces', 'list'], { CONFLUENCE_ADF_AUTH_URL: 'http://127.0.0.1:9' });
    await cli(['--verbose', '--debug', 'auth', 'login', '--no-browser', '--callback-port', String(port)], { CONFLUENCE_ADF_HOME: home2 });
    await cli(['--debug', 'auth', 'login', '--callback-url', `http://localhost:${port}/oauth/callback?code=forged&state=forged`], { CONFLUENCE_ADF_HOME: home2 });

    // The MCP server, every tool, with a log file.
    const client = new Client({ name: 'leaks', version: '1' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, '--verbose', '--debug', 'serve', '--mcp', '--log-file', logFile],
      env: { PATH: process.env.PATH!, ...env, CONFLUENCE_ADF_CALLBACK_PORT: String(port) } as Record<string, string>,
      stderr: 'pipe',
    });
    let serverStderr = '';
    transport.stderr?.on('data', (d: Buffer) => (serverStderr += d));
    await client.connect(transport);
    const messages: unknown[] = [];
    for (const [name, args] of [
      ['auth_status', {}],
      ['spaces_list', { limit: 3 }],
      ['spaces_list', { site: 'nowhere' }],
      ['auth_login_start', {}],
      ['auth_login_complete', { timeoutSeconds: 20 }],
      ['auth_status', { offline: true }],
      ['auth_logout', {}],
      ['spaces_list', {}],
      ['auth_login_complete', { timeoutSeconds: 1 }],
    ] as const) {
      messages.push(await client.callTool({ name, arguments: args }, { onprogress: (p) => messages.push(p) }));
    }
    await client.close();
    outputs.push({ what: 'MCP results', text: JSON.stringify(messages) }, { what: 'MCP stderr', text: serverStderr }, { what: 'MCP log file', text: await fs.readFile(logFile, 'utf8') });
    await cli(['--verbose', '--debug', 'auth', 'logout']);

    // Every secret there was: issued tokens and codes, client secrets, PKCE verifiers, the passphrase.
    const secrets = new Set<string>([...emu.issued, CLIENT_SECRET, WRONG_SECRET, PASSPHRASE]);
    for (const request of emu.requests) for (const key of ['code_verifier', 'refresh_token', 'code', 'client_secret'] as const) if (request.body?.[key]) secrets.add(request.body[key]);
    assert.ok(secrets.size >= 12, `only ${secrets.size} secrets collected`);
    let checks = 0;
    const leaks: string[] = [];
    for (const output of outputs) {
      for (const secret of secrets) {
        checks++;
        if (secret.length >= 12 && output.text.includes(secret)) leaks.push(`${output.what} contains ${secret.slice(0, 6)}…`);
      }
    }
    t.diagnostic(`leak scan: ${outputs.length} outputs × ${secrets.size} secrets = ${checks} checks, ${leaks.length} leaks`);
    assert.deepEqual(leaks, []);
  } finally {
    await cleanup();
    await cleanup2();
  }
});
