import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TokenStore, type StoredLogin } from '../../src/core/store/token-store.js';
import { resolvePaths } from '../../src/core/config.js';
import { AppError } from '../../src/core/errors.js';
import { memoryKeyring } from '../support/memory-keyring.js';
import { tempHome } from '../support/cli.js';

const SECRET_AT = 'at-DISTINCTIVE-access-token-1234';
const SECRET_RT = 'rt-DISTINCTIVE-refresh-token-5678';
const SECRET_CS = 'cs-DISTINCTIVE-client-secret-9012';

function login(): StoredLogin {
  const site = { cloudId: 'c1', name: 'acme', url: 'https://acme.atlassian.net' };
  return {
    record: {
      clientId: 'client-1', authUrl: 'https://auth.atlassian.com', apiUrl: 'https://api.atlassian.com', callbackPort: 9000,
      site, sites: [site], scopes: ['read:space:confluence', 'offline_access'], requestedScopes: [],
      accessTokenExpiresAt: 1, refreshTokenIssuedAt: 1, consentAt: 1, updatedAt: 1,
    },
    secrets: { accessToken: SECRET_AT, refreshToken: SECRET_RT, clientSecret: SECRET_CS },
  };
}

async function storeIn(home: string, keyring = memoryKeyring(false), storage: 'auto' | 'keyring' | 'file' = 'auto', notices: string[] = []) {
  return { store: new TokenStore({ paths: resolvePaths({ CONFLUENCE_ADF_HOME: home }, home), keyring, storage, now: () => Date.UTC(2026, 0, 1), onNotice: (m) => notices.push(m) }), keyring, notices };
}

describe('token store', () => {
  test('without a keychain: round trip, dir 0700, files 0600, no readable secret on disk, one notice', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const { store, notices } = await storeIn(path.join(home, 'cfg'));
      assert.equal(await store.read(), undefined);
      assert.equal(await store.write(login()), 'file');
      await store.write(login());
      assert.deepEqual(await store.read(), login());
      assert.equal(notices.length, 1, 'the fallback is announced once');
      assert.match(notices[0]!, /No OS keychain/);
      const dir = path.join(home, 'cfg');
      assert.equal((await fs.stat(dir)).mode & 0o777, 0o700);
      for (const f of ['oauth-tokens.json', 'oauth-tokens.key']) assert.equal((await fs.stat(path.join(dir, f))).mode & 0o777, 0o600, f);
      const raw = await fs.readFile(path.join(dir, 'oauth-tokens.json'), 'utf8');
      for (const secret of [SECRET_AT, SECRET_RT, SECRET_CS]) assert.ok(!raw.includes(secret), 'secret in plaintext');
      assert.ok(raw.includes('client-1'), 'non-secret facts stay readable');
      assert.deepEqual((await fs.readdir(dir)).sort(), ['oauth-tokens.json', 'oauth-tokens.key'], 'no temp files left');
    } finally {
      await cleanup();
    }
  });

  test('with a keychain: the key lives there (a small item), no key file', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const { store, keyring } = await storeIn(home, memoryKeyring(true));
      assert.equal(await store.write(login()), 'keyring');
      assert.deepEqual(await store.read(), login());
      await assert.rejects(fs.stat(path.join(home, 'oauth-tokens.key')));
      const [item] = [...keyring.items.values()];
      assert.ok(item && item.length < 100, 'keychain item stays tiny');
    } finally {
      await cleanup();
    }
  });

  test('a refresh-time write reuses the key it just read: no second keychain probe', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const keyring = memoryKeyring(true);
      let probes = 0;
      const probe = keyring.probe.bind(keyring);
      keyring.probe = async () => (probes++, probe());
      const { store } = await storeIn(home, keyring);
      await store.write(login());
      await store.write({ ...login(), secrets: { ...login().secrets, accessToken: 'at-new' } });
      assert.equal(probes, 1, 'only the first write asked whether there is a keychain');
      assert.equal((await store.read())!.secrets.accessToken, 'at-new');
      assert.equal(keyring.items.size, 1);
    } finally {
      await cleanup();
    }
  });

  test('--storage keyring without a keychain is an error naming --storage file', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const { store } = await storeIn(home, memoryKeyring(false), 'keyring');
      await assert.rejects(store.write(login()), (e: AppError) => e.code === 'KEYRING_UNAVAILABLE' && /--storage file/.test(e.hint!));
    } finally {
      await cleanup();
    }
  });

  test('a keychain that cannot be reached on read is reported and nothing is deleted', async () => {
    const { home, cleanup } = await tempHome();
    try {
      await (await storeIn(home, memoryKeyring(true))).store.write(login());
      const { store } = await storeIn(home, memoryKeyring(false));
      await assert.rejects(store.read(), (e: AppError) => e.code === 'KEYRING_UNAVAILABLE');
      await fs.stat(path.join(home, 'oauth-tokens.json'));
    } finally {
      await cleanup();
    }
  });

  for (const [name, damage] of [
    ['truncated', (raw: string) => raw.slice(0, raw.length / 2)],
    ['not JSON', () => 'garbage'],
    ['an altered ciphertext', (raw: string) => raw.replace(/"data": "(.)/, (_m, c: string) => `"data": "${c === 'A' ? 'B' : 'A'}`)],
    ['another version', (raw: string) => raw.replace('"version": 2', '"version": 9')],
  ] as const) {
    test(`a ${name} token file is reported, kept, and set aside by the next login`, async () => {
      const { home, cleanup } = await tempHome();
      try {
        const { store, notices } = await storeIn(home);
        await store.write(login());
        const file = path.join(home, 'oauth-tokens.json');
        const damaged = damage(await fs.readFile(file, 'utf8'));
        await fs.writeFile(file, damaged);
        await assert.rejects(store.read(), (e: AppError) => e.code === 'STORE_CORRUPT' && e.message.includes(file) && !!e.hint);
        assert.equal(await fs.readFile(file, 'utf8'), damaged, 'kept as it was');
        await store.write(login());
        assert.deepEqual(await store.read(), login());
        const aside = (await fs.readdir(home)).find((f) => f.startsWith('oauth-tokens.json.corrupt-'));
        assert.ok(aside, 'the damaged file was kept aside');
        assert.equal(await fs.readFile(path.join(home, aside), 'utf8'), damaged);
        assert.ok(notices.some((n) => n.includes(aside)));
      } finally {
        await cleanup();
      }
    });
  }

  test('a missing key file is reported as damage, not as signed out', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const { store } = await storeIn(home);
      await store.write(login());
      await fs.rm(path.join(home, 'oauth-tokens.key'));
      await assert.rejects(store.read(), (e: AppError) => e.code === 'STORE_CORRUPT' && /key file/.test(e.message));
    } finally {
      await cleanup();
    }
  });

  test('remove() deletes file, key file and keychain item, and is idempotent', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const keyring = memoryKeyring(true);
      const { store } = await storeIn(home, keyring);
      await store.write(login());
      const first = await store.remove();
      assert.equal(first.failed.length, 0);
      assert.ok(first.removed.some((r) => r.includes('keychain')));
      assert.equal(keyring.items.size, 0);
      assert.equal(await store.read(), undefined);
      assert.deepEqual(await store.remove(), { removed: [], failed: [] });
    } finally {
      await cleanup();
    }
  });
});

describe('removal past a failure', () => {
  test('a keychain that refuses to delete does not keep the files: they go, and the failure is reported', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const keyring = memoryKeyring(true);
      const { store } = await storeIn(home, keyring);
      await store.write(login());
      keyring.delete = async () => {
        throw new Error('the keychain is locked');
      };
      const report = await store.remove();
      assert.deepEqual(report.failed.map((f) => f.error), ['the keychain is locked']);
      assert.ok(report.removed.includes(path.join(home, 'oauth-tokens.json')));
      await assert.rejects(fs.stat(path.join(home, 'oauth-tokens.json')));
    } finally {
      await cleanup();
    }
  });
});
