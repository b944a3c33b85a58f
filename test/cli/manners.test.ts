/** Terminal manners with fake IO: colour only where it belongs, help with examples, no prompt without a person. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../src/cli/main.js';
import { AtlassianEmulator } from '../emulator/server.js';
import { coreFor, seedLogin } from '../support/core.js';
import { fakeDeps, fakeIO } from '../support/fake-io.js';
import { tempHome } from '../support/cli.js';

const ESC = /\x1b\[/;

describe('colour', () => {
  const emu = new AtlassianEmulator();
  let home: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    await emu.start();
    ({ home, cleanup } = await tempHome());
    await seedLogin(coreFor(home, emu), emu, Date.now());
  });
  after(async () => {
    await emu.stop();
    await cleanup();
  });
  const env = (extra: Record<string, string> = {}) => ({ CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, ...extra });

  test('spaces list --all shows a progress line on the stderr of a terminal, and none in a pipe', async () => {
    const tty = fakeIO({ tty: true, columns: 100, env: env() });
    assert.equal(await run(['spaces', 'list', '--all', '--limit', '10'], tty.io, fakeDeps(home)), 0);
    assert.match(tty.stderr.text, /\r\x1b\[2K40 spaces…/);
    assert.equal(tty.stdout.text.trimEnd().split('\n').length, 43, 'a header and every row');
    const pipe = fakeIO({ tty: false, env: env() });
    assert.equal(await run(['spaces', 'list', '--all', '--limit', '10'], pipe.io, fakeDeps(home)), 0);
    assert.doesNotMatch(pipe.stderr.text, /spaces…/);
    assert.equal(pipe.stdout.text.trimEnd().split('\n').length, 42);
  });

  for (const [name, options, expectColour] of [
    ['a terminal', { tty: true }, true],
    ['a terminal with NO_COLOR', { tty: true, extra: { NO_COLOR: '1' } }, false],
    ['a terminal with TERM=dumb', { tty: true, extra: { TERM: 'dumb' } }, false],
    ['a terminal with --no-color', { tty: true, noColor: true }, false],
    ['a pipe', { tty: false }, false],
    ['a pipe with FORCE_COLOR=1', { tty: false, extra: { FORCE_COLOR: '1' } }, true],
  ] as const) {
    test(`${name}: ${expectColour ? 'colour' : 'no escape codes'} in status, spaces list and errors`, async () => {
      const outputs: string[] = [];
      for (const argv of [['auth', 'status'], ['spaces', 'list', '--limit', '3'], ['spaces', 'list', '--site', 'nowhere']]) {
        const { io, stdout, stderr } = fakeIO({ tty: options.tty, columns: 100, env: env('extra' in options ? options.extra : {}), noColor: 'noColor' in options });
        await run(argv, io, fakeDeps(home));
        outputs.push(stdout.text + stderr.text);
      }
      const joined = outputs.join('\n');
      assert.equal(ESC.test(joined), expectColour, joined.slice(0, 400));
    });
  }
});

describe('help', () => {
  const commands = [['auth', 'login'], ['auth', 'status'], ['auth', 'logout'], ['auth', 'export'], ['auth', 'import'], ['auth', 'token'], ['auth', 'refresh'], ['spaces', 'list'], ['serve'], ['completion']];
  for (const command of commands) {
    test(`${command.join(' ')} --help: a purpose, flags with defaults, examples`, async () => {
      const { io, stdout } = fakeIO();
      assert.equal(await run([...command, '--help'], io, fakeDeps('/nonexistent')), 0);
      assert.match(stdout.text, /^Usage: confluence-adf /);
      assert.match(stdout.text, /Examples:\n {2}\$ \S+/);
      assert.match(stdout.text, /\$ .*confluence-adf /);
      if (!['serve', 'completion'].includes(command[0]!)) assert.match(stdout.text, /Exit codes: 0 success/);
    });
  }
  test('defaults are shown, and the --json shape of the commands scripts use', async () => {
    const login = fakeIO();
    await run(['auth', 'login', '--help'], login.io, fakeDeps('/x'));
    assert.match(login.stdout.text, /--callback-port <port>.*\(default: \$CONFLUENCE_ADF_CALLBACK_PORT, the one stored, or 9000\)/s);
    const status = fakeIO();
    await run(['auth', 'status', '--help'], status.io, fakeDeps('/x'));
    assert.match(status.stdout.text, /JSON: \{ profile: \{ name, source \}, signedIn/);
  });
});

describe('prompts only when a person is there', () => {
  test('no terminal: the missing client secret is an error naming the variable and the flag, never a prompt', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const { io, stderr } = fakeIO({ tty: false, env: { CONFLUENCE_ADF_HOME: home, CONFLUENCE_CLIENT_ID: 'abc' } });
      assert.equal(await run(['auth', 'login'], io, fakeDeps(home)), 2);
      assert.match(stderr.text, /CONFLUENCE_CLIENT_SECRET/);
      assert.match(stderr.text, /--client-secret-stdin/);
      assert.doesNotMatch(stderr.text, /Client secret:/);
    } finally {
      await cleanup();
    }
  });

  test('a terminal in CI, or --json, counts as no person: no client ID prompt', async () => {
    const { home, cleanup } = await tempHome();
    try {
      for (const [env, argv] of [[{ CI: 'true' }, ['auth', 'login']], [{}, ['auth', 'login', '--json']]] as const) {
        const { io, stderr } = fakeIO({ tty: true, env: { CONFLUENCE_ADF_HOME: home, ...env } });
        assert.equal(await run([...argv], io, fakeDeps(home)), 2);
        assert.match(stderr.text, /CONFLUENCE_CLIENT_ID/);
        assert.doesNotMatch(stderr.text, /Client ID of your/);
      }
    } finally {
      await cleanup();
    }
  });
});

describe('errors', () => {
  test('an unexpected failure: one line and a --debug hint; with --debug the stack', async () => {
    const deps = { ...fakeDeps('/x'), keyring: async () => Promise.reject(new Error('the keychain module exploded')) };
    const plain = fakeIO({ env: { CONFLUENCE_ADF_HOME: '/tmp/none' } });
    assert.equal(await run(['auth', 'status'], plain.io, deps), 1);
    assert.match(plain.stderr.text, /Unexpected error: the keychain module exploded/);
    assert.match(plain.stderr.text, /--debug/);
    assert.doesNotMatch(plain.stderr.text, /at .*\.js:\d+/);
    const debug = fakeIO({ env: { CONFLUENCE_ADF_HOME: '/tmp/none' } });
    assert.equal(await run(['--debug', 'auth', 'status'], debug.io, deps), 1);
    assert.match(debug.stderr.text, /at .*\.js:\d+/);
  });
});

describe('fast start-up paths', () => {
  test('the built CLI answers --help and --version exactly as commander does, for every command', async () => {
    const { execFileSync } = await import('node:child_process');
    const { BIN } = await import('../support/cli.js');
    const { helpTexts } = await import('../../src/cli/help-cache.js');
    const paths = Object.keys(helpTexts('0'));
    assert.ok(paths.length >= 12);
    for (const path of paths) {
      const argv = [...(path ? path.split(' ') : []), '--help'];
      const live = fakeIO();
      assert.equal(await run(argv, live.io, fakeDeps('/x')), 0);
      assert.equal(execFileSync(process.execPath, [BIN, ...argv], { encoding: 'utf8' }), live.stdout.text, `confluence-adf ${argv.join(' ')}`);
    }
    const version = fakeIO();
    await run(['--version'], version.io, fakeDeps('/x'));
    assert.equal(execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' }), version.stdout.text);
  });
});
