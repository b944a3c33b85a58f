/**
 * Finding 1 of the security review: the readable part of the token file steered where the secrets
 * went. Editing `record.authUrl`/`apiUrl` made `spaces list` send the bearer token, and `auth refresh`
 * the refresh token and client secret, to another server. Now the readable part is bound into the
 * seal, requests go where the configuration says, and an edited file is refused before any request.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtlassianEmulator, DEFAULT_APP, DEFAULT_SITES } from '../emulator/server.js';
import { runCli, tempHome } from '../support/cli.js';
import { coreFor, seedLogin } from '../support/core.js';
import { seal } from '../../src/core/store/seal.js';
import type { StoredLogin } from '../../src/core/store/token-store.js';

const emu = new AtlassianEmulator();
/** The attacker's server: it records whatever reaches it. */
const rogue = new AtlassianEmulator();
before(() => Promise.all([emu.start(), rogue.start()]));
after(() => Promise.all([emu.stop(), rogue.stop()]));

/** What the configuration of a person without overrides says: Atlassian itself. */
const ATLASSIAN = { CONFLUENCE_ADF_AUTH_URL: undefined, CONFLUENCE_ADF_API_URL: undefined };

async function editRecord(home: string, edit: (record: Record<string, unknown>) => void): Promise<void> {
  const file = path.join(home, 'oauth-tokens.json');
  const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as { record: Record<string, unknown> };
  edit(parsed.record);
  await fs.writeFile(file, JSON.stringify(parsed, null, 2));
}

/** A version 1 token file, as confluence-adf wrote it before the readable part was sealed in. */
async function writeV1File(home: string, login: StoredLogin): Promise<void> {
  const key = crypto.randomBytes(32);
  await fs.writeFile(path.join(home, 'oauth-tokens.key'), key.toString('base64') + '\n', { mode: 0o600 });
  const file = { format: 'confluence-adf/tokens', version: 1, keyLocation: 'file', record: login.record, secrets: seal(key, JSON.stringify(login.secrets), 'confluence-adf/tokens/v1') };
  await fs.writeFile(path.join(home, 'oauth-tokens.json'), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
}

function loginAgainst(urls: { authUrl: string; apiUrl: string }, grant: { accessToken: string; refreshToken: string }): StoredLogin {
  const now = Date.now();
  const site = DEFAULT_SITES[0]!;
  return {
    record: {
      clientId: DEFAULT_APP.clientId,
      ...urls,
      callbackPort: 9000,
      site: { cloudId: site.id, name: site.name, url: site.url },
      sites: [{ cloudId: site.id, name: site.name, url: site.url }],
      scopes: [...DEFAULT_APP.scopes],
      requestedScopes: [...DEFAULT_APP.scopes],
      accessTokenExpiresAt: now + 3600_000,
      refreshTokenIssuedAt: now,
      consentAt: now,
      updatedAt: now,
    },
    secrets: { ...grant, clientSecret: DEFAULT_APP.clientSecret },
  };
}

describe('the readable part of the token file', () => {
  test('URLs edited to another server: every command refuses the file, and nothing reaches that server or any other', async () => {
    const { home, cleanup } = await tempHome();
    try {
      // A login made against Atlassian (no overrides), then its readable part pointed at the rogue server.
      const core = coreFor(home, undefined);
      await core.store.write(loginAgainst({ authUrl: 'https://auth.atlassian.com', apiUrl: 'https://api.atlassian.com' }, emu.issueGrant(DEFAULT_APP.clientId)));
      await editRecord(home, (record) => {
        record.authUrl = rogue.authUrl;
        record.apiUrl = rogue.apiUrl;
      });
      const before = rogue.requests.length;
      for (const args of [['spaces', 'list'], ['auth', 'refresh'], ['auth', 'status'], ['auth', 'token'], ['auth', 'logout']]) {
        const r = await runCli(args, { env: { CONFLUENCE_ADF_HOME: home, ...ATLASSIAN } });
        // Signing out still removes the local copies; it only sends nothing.
        if (args[1] !== 'logout') assert.notEqual(r.code, 0, `${args.join(' ')} refused: ${r.stdout}${r.stderr}`);
        if (args[1] !== 'logout') assert.match(r.stdout + r.stderr, /seal does not match its readable part \(the URLs, site or client ID were edited\)/, args.join(' '));
        assert.equal(rogue.requests.length, before, `${args.join(' ')} sent nothing to the rogue server`);
      }
    } finally {
      await cleanup();
    }
  });

  test('the site or client ID edited: refused as well, with the file kept for a look', async () => {
    const { home, cleanup } = await tempHome();
    try {
      await seedLogin(coreFor(home, emu), emu, Date.now());
      const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl };
      assert.equal((await runCli(['spaces', 'list', '--limit', '1'], { env })).code, 0);
      await editRecord(home, (record) => void ((record.site as Record<string, unknown>).cloudId = 'cloud-of-the-attackers-choice'));
      const edited = await fs.readFile(path.join(home, 'oauth-tokens.json'), 'utf8');
      const apiBefore = emu.requests.length;
      const r = await runCli(['spaces', 'list', '--limit', '1'], { env });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /were edited/);
      assert.match(r.stderr, /auth login/);
      assert.equal(emu.requests.length, apiBefore, 'no request was sent');
      assert.equal(await fs.readFile(path.join(home, 'oauth-tokens.json'), 'utf8'), edited, 'the file is kept as it was');
    } finally {
      await cleanup();
    }
  });

  test('a login made against one server is not sent to another one configured later', async () => {
    const { home, cleanup } = await tempHome();
    try {
      await seedLogin(coreFor(home, emu), emu, Date.now());
      const before = rogue.requests.length;
      const r = await runCli(['spaces', 'list'], { env: { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: rogue.authUrl, CONFLUENCE_ADF_API_URL: rogue.apiUrl } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`This login was made against ${emu.authUrl}, but CONFLUENCE_ADF_AUTH_URL now points at ${rogue.authUrl}`));
      assert.equal(rogue.requests.length, before);
    } finally {
      await cleanup();
    }
  });

  test('an old (version 1) file is read, works, and is rewritten in the new form with the same tokens', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const login = loginAgainst({ authUrl: emu.authUrl, apiUrl: emu.apiUrl }, emu.issueGrant(DEFAULT_APP.clientId));
      await writeV1File(home, login);
      const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl };
      const r = await runCli(['spaces', 'list', '--limit', '1'], { env });
      assert.equal(r.code, 0, r.stderr);
      const file = JSON.parse(await fs.readFile(path.join(home, 'oauth-tokens.json'), 'utf8')) as { version: number };
      assert.equal(file.version, 2);
      const stored = await coreFor(home, emu).store.read();
      assert.deepEqual(stored?.secrets, login.secrets, 'the same tokens, nothing lost');
      assert.equal((await fs.stat(path.join(home, 'oauth-tokens.json'))).mode & 0o777, 0o600);
    } finally {
      await cleanup();
    }
  });

  test('an old (version 1) file whose URLs were edited is not followed either', async () => {
    const { home, cleanup } = await tempHome();
    try {
      await writeV1File(home, loginAgainst({ authUrl: rogue.authUrl, apiUrl: rogue.apiUrl }, emu.issueGrant(DEFAULT_APP.clientId)));
      const before = rogue.requests.length;
      for (const args of [['spaces', 'list'], ['auth', 'refresh']]) {
        const r = await runCli(args, { env: { CONFLUENCE_ADF_HOME: home, ...ATLASSIAN } });
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /This login was made against .* now points at https:\/\/(auth|api)\.atlassian\.com/);
      }
      assert.equal(rogue.requests.length, before);
    } finally {
      await cleanup();
    }
  });
});
