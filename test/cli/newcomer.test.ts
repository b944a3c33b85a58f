/** What a person new to the CLI runs into first: pipes, exit codes, hints, help. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { AtlassianEmulator, DEFAULT_APP } from '../emulator/server.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BIN, freePort, runProcess, tempHome, type CliResult } from '../support/cli.js';
import { seedLogin, signedInHome } from '../support/core.js';
import { fakeDeps, fakeIO } from '../support/fake-io.js';
import { memoryKeyring } from '../support/memory-keyring.js';
import { run } from '../../src/cli/main.js';
import { Core } from '../../src/core/core.js';

const emu = new AtlassianEmulator();
before(() => emu.start());
after(() => emu.stop());

/** Runs the bin with its stdout closed by the reader before the first line, as `| head -0` would. */
function runWithClosedStdout(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: '', stderr }));
  });
}

describe('a closed pipe', () => {
  for (const args of [['auth', 'status'], ['spaces', 'list'], ['spaces', 'list', '--all', '--limit', '5'], ['--help']]) {
    test(`\`${args.join(' ')} | head\` ends quietly with status 0`, async () => {
      const { env, cleanup } = await signedInHome(emu);
      try {
        const result = await runWithClosedStdout(args, env);
        assert.doesNotMatch(result.stderr, /EPIPE|at .*\(|Unexpected error/, result.stderr);
        assert.equal(result.code, 0, result.stderr);
      } finally {
        await cleanup();
      }
    });
  }

});

/** A home with a `default` and a `prod` login, both signed in to the emulator; run() in-process against it. */
async function twoLogins() {
  const { home, cleanup } = await tempHome();
  const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl };
  for (const profile of ['default', 'prod']) {
    await seedLogin(new Core({ env, homedir: home, now: Date.now, keyring: memoryKeyring(false), profile }), emu, Date.now());
  }
  const cli = async (argv: string[], extraEnv: Record<string, string> = {}) => {
    const { io, stdout, stderr } = fakeIO({ env: { ...env, ...extraEnv } });
    const code = await run(argv, io, fakeDeps(home));
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  return { home, env, cli, cleanup };
}

describe('signed out: why, and what to run', () => {
  test('after an export, human status says why and what to run, and --json carries both', async () => {
    const p = await twoLogins();
    try {
      assert.equal((await p.cli(['auth', 'export', '--plaintext'])).code, 0);
      const human = await p.cli(['auth', 'status']);
      assert.equal(human.code, 4);
      assert.match(human.stdout, /Signed out to /);
      assert.match(human.stdout, /why: +this login was exported to another machine on \d{4}-/);
      assert.match(human.stdout, /→ Run `confluence-adf auth login` to sign in here again\./);
      const json = await p.cli(['auth', 'status', '--json']);
      assert.equal(json.code, 4);
      const report = JSON.parse(json.stdout);
      assert.match(report.reason, /exported to another machine/);
      assert.equal(report.hint, 'Run `confluence-adf auth login` to sign in here again.');
    } finally {
      await p.cleanup();
    }
  });

  test('a revoked session: human status names the reason and the command, not a bare "Signed out"', async () => {
    const p = await twoLogins();
    try {
      emu.revokeAll();
      const human = await p.cli(['auth', 'status']);
      assert.equal(human.code, 4);
      assert.match(human.stdout, /Signed out to /);
      assert.match(human.stdout, /why: +\S/);
      assert.match(human.stdout, /→ .*`confluence-adf auth login`/);
    } finally {
      await p.cleanup();
    }
  });
});

describe('hints name the profile they are about', () => {
  test('spaces list --profile prod on an exported login hints `auth login --profile prod`', async () => {
    const p = await twoLogins();
    try {
      assert.equal((await p.cli(['auth', 'export', '--plaintext', '--profile', 'prod'])).code, 0);
      const dead = await p.cli(['spaces', 'list', '--profile', 'prod']);
      assert.equal(dead.code, 4);
      assert.match(dead.stderr, /`confluence-adf auth login --profile prod`/);
      const viaEnv = await p.cli(['spaces', 'list'], { CONFLUENCE_ADF_PROFILE: 'prod' });
      assert.match(viaEnv.stderr, /`confluence-adf auth login --profile prod`/);
      const status = JSON.parse((await p.cli(['auth', 'status', '--json', '--profile', 'prod'])).stdout);
      assert.equal(status.hint, 'Run `confluence-adf auth login --profile prod` to sign in here again.');
      const human = await p.cli(['auth', 'status', '--profile', 'prod']);
      assert.match(human.stdout, /`confluence-adf auth login --profile prod`/);
      // The default profile's hints stay short.
      assert.equal((await p.cli(['auth', 'export', '--plaintext'])).code, 0);
      assert.match((await p.cli(['spaces', 'list'])).stderr, /`confluence-adf auth login` to sign in here again/);
    } finally {
      await p.cleanup();
    }
  });

  test('a logged-out named profile answers like `default`: exit 4, the known profiles, and its own login command', async () => {
    const p = await twoLogins();
    try {
      assert.equal((await p.cli(['auth', 'logout', '--profile', 'prod'])).code, 0);
      for (const argv of [['spaces', 'list', '--profile', 'prod'], ['auth', 'status', '--profile', 'prod'], ['auth', 'token', '--profile', 'prod']]) {
        const r = await p.cli(argv);
        assert.equal(r.code, 4, argv.join(' '));
        assert.match(r.stderr, /The profile "prod" is not signed in \(known profiles: default\)/, argv.join(' '));
        assert.match(r.stderr, /`confluence-adf auth login --profile prod`/, argv.join(' '));
      }
      const json = JSON.parse((await p.cli(['auth', 'status', '--json', '--profile', 'prod'])).stdout);
      assert.equal(json.signedIn, false);
      assert.match(json.reason, /not signed in/);
    } finally {
      await p.cleanup();
    }
  });
});

describe('auth status --all', () => {
  test('nobody signed in: exit 4 with and without --json', async () => {
    const { home, cleanup } = await tempHome();
    try {
      for (const argv of [['auth', 'status', '--all'], ['auth', 'status', '--all', '--json']]) {
        const { io, stdout } = fakeIO({ env: { CONFLUENCE_ADF_HOME: home } });
        assert.equal(await run(argv, io, fakeDeps(home)), 4, argv.join(' '));
        if (argv.includes('--json')) assert.deepEqual(JSON.parse(stdout.text), []);
      }
    } finally {
      await cleanup();
    }
  });

  test('--json marks the active profile, and only it carries why it is active', async () => {
    const p = await twoLogins();
    try {
      const all = JSON.parse((await p.cli(['auth', 'status', '--all', '--json', '--offline'], { CONFLUENCE_ADF_PROFILE: 'prod' })).stdout);
      assert.deepEqual(
        all.map((r: { profile: unknown }) => r.profile),
        [{ name: 'default', active: false }, { name: 'prod', active: true, source: 'environment' }],
      );
    } finally {
      await p.cleanup();
    }
  });
});

describe('errors go to stderr', () => {
  test('a damaged token file: auth status writes nothing to stdout and the damage to stderr', async () => {
    const p = await twoLogins();
    try {
      const file = path.join(p.home, 'oauth-tokens.json');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).slice(0, 200));
      const r = await p.cli(['auth', 'status']);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /is damaged/);
      assert.match(r.stderr, /auth login/);
    } finally {
      await p.cleanup();
    }
  });
});

describe('auth login', () => {
  const app = () => ({ CONFLUENCE_CLIENT_ID: DEFAULT_APP.clientId, CONFLUENCE_CLIENT_SECRET: DEFAULT_APP.clientSecret });

  test('a later login reuses the callback port the profile stored, unless --callback-port says otherwise', async () => {
    const p = await twoLogins();
    try {
      const [stored, flagged] = [await freePort(), await freePort()];
      const core = new Core({ env: p.env, homedir: p.home, now: Date.now, keyring: memoryKeyring(false) });
      const login = (await core.store.read())!;
      await core.store.write({ ...login, record: { ...login.record, callbackPort: stored } });
      const redirectOf = async (argv: string[]) => {
        const opened: string[] = [];
        const { io } = fakeIO({ env: { ...p.env, ...app() } });
        await run([...argv, '--timeout', '1'], io, fakeDeps(p.home, opened));
        assert.equal(opened.length, 1);
        return new URL(opened[0]!).searchParams.get('redirect_uri');
      };
      assert.equal(await redirectOf(['auth', 'login']), `http://localhost:${stored}/oauth/callback`);
      assert.equal(await redirectOf(['auth', 'login', '--callback-port', String(flagged)]), `http://localhost:${flagged}/oauth/callback`);
    } finally {
      await p.cleanup();
    }
  });

  test('a login that times out names the client ID as a possible cause', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const { io, stderr } = fakeIO({ env: { CONFLUENCE_ADF_HOME: home, ...emu.env(), CONFLUENCE_CLIENT_ID: 'not-the-real-id' } });
      assert.equal(await run(['auth', 'login', '--callback-port', String(await freePort()), '--timeout', '1'], io, fakeDeps(home)), 1);
      assert.match(stderr.text, /No answer came from the browser within 1 s/);
      assert.match(stderr.text, /check that not-the-real-id is the Client ID under Settings of your app/);
    } finally {
      await cleanup();
    }
  });

  test('--storage keyring with no keychain fails before the browser opens', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const opened: string[] = [];
      const { io, stderr } = fakeIO({ env: { CONFLUENCE_ADF_HOME: home, ...emu.env(), ...app() } });
      const code = await run(['auth', 'login', '--storage', 'keyring', '--callback-port', String(await freePort()), '--timeout', '2'], io, fakeDeps(home, opened));
      assert.equal(code, 1);
      assert.match(stderr.text, /keychain is not available/);
      assert.deepEqual(opened, [], 'no browser was opened');
      const deferred = fakeIO({ env: { CONFLUENCE_ADF_HOME: home, ...emu.env(), ...app() } });
      assert.equal(await run(['auth', 'login', '--storage', 'keyring', '--no-browser'], deferred.io, fakeDeps(home)), 1);
      assert.doesNotMatch(deferred.stderr.text, /Open this address/);
    } finally {
      await cleanup();
    }
  });
});

describe('help: on stdout, exit 0, everywhere', () => {
  for (const [argv, usage] of [
    [['help', 'auth', 'status'], 'Usage: confluence-adf auth status'],
    [['help', 'spaces', 'list'], 'Usage: confluence-adf spaces list'],
    [[], 'Usage: confluence-adf [options] [command]'],
    [['auth'], 'Usage: confluence-adf auth [options] [command]'],
    [['auth', '--help'], 'Usage: confluence-adf auth [options] [command]'],
  ] as const) {
    test(`confluence-adf ${argv.join(' ')}`, async () => {
      const { home, cleanup } = await tempHome();
      try {
        const { io, stdout, stderr } = fakeIO({ env: { CONFLUENCE_ADF_HOME: home } });
        assert.equal(await run([...argv], io, fakeDeps(home)), 0);
        assert.ok(stdout.text.startsWith(usage), stdout.text.slice(0, 200));
        assert.equal(stderr.text, '');
      } finally {
        await cleanup();
      }
    });
  }
});

describe('sentences read right', () => {
  test('a refused refresh token: one full stop, not "(….)."', async () => {
    const p = await twoLogins();
    try {
      emu.revokeAll();
      const core = new Core({ env: p.env, homedir: p.home, now: Date.now, keyring: memoryKeyring(false) });
      const login = (await core.store.read())!;
      await core.store.write({ ...login, record: { ...login.record, accessTokenExpiresAt: Date.now() - 1000 } });
      const r = await p.cli(['spaces', 'list']);
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /session has ended/);
      assert.doesNotMatch(r.stderr, /\.\)\.|\.\./);
    } finally {
      await p.cleanup();
    }
  });

  test('a two-step login under --profile: the second step names the profile, and the result reads as one sentence', async () => {
    const { home, cleanup } = await tempHome();
    emu.autoConsent = true;
    try {
      const env = { CONFLUENCE_ADF_HOME: home, ...emu.env() };
      const first = fakeIO({ env });
      assert.equal(await run(['auth', 'login', '--no-browser', '--profile', 'prod'], first.io, fakeDeps(home)), 0);
      assert.match(first.stderr.text, /confluence-adf auth login --callback-url '<the address>' --profile prod/);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(first.stderr.text)![1]!;
      const callback = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
      const second = fakeIO({ env });
      assert.equal(await run(['auth', 'login', '--callback-url', callback, '--profile', 'prod'], second.io, fakeDeps(home)), 0, second.stderr.text);
      assert.match(second.stderr.text, /Signed in to \S+ \(https:\/\/[^)]+\) as Ada Lovelace <[^>]+>, profile "prod"\./);
      assert.doesNotMatch(second.stderr.text, /as profile/);
    } finally {
      emu.autoConsent = false;
      await cleanup();
    }
  });
});

describe('--verbose', () => {
  test('logs the token endpoint too (method, URL, status), never a token or the secret', async () => {
    const p = await twoLogins();
    try {
      const core = new Core({ env: p.env, homedir: p.home, now: Date.now, keyring: memoryKeyring(false) });
      const login = (await core.store.read())!;
      await core.store.write({ ...login, record: { ...login.record, accessTokenExpiresAt: Date.now() - 1000 } });
      const r = await p.cli(['spaces', 'list', '--limit', '1', '--verbose']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /→ POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token/);
      assert.match(r.stderr, /← 200 POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token \(\d+ ms\)/);
      assert.match(r.stderr, /→ GET .*\/spaces/);
      const after = (await core.store.read())!;
      for (const secret of [login.secrets.refreshToken!, after.secrets.refreshToken!, after.secrets.accessToken!, login.secrets.clientSecret]) assert.ok(!r.stderr.includes(secret));
    } finally {
      await p.cleanup();
    }
  });
});

describe('the demo', () => {
  test('piped, it writes no escape codes (nor does the CLI it runs)', { timeout: 120_000 }, async () => {
    const demo = path.join(path.dirname(BIN), '..', 'dist', 'test', 'emulator', 'demo.js');
    const result = await runProcess(process.execPath, [demo], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeoutMs: 110_000 });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /\$ confluence-adf auth status/);
    assert.doesNotMatch(result.stdout + result.stderr, /\x1b\[/);
  });
});
