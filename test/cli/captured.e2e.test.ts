/**
 * The built CLI against the emulator configured like captured Atlassian responses: a site listed once
 * per product, a Jira-only site, `557058:` account ids, scope failures without X-Failure-Category,
 * the seven space types and 10-digit space ids.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AtlassianEmulator } from '../emulator/server.js';
import { FAKE_BROWSER, freePort, runCli, tempHome } from '../support/cli.js';

const ACCOUNT = '557058:f5e6a7b8-1c2d-4e3f-9a0b-1c2d3e4f5a6b';
const emu = new AtlassianEmulator({
  autoConsent: true,
  sites: [{ id: 'c-acme', name: 'acme', url: 'https://acme.atlassian.net', spaceCount: 40 }],
  user: { accountId: ACCOUNT, name: 'Ada Lovelace', email: 'ada@example.com', siteIds: ['c-acme'] },
  entryPerProduct: true,
  extraResources: [{ id: 'j-only', name: 'jira-only', url: 'https://jira-only.atlassian.net', scopes: ['read:jira-work', 'read:jira-user'] }],
  scopeFailureHeader: false,
  spaceIdBase: 1_933_180_000,
});
before(() => emu.start());
after(() => emu.stop());

/** A fresh home and an app whose callback URL matches a free port (unless given); `cli` runs the built CLI there. */
async function freshLogin(...extra: string[]) {
  const { home, cleanup } = await tempHome();
  const port = await freePort();
  const registered = extra[0] === '--registered' ? extra.splice(0, 2)[1]! : `http://localhost:${port}/oauth/callback`;
  const app = emu.registerApp({ callbackUrl: registered });
  const env = { CONFLUENCE_ADF_HOME: home, ...emu.env(app), BROWSER: FAKE_BROWSER };
  const cli = (args: string[]) => runCli(args, { env });
  const login = await cli(['auth', 'login', '--callback-port', String(port), '--timeout', '20', ...extra]);
  return { home, cli, login, cleanup };
}

describe('login with captured accessible-resources and /me', () => {
  test('one site listed once per product, plus a Jira-only site: login picks the one Confluence site without asking', async () => {
    const s = await freshLogin();
    try {
      assert.equal(s.login.code, 0, s.login.stderr);
      assert.match(s.login.stderr, /Signed in to acme \(https:\/\/acme\.atlassian\.net\) as Ada Lovelace/);
      assert.doesNotMatch(s.login.stderr, /2 sites|3 sites|jira-only/);
      const status = await s.cli(['auth', 'status', '--json']);
      const report = JSON.parse(status.stdout) as { sites: { cloudId: string }[]; account: { accountId: string } };
      assert.deepEqual(report.sites.map((x) => x.cloudId), ['c-acme']);
      assert.equal(report.account.accountId, ACCOUNT);
    } finally {
      await s.cleanup();
    }
  });

  test('/me without read:me answers a scope failure with no X-Failure-Category: no refresh, and the login still succeeds', async () => {
    const refreshes = emu.stats.refreshes;
    const s = await freshLogin('--scopes', 'read:space:confluence read:confluence-space.summary');
    try {
      assert.equal(s.login.code, 0, s.login.stderr);
      const me = emu.requestsTo('api', '/me').at(-1)!;
      assert.equal(me.status, 401, 'the gateway refused /me for its scope');
      assert.equal(emu.stats.refreshes, refreshes, 'a scope failure is never answered with a refresh');
      const report = JSON.parse((await s.cli(['auth', 'status', '--json'])).stdout) as { account?: unknown; check: { ok: boolean } };
      assert.equal(report.account, undefined);
      assert.equal(report.check.ok, true);
    } finally {
      await s.cleanup();
    }
  });

  test('a command without its scope, and no X-Failure-Category: "missing scope" with the fix, not "log in again"', async () => {
    const s = await freshLogin('--scopes', 'read:me');
    try {
      assert.equal(s.login.code, 0, s.login.stderr);
      const refreshes = emu.stats.refreshes;
      const r = await s.cli(['spaces', 'list']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /Missing scope read:space:confluence/);
      assert.match(r.stderr, /Developer Console/);
      assert.equal(emu.stats.refreshes, refreshes);
    } finally {
      await s.cleanup();
    }
  });
});

describe('a callback URL that does not match, caught only at the code exchange', () => {
  test('the hint names the exact callback URL to register, though Atlassian\'s answer never says "redirect"', async () => {
    emu.redirectMismatchAt = 'exchange';
    const s = await freshLogin('--registered', 'http://127.0.0.1:9/oauth/callback');
    try {
      assert.equal(s.login.code, 1, s.login.stderr);
      const port = /redirect_uri=http%3A%2F%2Flocalhost%3A(\d+)/.exec(s.login.stderr)![1]!;
      assert.match(s.login.stderr, /Atlassian refused the sign-in code \(Invalid authorization code\)/);
      assert.ok(s.login.stderr.includes(`is exactly http://localhost:${port}/oauth/callback, character for character`), s.login.stderr);
    } finally {
      emu.redirectMismatchAt = 'authorize';
      await s.cleanup();
    }
  });
});

describe('spaces as captured', () => {
  test('the rarer types (onboarding, system, xflow_sample_space) are accepted, one per request; ids are 10 digits; every page arrives', async () => {
    const s = await freshLogin();
    try {
      for (const type of ['onboarding', 'system', 'xflow_sample_space']) {
        const r = await s.cli(['spaces', 'list', '--type', type, '--json']);
        assert.equal(r.code, 0, r.stderr);
        const spaces = JSON.parse(r.stdout) as { id: string; type: string }[];
        assert.ok(spaces.length > 0 && spaces.every((x) => x.type === type && /^\d{10}$/.test(x.id)), `${type}: ${r.stdout}`);
      }
      const sent = emu.requestsTo('api', '/ex/confluence/').slice(-3);
      assert.ok(sent.every((q) => q.query.getAll('type').length === 1));
      const all = await s.cli(['spaces', 'list', '--all', '--limit', '7', '--json']);
      assert.equal(all.code, 0, all.stderr);
      assert.equal(new Set((JSON.parse(all.stdout) as { id: string }[]).map((x) => x.id)).size, 40);
    } finally {
      await s.cleanup();
    }
  });
});
