import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { AtlassianEmulator, type EmulatorApp } from '../emulator/server.js';
import { FAKE_BROWSER, freePort, runCli, tempHome, type CliResult } from '../support/cli.js';

const emu = new AtlassianEmulator({
  autoConsent: true,
  sites: [
    { id: 'c-acme', name: 'acme', url: 'https://acme.atlassian.net', spaceCount: 30 },
    { id: 'c-beta', name: 'beta', url: 'https://beta.atlassian.net', spaceCount: 2 },
  ],
  user: { accountId: 'acc-1', name: 'Ada Lovelace', email: 'ada@example.com', siteIds: ['c-acme'] },
});

interface Setup {
  home: string;
  port: number;
  app: EmulatorApp;
  env: Record<string, string | undefined>;
  browserLog: string;
  cli: (args: string[], extra?: { env?: Record<string, string | undefined>; input?: string }) => Promise<CliResult>;
  cleanup: () => Promise<void>;
}

async function setup(appOverrides: Partial<EmulatorApp> = {}, portForApp?: number, emulator: AtlassianEmulator = emu): Promise<Setup> {
  const { home, cleanup } = await tempHome();
  const port = await freePort();
  const app = emulator.registerApp({ callbackUrl: `http://localhost:${portForApp ?? port}/oauth/callback`, ...appOverrides });
  const browserLog = path.join(home, 'browser.json');
  const env = { CONFLUENCE_ADF_HOME: home, ...emulator.env(app), BROWSER: FAKE_BROWSER, FAKE_BROWSER_LOG: browserLog };
  return {
    home,
    port,
    app,
    env,
    browserLog,
    cli: (args, extra = {}) => runCli(args, { env: { ...env, ...extra.env }, ...(extra.input !== undefined ? { input: extra.input } : {}) }),
    cleanup,
  };
}

async function login(s: Setup, ...extra: string[]): Promise<CliResult> {
  return s.cli(['auth', 'login', '--callback-port', String(s.port), '--timeout', '20', ...extra]);
}

/** Secrets of a setup that must never reach a terminal unasked. */
function assertNoSecrets(s: Setup, ...outputs: string[]): void {
  const tokens = emu.requests.map((r) => String(r.headers.authorization ?? '').replace('Bearer ', '')).filter(Boolean);
  for (const out of outputs) {
    assert.ok(!out.includes(s.app.clientSecret), 'client secret leaked');
    for (const t of tokens) assert.ok(!out.includes(t), 'access token leaked');
    assert.ok(!/code-[A-Za-z0-9_-]{20,}/.test(out), 'authorization code leaked');
  }
}

before(() => emu.start());
after(() => emu.stop());

describe('auth login → status → spaces list → logout', () => {
  test('the whole happy path, as a user sees it', async () => {
    const s = await setup();
    try {
      const signedIn = await login(s);
      assert.equal(signedIn.code, 0, signedIn.stderr);
      assert.match(signedIn.stderr, /Signed in to acme \(https:\/\/acme\.atlassian\.net\) as Ada Lovelace/);
      // The authorize URL is printed even when the browser opens, with PKCE, state, audience and consent.
      const url = new URL(/(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(signedIn.stderr)![1]!);
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      assert.ok((url.searchParams.get('state') ?? '').length >= 32);
      assert.equal(url.searchParams.get('audience'), 'api.atlassian.com');
      assert.equal(url.searchParams.get('prompt'), 'consent');
      assert.equal(url.searchParams.get('redirect_uri'), `http://localhost:${s.port}/oauth/callback`);
      assert.ok(url.searchParams.get('scope')!.split(' ').includes('offline_access'));
      const browser = JSON.parse(await fs.readFile(s.browserLog, 'utf8')) as { status: number; page: string };
      assert.equal(browser.status, 200);
      assert.match(browser.page, /<title>Authentication Successful!<\/title>/);
      assert.match(browser.page, /window\.close\(\)/);

      const status = await s.cli(['auth', 'status', '--json']);
      assert.equal(status.code, 0, status.stderr);
      const report = JSON.parse(status.stdout);
      assert.equal(report.signedIn, true);
      assert.equal(report.site.url, 'https://acme.atlassian.net');
      assert.equal(report.site.cloudId, 'c-acme');
      assert.equal(report.account.name, 'Ada Lovelace');
      assert.equal(report.storage.backend, 'file');
      assert.equal(report.check.ok, true);
      assert.deepEqual(report.scopes.missingDefaults, []);
      assert.ok(Date.parse(report.refreshToken.idleExpiresAt) > Date.now() + 89 * 86_400_000);

      const human = await s.cli(['auth', 'status']);
      assert.equal(human.code, 0);
      assert.match(human.stdout, /Signed in to acme/);
      assert.match(human.stdout, /c-acme/);
      assert.match(human.stdout, /encrypted file \+ key file/);

      const spaces = await s.cli(['spaces', 'list', '--limit', '5']);
      assert.equal(spaces.code, 0, spaces.stderr);
      assert.equal(spaces.stdout.trim().split('\n').length, 5);
      assert.match(spaces.stderr, /--cursor \S+/);

      const before = emu.requests.filter((r) => r.path === '/oauth/revoke').length;
      const out = await s.cli(['auth', 'logout']);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stderr, /Connected apps/);
      assert.equal(emu.requests.filter((r) => r.path === '/oauth/revoke').length, before + 1, 'revocation tried once');
      assert.deepEqual((await fs.readdir(s.home)).filter((f) => f.startsWith('oauth-tokens')), []);
      const again = await s.cli(['auth', 'logout']);
      assert.equal(again.code, 0);
      assert.match(again.stderr, /not signed in/);
      const gone = await s.cli(['auth', 'status', '--json']);
      assert.equal(gone.code, 4);
      assert.equal(JSON.parse(gone.stdout).signedIn, false);
      assertNoSecrets(s, signedIn.stdout, signedIn.stderr, status.stdout, human.stdout, spaces.stdout, spaces.stderr, out.stderr);
    } finally {
      await s.cleanup();
    }
  });

  test('--client-secret-stdin reads the secret from a pipe; the client ID and secret are kept for the next login', async () => {
    const s = await setup();
    try {
      const first = await s.cli(['auth', 'login', '--callback-port', String(s.port), '--client-secret-stdin'], {
        env: { CONFLUENCE_CLIENT_SECRET: undefined },
        input: `${s.app.clientSecret}\n`,
      });
      assert.equal(first.code, 0, first.stderr);
      const second = await s.cli(['auth', 'login', '--callback-port', String(s.port)], { env: { CONFLUENCE_CLIENT_ID: undefined, CONFLUENCE_CLIENT_SECRET: undefined } });
      assert.equal(second.code, 0, second.stderr);
      assertNoSecrets(s, first.stdout, first.stderr, second.stderr);
    } finally {
      await s.cleanup();
    }
  });

  test('auth token prints only the token; auth refresh rotates it', async () => {
    const s = await setup();
    try {
      assert.equal((await login(s)).code, 0);
      const token = await s.cli(['auth', 'token']);
      assert.equal(token.code, 0);
      assert.match(token.stdout, /^at-[\w-]+\n$/);
      const refreshed = await s.cli(['auth', 'refresh', '--json']);
      assert.equal(refreshed.code, 0, refreshed.stderr);
      const after = await s.cli(['auth', 'token']);
      assert.notEqual(after.stdout, token.stdout);
    } finally {
      await s.cleanup();
    }
  });

  test('several sites: without a terminal the error lists them (exit 2); --site picks one by name', async () => {
    const s = await setup();
    emu.user.siteIds = ['c-acme', 'c-beta'];
    try {
      const ambiguous = await login(s);
      assert.equal(ambiguous.code, 2);
      assert.match(ambiguous.stderr, /acme.*https:\/\/acme\.atlassian\.net/);
      assert.match(ambiguous.stderr, /beta.*https:\/\/beta\.atlassian\.net/);
      assert.match(ambiguous.stderr, /--site/);
      const chosen = await login(s, '--site', 'beta');
      assert.equal(chosen.code, 0, chosen.stderr);
      assert.match(chosen.stderr, /Signed in to beta/);
      const spaces = await s.cli(['spaces', 'list', '--json', '--site', 'https://acme.atlassian.net']);
      assert.equal(JSON.parse(spaces.stdout).length, 25);
    } finally {
      emu.user.siteIds = ['c-acme'];
      await s.cleanup();
    }
  });
});

describe('errors a user meets, each naming the fix', () => {
  test('invalid client secret: 401 at the exchange → "rejected the client ID or client secret"', async () => {
    const s = await setup();
    try {
      const r = await s.cli(['auth', 'login', '--callback-port', String(s.port), '--timeout', '20'], { env: { CONFLUENCE_CLIENT_SECRET: 'wrong-secret' } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /rejected the client ID or client secret/);
      assert.match(r.stderr, /developer\.atlassian\.com/);
      const page = JSON.parse(await fs.readFile(s.browserLog, 'utf8')).page as string;
      assert.match(page, /Authentication failed/);
    } finally {
      await s.cleanup();
    }
  });

  test('redirect URI mismatch: Atlassian shows its error page; the timeout names the exact callback URL to register', async () => {
    const s = await setup({}, 1);
    try {
      const r = await s.cli(['auth', 'login', '--callback-port', String(s.port), '--timeout', '3']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /No answer came from the browser/);
      assert.ok(r.stderr.includes(`http://localhost:${s.port}/oauth/callback`), r.stderr);
      assert.match(JSON.parse(await fs.readFile(s.browserLog, 'utf8')).page, /redirect_uri mismatch/);
    } finally {
      await s.cleanup();
    }
  });

  test('a scope the app lacks: Atlassian shows its error page; the timeout says to add the scopes to the app', async () => {
    const s = await setup({ scopes: ['read:me', 'offline_access'] });
    try {
      const r = await s.cli(['auth', 'login', '--callback-port', String(s.port), '--timeout', '3']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /for an invalid scope add the scopes listed there to the app/);
      assert.match(JSON.parse(await fs.readFile(s.browserLog, 'utf8')).page, /Invalid scope/);
    } finally {
      await s.cleanup();
    }
  });

  test('missing scope: a login without read:space:confluence, then spaces list names the scope', async () => {
    const s = await setup();
    try {
      assert.equal((await login(s, '--scopes', 'read:me read:confluence-user')).code, 0);
      const status = JSON.parse((await s.cli(['auth', 'status', '--json'])).stdout);
      assert.ok(status.scopes.missingDefaults.includes('read:space:confluence'));
      const r = await s.cli(['spaces', 'list']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Missing scope read:space:confluence/);
      assert.match(r.stderr, /Developer Console.*auth login/);
    } finally {
      await s.cleanup();
    }
  });

  test('no site access: an empty accessible-resources says so and nothing is stored', async () => {
    const s = await setup();
    emu.user.siteIds = [];
    try {
      const r = await login(s);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cannot reach any Confluence site/);
      assert.match(r.stderr, /site admin/);
      assert.equal((await s.cli(['auth', 'status', '--offline'])).code, 4);
    } finally {
      emu.user.siteIds = ['c-acme'];
      await s.cleanup();
    }
  });

  test('the browser does not open: it says so, and the URL to open is printed', async () => {
    const s = await setup();
    try {
      const r = await s.cli(['auth', 'login', '--callback-port', String(s.port), '--timeout', '2'], { env: { BROWSER: '/nonexistent/browser' } });
      assert.match(r.stderr, /No browser could be opened/);
      assert.match(r.stderr, /http:\/\/127\.0\.0\.1:\d+\/authorize\?/);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /--timeout/);
    } finally {
      await s.cleanup();
    }
  });

  test('--no-browser only prints the URL and the ssh -L alternative', async () => {
    const s = await setup();
    try {
      const r = await s.cli(['auth', 'login', '--no-browser', '--callback-port', String(s.port), '--timeout', '1']);
      assert.match(r.stderr, /ssh -L \d+:localhost:\d+/);
      await assert.rejects(fs.stat(s.browserLog), 'the browser was not started');
    } finally {
      await s.cleanup();
    }
  });

  test('callback port in use: names the port and the flag', async () => {
    const s = await setup();
    const blocker = net.createServer().listen(s.port, '127.0.0.1');
    try {
      await new Promise((resolve) => blocker.once('listening', resolve));
      const r = await login(s);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`Port ${s.port} .*in use`));
      assert.match(r.stderr, /--callback-port/);
    } finally {
      blocker.close();
      await s.cleanup();
    }
  });

  test('consent denied in the browser', async () => {
    const s = await setup();
    emu.autoConsent = false;
    try {
      const r = await s.cli(['auth', 'login', '--callback-port', String(s.port), '--timeout', '20'], { env: { FAKE_BROWSER_DECISION: 'deny' } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /not approved/);
      assert.match(r.stderr, /Accept/);
    } finally {
      emu.autoConsent = true;
      await s.cleanup();
    }
  });

  test('tokens revoked at Atlassian: status, spaces list and auth token exit 4 with the login hint', async () => {
    const s = await setup();
    try {
      assert.equal((await login(s)).code, 0);
      const token = (await s.cli(['auth', 'token'])).stdout.trim();
      emu.expireAccessToken(token);
      emu.revokeAll();
      const status = await s.cli(['auth', 'status']);
      assert.equal(status.code, 4, status.stdout + status.stderr);
      assert.match(status.stdout, /session has ended/);
      for (const args of [['spaces', 'list'], ['auth', 'token']]) {
        const r = await s.cli(args);
        assert.equal(r.code, 4, args.join(' '));
        assert.match(r.stderr, /confluence-adf auth login/);
      }
      const offline = JSON.parse((await s.cli(['auth', 'status', '--json', '--offline'])).stdout);
      assert.equal(offline.signedIn, false, 'dead tokens were dropped');
      assert.equal(offline.clientId, s.app.clientId, 'the client ID was kept');
    } finally {
      await s.cleanup();
    }
  });

  test('Atlassian unreachable: exit 1, reported as a network failure, not as signed out; tokens kept', async () => {
    // Its own Atlassian, taken down after the login: the stored service URLs stay those of the login.
    const gone = await new AtlassianEmulator().start();
    const s = await setup({}, undefined, gone);
    try {
      assert.equal((await login(s)).code, 0);
      await gone.stop();
      const tokenFile = await fs.readFile(path.join(s.home, 'oauth-tokens.json'), 'utf8');
      const r = await s.cli(['auth', 'status', '--json']);
      assert.equal(r.code, 1);
      const report = JSON.parse(r.stdout);
      assert.equal(report.signedIn, true);
      assert.equal(report.check.code, 'NETWORK');
      assert.equal(await fs.readFile(path.join(s.home, 'oauth-tokens.json'), 'utf8'), tokenFile);
      assert.equal((await s.cli(['auth', 'status', '--offline'])).code, 0);
    } finally {
      await s.cleanup();
    }
  });

  test('usage errors exit 2 and name the flag or variable: no client ID, a bad port, plain http to a remote host', async () => {
    const s = await setup();
    try {
      const noId = await s.cli(['auth', 'login'], { env: { CONFLUENCE_CLIENT_ID: undefined } });
      assert.equal(noId.code, 2);
      assert.match(noId.stderr, /--client-id or set CONFLUENCE_CLIENT_ID/);
      const badPort = await s.cli(['auth', 'login', '--callback-port', '99999']);
      assert.equal(badPort.code, 2);
      assert.match(badPort.stderr, /--callback-port/);
      const insecure = await s.cli(['auth', 'login'], { env: { CONFLUENCE_ADF_AUTH_URL: 'http://auth.example.com' } });
      assert.equal(insecure.code, 1);
      assert.match(insecure.stderr, /must use https/);
      const typo = await s.cli(['auth', 'logn']);
      assert.equal(typo.code, 2);
      assert.match(typo.stderr, /Did you mean login\?/);
    } finally {
      await s.cleanup();
    }
  });
});
