/** Damaged, exposed or unreachable stored state: a clear error or a safe fallback, and nothing lost. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { AtlassianEmulator } from '../emulator/server.js';
import { BIN, runCli, tempHome, type CliResult } from '../support/cli.js';
import { coreFor, seedLogin, signedInHome } from '../support/core.js';
import { memoryKeyring } from '../support/memory-keyring.js';

const emu = new AtlassianEmulator();
before(() => emu.start());
after(() => emu.stop());

describe('stored state', () => {
  test('files open to other users are put back to 600/700, with a notice, and keep working', async () => {
    const s = await signedInHome(emu);
    try {
      await fs.chmod(s.home, 0o755);
      await fs.chmod(path.join(s.home, 'oauth-tokens.json'), 0o644);
      await fs.chmod(path.join(s.home, 'oauth-tokens.key'), 0o644);
      const r = await runCli(['spaces', 'list', '--limit', '1'], { env: s.env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /oauth-tokens\.key was open to other users \(mode 644\); it is now 600/);
      assert.equal((await fs.stat(path.join(s.home, 'oauth-tokens.json'))).mode & 0o777, 0o600);
      assert.equal((await fs.stat(path.join(s.home, 'oauth-tokens.key'))).mode & 0o777, 0o600);
      assert.equal((await fs.stat(s.home)).mode & 0o777, 0o700);
    } finally {
      await s.cleanup();
    }
  });

  test('a damaged token file: every command says so (exit 1, not "signed out"), the file is kept, login sets it aside', async () => {
    const s = await signedInHome(emu);
    try {
      const file = path.join(s.home, 'oauth-tokens.json');
      const damaged = (await fs.readFile(file, 'utf8')).slice(0, 300);
      await fs.writeFile(file, damaged);
      for (const args of [['auth', 'status'], ['spaces', 'list'], ['auth', 'token']]) {
        const r = await runCli(args, { env: s.env });
        assert.equal(r.code, 1, args.join(' '));
        assert.match(r.stdout + r.stderr, /is damaged/);
        assert.match(r.stdout + r.stderr, /auth login/);
      }
      assert.equal(await fs.readFile(file, 'utf8'), damaged);
    } finally {
      await s.cleanup();
    }
  });

  test('a keychain that refuses (no Secret Service): login falls back to the file key with a notice', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const r = await runCli(['auth', 'status'], { env: { CONFLUENCE_ADF_HOME: home, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
      assert.equal(r.code, 4);
      const { Core } = await import('../../src/core/core.js');
      const { osKeyring } = await import('../../src/core/store/keyring.js');
      const previous = process.env.DBUS_SESSION_BUS_ADDRESS;
      process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/bus';
      try {
        assert.equal(await osKeyring(2000).probe(), false);
        const notices: string[] = [];
        const core = new Core({ env: { CONFLUENCE_ADF_HOME: home }, homedir: home, now: Date.now, keyring: osKeyring(2000), onNotice: (m) => notices.push(m) });
        const login = await seedLogin(coreFor(home, emu), emu, Date.now());
        assert.equal(await core.store.write(login), 'file');
      } finally {
        if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
        else process.env.DBUS_SESSION_BUS_ADDRESS = previous;
      }
    } finally {
      await cleanup();
    }
  });

  test('a keychain that never answers: a clear error within seconds, no hang, nothing deleted', async () => {
    // A D-Bus socket that accepts and then says nothing.
    const { home, cleanup } = await tempHome();
    const socketPath = path.join(home, 'silent-bus');
    const silent = net.createServer((socket) => socket.on('data', () => undefined)).listen(socketPath);
    try {
      const keyring = memoryKeyring(true);
      await seedLogin(coreFor(home, emu, { keyring }), emu, Date.now());
      const env = { PATH: process.env.PATH, HOME: home, CONFLUENCE_ADF_HOME: home, DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}` };
      const started = Date.now();
      const r = await new Promise<CliResult>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'auth', 'status'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('close', (code) => {
          clearTimeout(kill);
          resolve({ code, stdout, stderr });
        });
      });
      assert.equal(r.code, 1, `exit ${r.code} after ${Date.now() - started} ms: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout + r.stderr, /keychain/i);
      assert.ok(Date.now() - started < 20_000, 'answered within seconds');
      await fs.stat(path.join(home, 'oauth-tokens.json'));
    } finally {
      silent.close();
      await cleanup();
    }
  });

  test('a disk that fails in the middle of writing rotated tokens: the previous tokens survive and the next command works', async () => {
    const s = await signedInHome(emu);
    try {
      const file = path.join(s.home, 'oauth-tokens.json');
      emu.expireAccessToken(s.login.secrets.accessToken!);
      // ulimit -f 1: any write past 1 KiB fails (SIGXFSZ), as a full disk would in the middle of the token file.
      const failing = await new Promise<number | null>((resolve) => {
        const child = spawn('bash', ['-c', `ulimit -f 1; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} spaces list --limit 1`], {
          env: { PATH: process.env.PATH, HOME: s.home, ...s.env, CONFLUENCE_ADF_LOCK_STALE_MS: '2000' },
          stdio: 'ignore',
        });
        child.on('close', (code, signal) => resolve(signal ? null : code));
      });
      assert.notEqual(failing, 0, 'the write failed');
      JSON.parse(await fs.readFile(file, 'utf8'));
      const next = await runCli(['spaces', 'list', '--limit', '1'], { env: { ...s.env, CONFLUENCE_ADF_LOCK_STALE_MS: '2000' } });
      assert.equal(next.code, 0, next.stderr);
    } finally {
      await s.cleanup();
    }
  });
});
