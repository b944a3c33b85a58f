/**
 * Atlassian's hourly quota as its own example shows it (Retry-After: 1847, X-RateLimit-Reset at the top
 * of the UTC hour, RateLimit-Reason: confluence-quota-global-based), driven through the built CLI.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AtlassianEmulator, DEFAULT_SITES, quotaFault } from '../emulator/server.js';
import { BIN, runCli, type CliResult } from '../support/cli.js';
import { signedInHome } from '../support/core.js';
import { fakeDeps, fakeIO } from '../support/fake-io.js';
import { run } from '../../src/cli/main.js';

const SPACES = '/ex/confluence/';

/** The wall-clock time of `at` in a time zone, as "HH:MM". */
function clock(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

describe('quota 429: a pause for every process of the profile', () => {
  const emu = new AtlassianEmulator({ sites: [{ ...DEFAULT_SITES[0]!, spaceCount: 30 }] });
  before(() => emu.start());
  after(() => emu.stop());

  test("Atlassian's example fails at once with the local reset time; later runs send nothing until then; auth status shows it", async () => {
    const s = await signedInHome(emu);
    try {
      const fault = quotaFault(Date.now(), { path: SPACES, times: 100 });
      emu.inject(fault);
      const env = { ...s.env, TZ: 'Asia/Kolkata' };
      const before = emu.requestsTo('api', SPACES).length;
      const started = Date.now();
      const first = await runCli(['spaces', 'list'], { env });
      const elapsed = Date.now() - started;
      assert.equal(first.code, 1, first.stderr);
      assert.equal(emu.requestsTo('api', SPACES).length - before, 1, 'one request, no retries');
      assert.ok(elapsed < 10_000, `failed at once, not after retries (${elapsed} ms)`);
      const reset = Date.parse(fault.rateLimitReset!);
      assert.match(first.stderr, /Atlassian's hourly request quota for this app is used up \(confluence-quota-global-based\)/);
      // The weekday comes too when the reset falls on the next local day.
      assert.match(first.stderr, new RegExp(`resets at (\\w{3} )?${clock(reset, 'Asia/Kolkata')} `), `local time of ${fault.rateLimitReset} in the message`);
      const minutes = Number(/\(in (\d+) min\)/.exec(first.stderr)?.[1]);
      assert.ok(Math.abs(minutes - Math.ceil(Number(fault.retryAfter) / 60)) <= 1, `"in N min" from Retry-After ${fault.retryAfter}: ${first.stderr}`);
      assert.match(first.stderr, /--wait/);
      assert.doesNotMatch(first.stderr, /retries ran out|a few minutes/);

      const second = await runCli(['spaces', 'list', '--limit', '3'], { env });
      assert.equal(second.code, 1);
      assert.equal(emu.requestsTo('api', SPACES).length - before, 1, 'the second run sent nothing');
      assert.match(second.stderr, /hourly request quota/);

      const status = await runCli(['auth', 'status', '--json'], { env });
      assert.equal(status.code, 0, status.stderr);
      const report = JSON.parse(status.stdout) as { quota?: { pausedUntil?: string; pauseReason?: string; remaining?: number; nearLimit?: boolean } };
      // Retry-After counts from when the answer arrived, so the pause may end up to the run's own time after the reset.
      assert.ok(report.quota?.pausedUntil && Math.abs(Date.parse(report.quota.pausedUntil) - reset) < 5000 + elapsed, JSON.stringify(report.quota));
      assert.equal(report.quota.pauseReason, 'confluence-quota-global-based');
      assert.equal(report.quota.remaining, 0);
      assert.equal(report.quota.nearLimit, true);
      const human = await runCli(['auth', 'status'], { env });
      assert.match(human.stdout, /quota: +paused until .*hourly quota/);
      assert.match(human.stdout, /quota seen: +0 of 65000 left, near the limit/);
      const table = await runCli(['auth', 'status', '--all'], { env });
      assert.match(table.stdout, /\* default .* quota paused/);
      assert.equal(emu.requestsTo('api', SPACES).length - before, 1);
    } finally {
      emu.clearFaults();
      await s.cleanup();
    }
  });

  test('a 429 with a wait longer than any retry but no reason is a pause too; a burst 429 is still retried', async () => {
    const s = await signedInHome(emu);
    try {
      emu.inject({ kind: '429', path: SPACES, retryAfter: '900' });
      const long = await runCli(['spaces', 'list'], { env: s.env });
      assert.equal(long.code, 1);
      assert.match(long.stderr, /asked this app to stop sending requests .*\(in 15 min\)/);
      const other = await signedInHome(emu);
      try {
        emu.inject({ kind: '429', path: SPACES, retryAfter: '1' });
        const burst = await runCli(['spaces', 'list', '--limit', '2'], { env: other.env });
        assert.equal(burst.code, 0, burst.stderr);
      } finally {
        await other.cleanup();
      }
    } finally {
      emu.clearFaults();
      await s.cleanup();
    }
  });
});

describe('quota 429s told only by the newer headers', () => {
  const emu = new AtlassianEmulator({ sites: [{ ...DEFAULT_SITES[0]!, spaceCount: 30 }] });
  before(() => emu.start());
  after(() => emu.stop());

  test('only the structured RateLimit header (no Retry-After, no reason) is a quota pause; an unknown *-cost-based reason too', async () => {
    const cases: Record<string, string>[] = [{ ratelimit: '"global-app-quota";r=0;t=1800' }, { 'ratelimit-reason': 'confluence-cost-based', 'beta-retry-after': '1200' }];
    for (const headers of cases) {
      const s = await signedInHome(emu);
      try {
        emu.inject({ kind: '429', path: SPACES, headers });
        const before = emu.requestsTo('api', SPACES).length;
        const r = await runCli(['spaces', 'list'], { env: s.env });
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /\(in (30|20) min\)/, JSON.stringify(headers));
        assert.equal(emu.requestsTo('api', SPACES).length - before, 1, 'not retried');
      } finally {
        emu.clearFaults();
        await s.cleanup();
      }
    }
  });
});

describe('quota window with --wait: two processes', () => {
  const emu = new AtlassianEmulator({ sites: [{ ...DEFAULT_SITES[0]!, spaceCount: 30 }] });
  before(() => emu.start());
  after(() => emu.stop());

  /** Runs the CLI in the background and hands back its result later. */
  function background(args: string[], env: Record<string, string>): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  test('two processes started in one quota window send exactly one request between them until the reset, then both finish', async () => {
    const s = await signedInHome(emu);
    try {
      // A window long enough that both processes start inside it even on a loaded machine.
      emu.quota = { points: 100, cost: 2, windowMs: 10_000, anchor: emu.now() };
      emu.useUpQuota();
      const resetAt = emu.quotaResetAt();
      const start = emu.requests.length;
      const a = background(['spaces', 'list', '--wait', '--limit', '2'], s.env);
      // The second starts once the first has met the quota and recorded the pause.
      const pauseFile = path.join(s.home, 'quota-pause.json');
      for (let i = 0; i < 100 && !existsSync(pauseFile); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(existsSync(pauseFile), 'the first process recorded the pause');
      const b = background(['spaces', 'list', '--wait', '--limit', '2'], s.env);
      const [ra, rb] = await Promise.all([a, b]);
      assert.equal(ra.code, 0, ra.stderr);
      assert.equal(rb.code, 0, rb.stderr);
      const sent = emu.requests.slice(start).filter((r) => r.path.startsWith(SPACES));
      assert.equal(sent.filter((r) => r.at < resetAt).length, 1, 'one request between them before the reset');
      assert.equal(sent.filter((r) => r.at >= resetAt).length, 2, 'one each after it');
      for (const r of [ra, rb]) {
        assert.match(r.stderr, /hourly quota for this app is used up \(confluence-quota-global-based\): waiting until \d\d:\d\d \(in \d+ s\)/);
        assert.equal(r.stdout.trim().split('\n').length, 2);
      }
    } finally {
      emu.quota = undefined;
      await s.cleanup();
    }
  });

  test('--wait on a terminal: one progress line on stderr while the pause lasts, cleared before the answer', async () => {
    const s = await signedInHome(emu);
    try {
      emu.quota = { points: 100, cost: 2, windowMs: 2500, anchor: emu.now() };
      emu.useUpQuota();
      const tty = fakeIO({ tty: true, columns: 200, env: s.env });
      assert.equal(await run(['spaces', 'list', '--wait', '--limit', '2'], tty.io, fakeDeps(s.home)), 0, tty.stderr.text);
      assert.match(tty.stderr.text, /^\r\x1b\[2K.*⏸.* Atlassian's hourly quota for this app is used up \(confluence-quota-global-based\): waiting until \d\d:\d\d \(in \d s\)… Ctrl-C stops\./);
      assert.match(tty.stderr.text, /Ctrl-C stops\.\r\x1b\[2KMore spaces: --cursor /, 'the line is cleared when the wait ends');
      assert.equal(tty.stdout.text.trimEnd().split('\n').length, 3, 'header and two spaces');
    } finally {
      emu.quota = undefined;
      await s.cleanup();
    }
  });
});
