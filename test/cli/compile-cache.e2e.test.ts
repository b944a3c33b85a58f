/**
 * The CLI bundle starts from a V8 code cache kept per user (bin/load-cached.js). A run with the cache
 * must behave exactly as one without: commands that load packages outside the bundle (openid-client
 * for a sign-in, got for the API) included; a damaged cache costs a compile, never a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AtlassianEmulator, DEFAULT_APP } from '../emulator/server.js';
import { signedInHome } from '../support/core.js';
import { runCli } from '../support/cli.js';

test('commands run the same from the code cache, and a damaged cache is rewritten', async () => {
  const emu = await new AtlassianEmulator().start();
  const signedIn = await signedInHome(emu);
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'cadf-cache-'));
  const env = { ...signedIn.env, XDG_CACHE_HOME: cacheHome };
  const cacheDir = path.join(cacheHome, 'confluence-adf');
  const caches = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((f) => f.startsWith('cli-')) : []);
  try {
    const first = await runCli(['auth', 'status', '--offline'], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(caches().length, 1, 'the first run leaves a cache');
    assert.match(caches()[0]!, /^cli-light-/, 'auth status starts from the bundle without the page commands');
    const file = path.join(cacheDir, caches()[0]!);
    assert.equal(fs.statSync(cacheDir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);

    // From the cache: the same answers, and packages outside the bundle still load (openid-client, got).
    const second = await runCli(['auth', 'status', '--offline'], { env });
    assert.equal(second.stdout, first.stdout);
    const online = await runCli(['auth', 'status'], { env });
    assert.equal(online.code, 0, online.stderr);
    assert.match(online.stdout, /the token works/);
    assert.equal(caches().length, 1, 'the same command keeps its one cache');
    // Another command gets a cache of its own; the first one's is left as it was.
    const statusCache = fs.readFileSync(file);
    const spaces = await runCli(['--profile', 'default', 'spaces', 'list', '--json'], { env });
    assert.equal(spaces.code, 0, spaces.stderr);
    assert.equal(caches().length, 2, `a second command, a second cache: ${caches().join(', ')}`);
    assert.ok(caches().some((f) => f.includes('-spaces-list-')), caches().join(', '));
    assert.deepEqual(fs.readFileSync(file), statusCache);
    const typo = await runCli(['spaces', 'lsit'], { env });
    assert.equal(typo.code, 2);
    assert.equal(caches().length, 2, 'a mistyped command leaves no cache');
    // ADF and page commands start from the bundle that has them.
    const doc = path.join(cacheHome, 'doc.json');
    fs.writeFileSync(doc, JSON.stringify({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] }));
    const markdown = await runCli(['adf', 'to-markdown', doc], { env });
    assert.equal(markdown.stdout, 'hi\n', markdown.stderr);
    assert.ok(caches().some((f) => /^cli-[a-z0-9]+-adf-to-markdown-/.test(f)), caches().join(', '));
    const login = await runCli(['auth', 'login', '--no-browser', '--client-id', DEFAULT_APP.clientId], {
      env: { ...env, CONFLUENCE_CLIENT_SECRET: DEFAULT_APP.clientSecret },
    });
    assert.match(login.stdout + login.stderr, /code_challenge=/, login.stderr);
    assert.doesNotMatch(login.stderr, /Unexpected error|dynamic import/);

    fs.writeFileSync(file, 'not a code cache');
    const damaged = await runCli(['auth', 'status', '--offline'], { env });
    assert.equal(damaged.stdout, first.stdout);
    assert.equal(damaged.stderr, first.stderr);
    assert.notEqual(fs.readFileSync(file, 'utf8').slice(0, 16), 'not a code cache', 'rewritten after the rejected run');

    const off = fs.mkdtempSync(path.join(os.tmpdir(), 'cadf-cache-'));
    const disabled = await runCli(['auth', 'status', '--offline'], { env: { ...env, XDG_CACHE_HOME: off, NODE_DISABLE_COMPILE_CACHE: '1' } });
    assert.equal(disabled.stdout, first.stdout);
    assert.deepEqual(fs.readdirSync(off), [], 'NODE_DISABLE_COMPILE_CACHE=1 writes nothing');
    fs.rmSync(off, { recursive: true, force: true });
  } finally {
    await emu.stop();
    await signedIn.cleanup();
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
});
