/** Headless and CI: the two-step sign-in, export/import hand-over, bad bundles, CONFLUENCE_ACCESS_TOKEN. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtlassianEmulator } from '../emulator/server.js';
import { freePort, runCli, tempHome } from '../support/cli.js';

const emu = new AtlassianEmulator({ autoConsent: true });
before(() => emu.start());
after(() => emu.stop());

/** What a person's browser does with the URL: approve, and be sent to the (unreachable) callback. */
async function approveElsewhere(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  return response.headers.get('location')!;
}

async function setup() {
  const { home, cleanup } = await tempHome();
  const port = await freePort();
  const app = emu.registerApp({ callbackUrl: `http://localhost:${port}/oauth/callback` });
  const env = { CONFLUENCE_ADF_HOME: home, ...emu.env(app) };
  const cli = (args: string[], extra: { env?: Record<string, string | undefined>; input?: string } = {}) => runCli(args, { env: { ...env, ...extra.env }, ...(extra.input !== undefined ? { input: extra.input } : {}) });
  return { home, port, app, env, cli, cleanup };
}

describe('two-step sign-in without a terminal', () => {
  test('--no-browser saves the sign-in (sealed, 0600) and --callback-url completes it once', async () => {
    const s = await setup();
    try {
      const first = await s.cli(['auth', 'login', '--no-browser', '--callback-port', String(s.port)]);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /--callback-url/);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(first.stderr)![1]!;
      const pendingFile = path.join(s.home, 'pending-login.json');
      assert.equal((await fs.stat(pendingFile)).mode & 0o777, 0o600);
      const raw = await fs.readFile(pendingFile, 'utf8');
      assert.ok(!raw.includes(new URL(url).searchParams.get('state')!), 'the state is sealed');
      assert.ok(!raw.includes(s.app.clientSecret), 'the secret is sealed');

      const callback = await approveElsewhere(url);
      const second = await s.cli(['auth', 'login', '--callback-url', callback]);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stderr, /Signed in to acme/);
      await assert.rejects(fs.stat(pendingFile), 'the pending sign-in is gone');
      assert.equal((await s.cli(['spaces', 'list', '--limit', '1'])).code, 0);

      const repeated = await s.cli(['auth', 'login', '--callback-url', callback]);
      assert.equal(repeated.code, 1);
      assert.match(repeated.stderr, /No sign-in is waiting/);
      assert.match(repeated.stderr, /--no-browser/);
    } finally {
      await s.cleanup();
    }
  });

  test('a mismatched address is refused and the sign-in keeps waiting; a denial is reported', async () => {
    const s = await setup();
    try {
      const first = await s.cli(['auth', 'login', '--no-browser', '--callback-port', String(s.port)]);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(first.stderr)![1]!;
      const callback = new URL(await approveElsewhere(url));
      const forged = new URL(callback);
      forged.searchParams.set('state', 'someone-elses-state');
      const mismatched = await s.cli(['auth', 'login', '--callback-url', forged.toString()]);
      assert.equal(mismatched.code, 1);
      assert.match(mismatched.stderr, /different sign-in/);
      const denied = new URL(callback);
      denied.search = new URLSearchParams({ error: 'access_denied', state: callback.searchParams.get('state')! }).toString();
      assert.match((await s.cli(['auth', 'login', '--callback-url', denied.toString()])).stderr, /not approved/);

      // The denial used the sign-in up; a new one completes normally.
      const again = await s.cli(['auth', 'login', '--no-browser', '--callback-port', String(s.port)]);
      const late = await approveElsewhere(/(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(again.stderr)![1]!);
      assert.equal((await s.cli(['auth', 'login', '--callback-url', late])).code, 0);
    } finally {
      await s.cleanup();
    }
  });
});

describe('export and import', () => {
  test('login in one home, export, import into another from stdin, spaces list there; the first home stops and says where it went', async () => {
    const a = await setup();
    const { home: homeB, cleanup: cleanupB } = await tempHome();
    try {
      const login = await a.cli(['auth', 'login', '--no-browser', '--callback-port', String(a.port)]);
      const callback = await approveElsewhere(/(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(login.stderr)![1]!);
      assert.equal((await a.cli(['auth', 'login', '--callback-url', callback])).code, 0);
      const passphrase = { CONFLUENCE_ADF_PASSPHRASE: 'correct horse battery staple' };

      const exported = await a.cli(['auth', 'export'], { env: passphrase });
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stderr, /stopped using it/);
      const bundle = exported.stdout;
      assert.ok(!bundle.includes(a.app.clientSecret), 'the bundle is sealed');
      const refreshesAfterExport = emu.requests.filter((r) => r.grantType === 'refresh_token').length;

      const envB = { ...a.env, CONFLUENCE_ADF_HOME: homeB, ...passphrase, CONFLUENCE_CLIENT_ID: undefined, CONFLUENCE_CLIENT_SECRET: undefined };
      const imported = await runCli(['auth', 'import'], { env: envB, input: bundle });
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stderr, /Imported the login for acme.*it works/);
      const spaces = await runCli(['spaces', 'list', '--limit', '2'], { env: envB });
      assert.equal(spaces.code, 0, spaces.stderr);

      const statusA = await a.cli(['auth', 'status', '--json']);
      assert.equal(statusA.code, 4);
      const reportA = JSON.parse(statusA.stdout);
      assert.equal(reportA.signedIn, false);
      assert.ok(reportA.exportedAt);
      assert.match(reportA.reason, /exported to another machine/);
      const useA = await a.cli(['spaces', 'list']);
      assert.equal(useA.code, 4);
      assert.match(useA.stderr, /exported to another machine/);
      const refreshesByA = emu.requests.filter((r) => r.grantType === 'refresh_token').length - refreshesAfterExport;
      assert.equal(refreshesByA, 1, 'only the import refreshed (once, to prove the bundle)');
    } finally {
      await a.cleanup();
      await cleanupB();
    }
  });

  test('--output writes a 0600 file; --plaintext warns; a different account is not replaced without --force', async () => {
    const a = await setup();
    try {
      const login = await a.cli(['auth', 'login', '--no-browser', '--callback-port', String(a.port)]);
      await a.cli(['auth', 'login', '--callback-url', await approveElsewhere(/(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(login.stderr)![1]!)]);
      const file = path.join(a.home, 'login.bundle');
      const exported = await a.cli(['auth', 'export', '--plaintext', '--keep', '--output', file]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stderr, /unencrypted/);
      assert.match(exported.stderr, /--keep/);
      assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
      assert.equal((await a.cli(['auth', 'status', '--offline'])).code, 0, '--keep keeps it usable here');

      const other = await setup();
      const ada = emu.user;
      emu.user = { ...ada, accountId: 'acc-grace', name: 'Grace Hopper', email: 'grace@example.com' };
      try {
        const l2 = await other.cli(['auth', 'login', '--no-browser', '--callback-port', String(other.port)]);
        await other.cli(['auth', 'login', '--callback-url', await approveElsewhere(/(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(l2.stderr)![1]!)]);
        emu.user = ada;
        const refused = await other.cli(['auth', 'import', '--plaintext', file]);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /signed in as Grace Hopper on acme; the bundle is for Ada Lovelace on acme/);
        assert.match(refused.stderr, /--force/);
        assert.equal((await other.cli(['auth', 'import', '--plaintext', '--force', '--offline', file])).code, 0);
      } finally {
        emu.user = ada;
        await other.cleanup();
      }
    } finally {
      await a.cleanup();
    }
  });

  test('every bad bundle is a clear error, exit non-zero, and nothing is stored', async () => {
    const a = await setup();
    const { home: homeB, cleanup: cleanupB } = await tempHome();
    try {
      const login = await a.cli(['auth', 'login', '--no-browser', '--callback-port', String(a.port)]);
      await a.cli(['auth', 'login', '--callback-url', await approveElsewhere(/(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(login.stderr)![1]!)]);
      const bundle = (await a.cli(['auth', 'export', '--keep'], { env: { CONFLUENCE_ADF_PASSPHRASE: 'right passphrase' } })).stdout;
      const envB = { ...a.env, CONFLUENCE_ADF_HOME: homeB, CONFLUENCE_ADF_PASSPHRASE: 'right passphrase' };
      const cases: [string, string, Record<string, string>, RegExp][] = [
        ['empty', '', {}, /empty/],
        ['truncated', bundle.slice(0, bundle.length / 2), {}, /cut short/],
        ['altered', bundle.replace(/"data": "(.)/, (_m, ch: string) => `"data": "${ch === 'A' ? 'B' : 'A'}`), {}, /altered/],
        ['wrong passphrase', bundle, { CONFLUENCE_ADF_PASSPHRASE: 'wrong passphrase' }, /wrong passphrase/],
        ['unknown version', bundle.replace('"version": 1', '"version": 7'), {}, /version 7/],
        ['no passphrase and no terminal', bundle, { CONFLUENCE_ADF_PASSPHRASE: '' }, /CONFLUENCE_ADF_PASSPHRASE/],
      ];
      for (const [name, input, extra, message] of cases) {
        const r = await runCli(['auth', 'import'], { env: { ...envB, ...extra }, input });
        assert.notEqual(r.code, 0, name);
        assert.match(r.stderr, message, name);
        await assert.rejects(fs.stat(path.join(homeB, 'oauth-tokens.json')), `${name}: nothing stored`);
      }
    } finally {
      await a.cleanup();
      await cleanupB();
    }
  });
});

describe('CONFLUENCE_ACCESS_TOKEN', () => {
  test('is used as given (never stored or refreshed); status reports it; login and logout refuse while it is set', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const grant = emu.issueGrant([...emu.apps.keys()][0]!);
      const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, CONFLUENCE_ACCESS_TOKEN: grant.accessToken };
      const spaces = await runCli(['spaces', 'list', '--limit', '2'], { env });
      assert.equal(spaces.code, 0, spaces.stderr);
      const status = await runCli(['auth', 'status', '--json'], { env });
      assert.equal(status.code, 0, status.stderr);
      const report = JSON.parse(status.stdout);
      assert.equal(report.source, 'environment');
      assert.equal(report.site.cloudId, '11111111-aaaa-4bbb-8ccc-000000000001');
      assert.ok(!status.stdout.includes(grant.accessToken));
      for (const args of [['auth', 'login'], ['auth', 'logout']]) {
        const r = await runCli(args, { env });
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.stderr, /Unset CONFLUENCE_ACCESS_TOKEN/);
      }
      assert.deepEqual(await fs.readdir(home), [], 'nothing was stored');
      emu.expireAccessToken(grant.accessToken);
      const expired = await runCli(['spaces', 'list'], { env });
      assert.equal(expired.code, 4);
      assert.match(expired.stderr, /CONFLUENCE_ACCESS_TOKEN/);
    } finally {
      await cleanup();
    }
  });
});
