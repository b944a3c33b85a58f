/**
 * Findings 12 and 13 of the security review:
 * 12. A login directory planted by another user (0666 files owned by someone else) was used without a
 *     word, and failed chmods were ignored.
 * 13. With the keychain unreachable, `auth login --storage file` still failed with the keychain error
 *     after the code was spent: the old login's key was looked up in the keychain before writing.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtlassianEmulator } from '../emulator/server.js';
import { runCli, tempHome } from '../support/cli.js';
import { coreFor, seedLogin, signedInHome } from '../support/core.js';
import { memoryKeyring } from '../support/memory-keyring.js';
import type { Keyring } from '../../src/core/store/keyring.js';
import type { AppError } from '../../src/core/errors.js';

const emu = new AtlassianEmulator();
before(() => emu.start());
after(() => emu.stop());

const OTHER_UID = 4242;
const asRoot = process.getuid?.() === 0;

describe('a login directory someone else prepared', () => {
  test('files owned by another user are refused, say how to fix it, and send nothing', { skip: !asRoot && 'planting files as another user needs root' }, async () => {
    const s = await signedInHome(emu);
    try {
      for (const name of ['oauth-tokens.json', 'oauth-tokens.key']) {
        await fs.chown(path.join(s.home, name), OTHER_UID, OTHER_UID);
        await fs.chmod(path.join(s.home, name), 0o666);
      }
      const seen = emu.requests.length;
      for (const args of [['spaces', 'list'], ['auth', 'status'], ['auth', 'token']]) {
        const r = await runCli(args, { env: s.env });
        assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout + r.stderr, /not stored safely: .*oauth-tokens\.json belongs to another user \(uid 4242\)/);
        assert.match(r.stdout + r.stderr, /rm .*oauth-tokens\.json.*auth login/);
      }
      assert.equal(emu.requests.length, seen, 'nothing was sent');
    } finally {
      await s.cleanup();
    }
  });

  test('a directory of another user is not signed in to either', { skip: !asRoot && 'planting files as another user needs root' }, async () => {
    const { home, cleanup } = await tempHome();
    try {
      await fs.chown(home, OTHER_UID, OTHER_UID);
      await fs.chmod(home, 0o777);
      await assert.rejects(seedLogin(coreFor(home, emu), emu, Date.now()), (e: AppError) => e.code === 'STORE_UNSAFE' && /belongs to another user/.test(e.message) && /rm -r/.test(e.hint ?? ''));
      await assert.rejects(fs.stat(path.join(home, 'oauth-tokens.json')), 'nothing was written there');
    } finally {
      await cleanup();
    }
  });

  test('our own files left writable by others are refused with the chmod that fixes them', async () => {
    const s = await signedInHome(emu);
    try {
      await fs.chmod(path.join(s.home, 'oauth-tokens.json'), 0o666);
      const r = await runCli(['spaces', 'list'], { env: s.env });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /oauth-tokens\.json can be changed by other users \(mode 666\)/);
      assert.match(r.stderr, /chmod 600 .*oauth-tokens\.json/);
      await fs.chmod(path.join(s.home, 'oauth-tokens.json'), 0o600);
      assert.equal((await runCli(['spaces', 'list', '--limit', '1'], { env: s.env })).code, 0, 'the chmod the hint names fixes it');
    } finally {
      await s.cleanup();
    }
  });
});

describe('--storage file', () => {
  test('never touches the keychain, even to replace a login whose key is there, when the keychain is unreachable', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const old = await seedLogin(coreFor(home, emu, { keyring: memoryKeyring(true) }), emu, Date.now());
      let calls = 0;
      const fail = async (): Promise<never> => {
        calls++;
        throw new Error('org.freedesktop.DBus.Error.NoReply');
      };
      const unreachable: Keyring = { probe: fail, get: fail, set: fail, delete: fail };
      const core = coreFor(home, emu, { keyring: unreachable, storage: 'file' });
      // What `auth login --storage file` does once the code is exchanged: store the new login.
      const fresh = { ...old, secrets: { ...old.secrets, ...emu.issueGrant(old.record.clientId) } };
      assert.equal(await core.store.write(fresh), 'file');
      assert.deepEqual((await core.session.login()).secrets, fresh.secrets);
      assert.equal(calls, 0, 'the keychain was never called');
    } finally {
      await cleanup();
    }
  });
});
