/** The keychain path against a real Secret Service (gnome-keyring under dbus-run-session, see run-tests.sh). */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { AtlassianEmulator } from '../emulator/server.js';
import { FAKE_BROWSER, freePort, runCli, tempHome } from '../support/cli.js';
import { requirement } from '../support/requirements.js';
import { osKeyring } from '../../src/core/store/keyring.js';

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
const skip = requirement(!!bus && (await osKeyring(3000).probe()), 'A Secret Service (gnome-keyring in a D-Bus session)');

function keychainItems(): string {
  try {
    return execFileSync('secret-tool', ['search', '--all', 'service', 'confluence-adf'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return '';
  }
}

// Each test carries the skip, not the suite, so a local run counts and names every test it did not run.
describe('OS keychain (real Secret Service)', () => {
  const emu = new AtlassianEmulator({ autoConsent: true });
  before(() => emu.start());
  after(() => emu.stop());

  test('login keeps the key in the keychain, not in a file; logout removes the keychain item', { skip }, async () => {
    const { home, cleanup } = await tempHome();
    try {
      const port = await freePort();
      const app = emu.registerApp({ callbackUrl: `http://localhost:${port}/oauth/callback` });
      const env = { CONFLUENCE_ADF_HOME: home, ...emu.env(app), BROWSER: FAKE_BROWSER, DBUS_SESSION_BUS_ADDRESS: bus };
      const login = await runCli(['auth', 'login', '--callback-port', String(port)], { env });
      assert.equal(login.code, 0, login.stderr);
      assert.match(login.stderr, /key in the OS keychain/);
      assert.doesNotMatch(login.stderr, /No OS keychain/);
      await assert.rejects(fs.stat(path.join(home, 'oauth-tokens.key')), 'no key file beside the tokens');
      const status = JSON.parse((await runCli(['auth', 'status', '--json'], { env })).stdout);
      assert.equal(status.storage.backend, 'keyring');
      const account = `token-key:${crypto.createHash('sha256').update(home).digest('hex').slice(0, 16)}`;
      assert.ok(keychainItems().includes(account), 'the key is a Secret Service item');
      const spaces = await runCli(['spaces', 'list', '--limit', '2'], { env });
      assert.equal(spaces.code, 0, spaces.stderr);

      // The same home without the keychain: the tokens cannot be opened, and nothing is deleted.
      const locked = await runCli(['auth', 'status'], { env: { ...env, DBUS_SESSION_BUS_ADDRESS: undefined } });
      assert.equal(locked.code, 1);
      assert.match(locked.stdout + locked.stderr, /keychain cannot be reached/);
      await fs.stat(path.join(home, 'oauth-tokens.json'));

      const logout = await runCli(['auth', 'logout'], { env });
      assert.equal(logout.code, 0, logout.stderr);
      assert.match(logout.stderr, /OS keychain item/);
      assert.ok(!keychainItems().includes(account), 'the keychain item is gone');
    } finally {
      await cleanup();
    }
  });

  test('--storage file skips the keychain even when there is one', { skip }, async () => {
    const { home, cleanup } = await tempHome();
    try {
      const port = await freePort();
      const app = emu.registerApp({ callbackUrl: `http://localhost:${port}/oauth/callback` });
      const env = { CONFLUENCE_ADF_HOME: home, ...emu.env(app), BROWSER: FAKE_BROWSER, DBUS_SESSION_BUS_ADDRESS: bus };
      const login = await runCli(['--storage', 'file', 'auth', 'login', '--callback-port', String(port)], { env });
      assert.equal(login.code, 0, login.stderr);
      await fs.stat(path.join(home, 'oauth-tokens.key'));
      assert.equal(JSON.parse((await runCli(['auth', 'status', '--json', '--offline'], { env })).stdout).storage.backend, 'file');
    } finally {
      await cleanup();
    }
  });
});
