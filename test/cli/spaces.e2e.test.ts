import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AtlassianEmulator, DEFAULT_SITES } from '../emulator/server.js';
import { runCli, tempHome } from '../support/cli.js';
import { coreFor, signedInHome } from '../support/core.js';
import { fakeDeps, fakeIO } from '../support/fake-io.js';
import { run } from '../../src/cli/main.js';

const SPACES = '/ex/confluence/';

describe('spaces list over 10,000 spaces', () => {
  const emu = new AtlassianEmulator({ sites: [{ ...DEFAULT_SITES[0]!, spaceCount: 10_000 }] });
  before(() => emu.start());
  after(() => emu.stop());

  test('--all --json: every space exactly once, in order, in pages of 250', async () => {
    const s = await signedInHome(emu);
    try {
      const before = emu.requestsTo('api', SPACES).length;
      const r = await runCli(['spaces', 'list', '--all', '--json'], { env: s.env });
      assert.equal(r.code, 0, r.stderr);
      const spaces = JSON.parse(r.stdout) as { id: string; key: string; url: string }[];
      assert.equal(spaces.length, 10_000);
      spaces.forEach((space, i) => assert.equal(space.id, String(100000 + i)));
      assert.equal(spaces[42]!.url, 'https://acme.atlassian.net/wiki/spaces/SP00042');
      assert.equal(emu.requestsTo('api', SPACES).length - before, 40);
    } finally {
      await s.cleanup();
    }
  });

  test('the client-side limiter keeps under its configured rate, measured by the emulator', async () => {
    const s = await signedInHome(emu);
    try {
      const start = emu.requests.length;
      const r = await runCli(['spaces', 'list', '--all', '--limit', '30', '--keys', Array.from({ length: 240 }, (_, i) => `SP${String(i).padStart(5, '0')}`).join(',')], {
        env: { ...s.env, CONFLUENCE_ADF_RATE: '4', CONFLUENCE_ADF_BURST: '1' },
      });
      assert.equal(r.code, 0, r.stderr);
      const times = emu.requests.slice(start).filter((q) => q.path.startsWith(SPACES)).map((q) => q.at);
      assert.equal(times.length, 8);
      // At 4/s with no burst, any k+1 consecutive requests span at least k × 250 ms. One request may be
      // late on the wire (the first also connects), so each span is allowed 60 ms of jitter, not more:
      // without the limiter all eight arrive within a few milliseconds.
      for (let i = 0; i < times.length; i++) {
        for (let j = i + 1; j < times.length; j++) {
          assert.ok(times[j]! - times[i]! >= (j - i) * 250 - 60, `requests ${i} and ${j} arrived ${times[j]! - times[i]!} ms apart at 4/s`);
        }
      }
    } finally {
      await s.cleanup();
    }
  });
});

describe('spaces list: faults, limits, output', () => {
  const emu = new AtlassianEmulator({ sites: [{ ...DEFAULT_SITES[0]!, spaceCount: 300 }] });
  before(() => emu.start());
  after(() => emu.stop());

  test('under an emulator-enforced limit: 429s are waited out and every page arrives', async () => {
    const s = await signedInHome(emu);
    // Tighter than the client's own 10/s so the limit is hit even on a slow, loaded machine.
    emu.rateLimit = { perSecond: 2, burst: 2 };
    try {
      const limitedBefore = emu.stats.rateLimited;
      const r = await runCli(['spaces', 'list', '--all', '--limit', '25', '--json'], { env: s.env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).length, 300);
      assert.ok(emu.stats.rateLimited > limitedBefore, 'the emulator limit was hit and waited out');
    } finally {
      emu.rateLimit = undefined;
      await s.cleanup();
    }
  });

  test('a malformed body is a clear error (exit 1), a dropped connection is retried', async () => {
    const s = await signedInHome(emu);
    try {
      emu.inject({ kind: 'malformed', path: SPACES });
      const bad = await runCli(['spaces', 'list'], { env: s.env });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /not the JSON expected/);
      assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/, 'no stack trace');
      emu.inject({ kind: 'drop', path: SPACES });
      assert.equal((await runCli(['spaces', 'list'], { env: s.env })).code, 0);
    } finally {
      await s.cleanup();
    }
  });

  test('--verbose logs each request and response line on stderr, never the token', async () => {
    const s = await signedInHome(emu);
    try {
      const r = await runCli(['spaces', 'list', '--verbose', '--limit', '3'], { env: s.env });
      assert.equal(r.code, 0);
      assert.match(r.stderr, /→ GET http:\/\/127\.0\.0\.1:\d+\/ex\/confluence\/.*\/wiki\/api\/v2\/spaces\?limit=3/);
      assert.match(r.stderr, /← 200 GET/);
      const token = (await coreFor(s.home, emu).store.read())!.secrets.accessToken!;
      assert.ok(!r.stderr.includes(token) && !r.stdout.includes(token));
    } finally {
      await s.cleanup();
    }
  });

  test('--cursor fetches one page from a cursor; --all with --cursor is a usage error', async () => {
    const s = await signedInHome(emu);
    try {
      const first = await runCli(['spaces', 'list', '--limit', '2'], { env: s.env });
      const cursor = /--cursor (\S+)/.exec(first.stderr)![1]!;
      const second = await runCli(['spaces', 'list', '--limit', '2', '--cursor', cursor], { env: s.env });
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /^SP00002\t/);
      assert.equal((await runCli(['spaces', 'list', '--all', '--cursor', cursor], { env: s.env })).code, 2);
    } finally {
      await s.cleanup();
    }
  });

  test('no spaces: says so and exits 0; not signed in: exit 4 with the hint', async () => {
    const s = await signedInHome(emu);
    try {
      const none = await runCli(['spaces', 'list', '--keys', 'NOPE'], { env: s.env });
      assert.equal(none.code, 0);
      assert.equal(none.stdout, '');
      assert.match(none.stderr, /No spaces found on acme matching those filters/);
      const json = await runCli(['spaces', 'list', '--keys', 'NOPE', '--json'], { env: s.env });
      assert.deepEqual(JSON.parse(json.stdout), []);
      const { home, cleanup } = await tempHome();
      const out = await runCli(['spaces', 'list'], { env: { ...s.env, CONFLUENCE_ADF_HOME: home } });
      await cleanup();
      assert.equal(out.code, 4);
      assert.match(out.stderr, /confluence-adf auth login/);
    } finally {
      await s.cleanup();
    }
  });

  test('in a terminal: a header and rows fitted to its width; in a pipe: tab-separated, no header, no colour', async () => {
    const s = await signedInHome(emu);
    try {
      const tty = fakeIO({ tty: true, columns: 60, env: { ...s.env, FORCE_COLOR: '1' } });
      assert.equal(await run(['spaces', 'list', '--limit', '5'], tty.io, fakeDeps(s.home)), 0);
      const lines = tty.stdout.text.trimEnd().split('\n');
      assert.equal(lines.length, 6);
      assert.match(lines[0]!, /KEY/);
      for (const line of lines) assert.ok(line.replace(/\x1b\[[0-9;]*m/g, '').length <= 60, `too wide: ${line}`);
      const pipe = fakeIO({ tty: false, env: s.env });
      assert.equal(await run(['spaces', 'list', '--limit', '5'], pipe.io, fakeDeps(s.home)), 0);
      const rows = pipe.stdout.text.trimEnd().split('\n');
      assert.equal(rows.length, 5);
      assert.deepEqual(rows[0]!.split('\t'), ['SP00000', 'Space 0', 'global', 'current', 'https://acme.atlassian.net/wiki/spaces/SP00000']);
      assert.doesNotMatch(pipe.stdout.text + pipe.stderr.text, /\x1b\[/);
    } finally {
      await s.cleanup();
    }
  });
});
