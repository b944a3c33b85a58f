/**
 * Findings 5 to 7 of the security review, all about login bundles:
 * 5. `auth import` took a plaintext bundle even when a passphrase was given, followed the URLs inside
 *    it, and compared accounts using the bundle's own claim: a hand-made bundle replaced the signed-in
 *    login without --force and pointed later calls at another server.
 * 6. A passphrase from CONFLUENCE_ADF_PASSPHRASE had no minimum length; scrypt N=2^15 was below OWASP's 2^17.
 * 7. A hostile bundle could ask for scrypt N=2^20, r=32, p=16 (4 GiB); a malformed N gave "Unexpected error".
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtlassianEmulator } from '../emulator/server.js';
import { runCli, tempHome } from '../support/cli.js';
import { coreFor, seedLogin, signedInHome } from '../support/core.js';
import { seal } from '../../src/core/store/seal.js';
import type { StoredLogin } from '../../src/core/store/token-store.js';

const emu = new AtlassianEmulator();
const rogue = new AtlassianEmulator();
before(() => Promise.all([emu.start(), rogue.start()]));
after(() => Promise.all([emu.stop(), rogue.stop()]));

const PASSPHRASE = 'four unrelated words here';

function plainBundle(login: StoredLogin): string {
  return JSON.stringify({ format: 'confluence-adf/login-bundle', version: 1, exportedAt: new Date().toISOString(), plaintext: login }, null, 2);
}

/** A sealed bundle with the given scrypt parameters, made the way `auth export` makes one. */
function sealedBundle(login: StoredLogin, kdf: { N: unknown; r: unknown; p: unknown }, passphrase = PASSPHRASE): string {
  const salt = crypto.randomBytes(16);
  const usable = Number.isInteger(kdf.N) && (kdf.N as number) > 1 && (kdf.N as number) <= 2 ** 17 && kdf.r === 8 && kdf.p === 1;
  const key = usable ? crypto.scryptSync(passphrase, salt, 32, { N: kdf.N as number, r: 8, p: 1, maxmem: 256 * 2 ** 17 * 8 }) : crypto.randomBytes(32);
  return JSON.stringify({
    format: 'confluence-adf/login-bundle',
    version: 1,
    exportedAt: new Date().toISOString(),
    kdf: { name: 'scrypt', ...kdf, salt: salt.toString('base64') },
    cipher: seal(key, JSON.stringify(login), 'confluence-adf/login-bundle/v1'),
  });
}

/** A live grant from the emulator, wrapped as a login that claims whatever `record` says. */
async function grantAsLogin(home: string, record: Partial<StoredLogin['record']> = {}): Promise<StoredLogin> {
  const login = await seedLogin(coreFor(home, emu), emu, Date.now());
  await fs.rm(path.join(home, 'oauth-tokens.json'));
  return { record: { ...login.record, ...record }, secrets: login.secrets };
}

describe('importing bundles', () => {
  test('a plaintext bundle is refused without --plaintext, even with a passphrase at hand; nothing is stored', async () => {
    const { home: maker, cleanup: c1 } = await tempHome();
    const { home, cleanup } = await tempHome();
    try {
      const bundle = plainBundle(await grantAsLogin(maker));
      const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, CONFLUENCE_ADF_PASSPHRASE: PASSPHRASE };
      const r = await runCli(['auth', 'import'], { env, input: bundle });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /not encrypted/);
      assert.match(r.stderr, /auth import --plaintext/);
      await assert.rejects(fs.stat(path.join(home, 'oauth-tokens.json')));
      const ok = await runCli(['auth', 'import', '--plaintext'], { env, input: bundle });
      assert.equal(ok.code, 0, ok.stderr);
    } finally {
      await c1();
      await cleanup();
    }
  });

  test('a bundle claiming the signed-in account is checked against the account Atlassian reports: no silent replacement', async () => {
    const s = await signedInHome(emu);
    const { home: maker, cleanup: c1 } = await tempHome();
    try {
      const grace = { accountId: 'acc-grace', name: 'Grace Hopper' };
      // The signed-in login is Grace's; the bundle holds someone else's grant (the emulator's user, Ada) but says it is Grace's.
      await coreFor(s.home, emu).store.write({ ...s.login, record: { ...s.login.record, account: grace } });
      assert.notEqual(emu.user.accountId, grace.accountId);
      const forged = plainBundle(await grantAsLogin(maker, { account: grace }));
      const before = await fs.readFile(path.join(s.home, 'oauth-tokens.json'), 'utf8');
      const r = await runCli(['auth', 'import', '--plaintext'], { env: { ...s.env }, input: forged });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`signed in as Grace Hopper on .*; the bundle is for ${emu.user.name}`));
      assert.equal(await fs.readFile(path.join(s.home, 'oauth-tokens.json'), 'utf8'), before, 'the signed-in login is untouched');
      const offline = await runCli(['auth', 'import', '--plaintext', '--offline'], { env: { ...s.env }, input: forged });
      assert.equal(offline.code, 1, 'an --offline import cannot check, so it does not replace a login without --force');
      assert.equal(await fs.readFile(path.join(s.home, 'oauth-tokens.json'), 'utf8'), before);
    } finally {
      await c1();
      await s.cleanup();
    }
  });

  test('the URLs inside a bundle steer nothing: the proving refresh and every later call go where this machine is configured', async () => {
    const { home: maker, cleanup: c1 } = await tempHome();
    const { home, cleanup } = await tempHome();
    try {
      const bundle = sealedBundle(await grantAsLogin(maker, { authUrl: rogue.authUrl, apiUrl: rogue.apiUrl }), { N: 2 ** 15, r: 8, p: 1 });
      const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, CONFLUENCE_ADF_PASSPHRASE: PASSPHRASE };
      const seen = rogue.requests.length;
      const r = await runCli(['auth', 'import'], { env, input: bundle });
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await runCli(['spaces', 'list', '--limit', '1'], { env })).code, 0);
      assert.equal(rogue.requests.length, seen, 'nothing went to the URLs in the bundle');
      const stored = (await coreFor(home, emu).store.read())!;
      assert.equal(stored.record.authUrl, emu.authUrl);
      assert.equal(stored.record.apiUrl, emu.apiUrl);
    } finally {
      await c1();
      await cleanup();
    }
  });
});

describe('passphrases and key derivation', () => {
  test('a short passphrase is refused for export, from the environment too; nothing is written and the login stays', async () => {
    const s = await signedInHome(emu);
    try {
      for (const passphrase of ['a', 'elevenchars']) {
        const file = path.join(s.home, 'short.bundle');
        const r = await runCli(['auth', 'export', '--output', file], { env: { ...s.env, CONFLUENCE_ADF_PASSPHRASE: passphrase } });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /passphrase is too short: at least 12 characters/);
        await assert.rejects(fs.stat(file));
      }
      assert.equal((await runCli(['spaces', 'list', '--limit', '1'], { env: s.env })).code, 0, 'still signed in here');
    } finally {
      await s.cleanup();
    }
  });

  test('new bundles use scrypt N=2^17 (OWASP); an old N=2^15 bundle still imports', async () => {
    const s = await signedInHome(emu);
    const { home, cleanup } = await tempHome();
    const { home: maker, cleanup: c1 } = await tempHome();
    try {
      const exported = await runCli(['auth', 'export', '--keep'], { env: { ...s.env, CONFLUENCE_ADF_PASSPHRASE: PASSPHRASE } });
      assert.equal(exported.code, 0, exported.stderr);
      assert.deepEqual({ ...JSON.parse(exported.stdout).kdf, salt: undefined }, { name: 'scrypt', N: 2 ** 17, r: 8, p: 1, salt: undefined });
      const old = sealedBundle(await grantAsLogin(maker), { N: 2 ** 15, r: 8, p: 1 });
      const r = await runCli(['auth', 'import'], { env: { ...s.env, CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_PASSPHRASE: PASSPHRASE }, input: old });
      assert.equal(r.code, 0, r.stderr);
    } finally {
      await c1();
      await cleanup();
      await s.cleanup();
    }
  });

  test('a bundle asking for hostile or malformed scrypt parameters is BUNDLE_INVALID, at once, and nothing is stored', async () => {
    const { home: maker, cleanup: c1 } = await tempHome();
    const { home, cleanup } = await tempHome();
    try {
      const login = await grantAsLogin(maker);
      const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, CONFLUENCE_ADF_PASSPHRASE: PASSPHRASE };
      for (const kdf of [
        { N: 2 ** 20, r: 32, p: 16 },
        { N: 2 ** 20, r: 8, p: 1 },
        { N: 2 ** 17, r: 8, p: 4 },
        { N: 'sixteen', r: 8, p: 1 },
        { N: 1.5, r: 8, p: 1 },
        { N: -1, r: 8, p: 1 },
        { N: null, r: null, p: null },
      ]) {
        const r = await runCli(['auth', 'import'], { env, input: sealedBundle(login, kdf), timeoutMs: 30_000 });
        assert.equal(r.code, 1, `${JSON.stringify(kdf)}: ${r.stderr}`);
        assert.match(r.stderr, /key derivation cost confluence-adf never uses/, JSON.stringify(kdf));
        assert.doesNotMatch(r.stderr, /Unexpected/);
      }
      await assert.rejects(fs.stat(path.join(home, 'oauth-tokens.json')));
    } finally {
      await c1();
      await cleanup();
    }
  });
});
