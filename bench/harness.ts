/**
 * The benchmark harness behind `npm run bench`: whole processes against whole processes, as a user pays.
 *
 * Adding a figure is one call in a file of bench/rows/ (every file there is loaded):
 *
 *   compare({
 *     name: '`pages get` vs a one-fetch script',
 *     emulator: { sites: [...] },                   // optional: AtlassianEmulator options for this row
 *     cli: () => ['pages', 'get', '123'],            // arguments after bin/confluence-adf.js
 *     baseline: (ctx) => [ctx.baseline('one-fetch.mjs'), `${ctx.apiUrl}/ex/confluence/${ctx.cloudId}/wiki/api/v2/pages/123`, ctx.accessToken],
 *     target: 1.2,                                   // the median ratio cli / baseline must not exceed
 *   });
 *
 * Both sides are spawned the same way (`node ARGS`, stdout piped and drained) with the same cleaned
 * environment (PATH, a signed-in CONFLUENCE_ADF_HOME and the emulator URLs; no NODE_EXTRA_CA_CERTS,
 * which costs every node start about 50 ms on some machines). Pairs are interleaved, their order
 * alternating, after one unmeasured warm-up of each side; the ratio is taken per pair and the row
 * reports the median and the min–max of those ratios. The emulator runs in its own process
 * (bench/emulator-process.ts), one per distinct `emulator` option set, each with its own signed-in home.
 * Baselines are plain scripts in bench/baselines/ for anyone to read.
 *
 * For a figure that is not a ratio of two processes (memory, 429 counts), `figure()` takes a function
 * that returns the value to print and whether it met its target.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions } from '../test/emulator/server.js';

const distBench = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(distBench, '../..');
export const BIN = path.join(REPO, 'bin/confluence-adf.js');

/** What a row's functions receive: where the emulator is and how to reach it. */
export interface BenchContext {
  authUrl: string;
  apiUrl: string;
  cloudId: string;
  /** A valid access token of the signed-in home, for baseline scripts (they do no OAuth). */
  accessToken: string;
  home: string;
  /** The cleaned environment both sides run with. */
  env: Record<string, string>;
  /** Path of a script in bench/baselines/. */
  baseline(name: string): string;
  emulator: EmulatorHandle;
}

export interface EmulatorHandle {
  stats(): Promise<{ requests: number; rateLimited: number; refreshes: number; [key: string]: number }>;
  /** Puts an enforced rate limit's bucket back to full. */
  refill(): Promise<void>;
}

export interface Sample {
  ms: number;
  stdout: string;
}

/** One side of a comparison: node arguments, or a function that measures something itself. */
export type Side = ((ctx: BenchContext) => string[]) | { measure: (ctx: BenchContext) => Promise<number> };

export interface CompareRow {
  name: string;
  /** For the CLI side: the arguments after bin/confluence-adf.js. For a custom measure, `{ measure }`. */
  cli: Side;
  /** Node arguments of the baseline process (usually `[ctx.baseline('x.mjs'), ...]`), or `{ measure }`. */
  baseline: Side;
  /** The median ratio cli / baseline must be at most this. */
  target: number;
  /** How the baseline is described in the table (default: its script name). */
  baselineLabel?: string;
  emulator?: EmulatorOptions;
  /** Pairs to measure (at least 15). */
  pairs?: number;
  /** Runs before each measured run (both sides), e.g. `ctx.emulator.refill()`. */
  beforeEach?: (ctx: BenchContext) => Promise<void>;
  /** Checks a CLI or baseline run's stdout; returns a complaint, or undefined when it is right. */
  check?: (stdout: string, side: 'cli' | 'baseline') => string | undefined;
  /**
   * Judges what the emulator saw during each measured CLI run (requests, 429s); its text joins the row
   * and its verdict joins the target.
   */
  cliRequests?: (runs: { requests: number; rateLimited: number }[]) => { text: string; ok: boolean };
}

export interface FigureRow {
  name: string;
  emulator?: EmulatorOptions;
  /** Measures; `value` is printed, `ok` says whether the target (written in `target`) was met. */
  measure: (ctx: BenchContext) => Promise<{ value: string; ok: boolean }>;
  target: string;
}

type Row = ({ kind: 'compare' } & CompareRow) | ({ kind: 'figure' } & FigureRow);
const rows: Row[] = [];

export const MIN_PAIRS = 15;

/** Declares a whole-process A/B row. */
export function compare(row: CompareRow): void {
  if ((row.pairs ?? MIN_PAIRS) < MIN_PAIRS) throw new Error(`${row.name}: at least ${MIN_PAIRS} pairs`);
  rows.push({ kind: 'compare', ...row });
}

/** Declares a figure that is not an A/B ratio (memory, counts). */
export function figure(row: FigureRow): void {
  rows.push({ kind: 'figure', ...row });
}

export function declaredRows(): readonly Row[] {
  return rows;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Spawns `node args` with env, drains stdout, and resolves with the wall time from spawn to exit. */
export function timeProcess(args: string[], env: Record<string, string>, options: { expectExit?: number } = {}): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== (options.expectExit ?? 0)) {
        reject(new Error(`node ${args.map((a) => path.basename(a)).join(' ')} exited ${code}: ${Buffer.concat(err).toString().trim().split('\n').slice(-3).join(' | ')}`));
      } else resolve({ ms, stdout: Buffer.concat(out).toString() });
    });
  });
}

/** Peak resident memory of a process run to its end (GNU time's maximum RSS), in MB. */
export async function peakRssMb(args: string[], env: Record<string, string>): Promise<number> {
  const report = path.join(os.tmpdir(), `cadf-bench-rss-${process.pid}-${Date.now()}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', report, process.execPath, ...args], { env, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exited ${code}`))));
  });
  const kb = Number(fs.readFileSync(report, 'utf8').trim().split('\n').pop());
  fs.rmSync(report, { force: true });
  return kb / 1024;
}

export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...extra };
}

interface RunningEmulator {
  ctx: BenchContext;
  stop(): Promise<void>;
}

/** Starts bench/emulator-process in its own process with a fresh signed-in home. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cadf-bench-'));
  const child = spawn(process.execPath, [path.join(distBench, 'emulator-process.js'), JSON.stringify(options), home], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the bench emulator stopped');
    return JSON.parse(value as string) as Record<string, unknown>;
  };
  let queue: Promise<unknown> = Promise.resolve();
  const ask = <T>(command: string) => {
    const answer = queue.then(() => {
      child.stdin.write(`${command}\n`);
      return next() as Promise<T>;
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
  const hello = (await next()) as { authUrl: string; apiUrl: string; cloudId: string; accessToken: string };
  const ctx: BenchContext = {
    ...hello,
    home,
    env: cleanEnv({ CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: hello.authUrl, CONFLUENCE_ADF_API_URL: hello.apiUrl }),
    baseline: (name) => path.join(REPO, 'bench/baselines', name),
    emulator: { stats: () => ask('stats'), refill: async () => void (await ask('refill')) },
  };
  return {
    ctx,
    stop: async () => {
      child.stdin.end('stop\n');
      await new Promise((resolve) => child.once('close', resolve));
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface RowResult {
  name: string;
  value: string;
  target: string;
  ok: boolean;
}

const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

async function runSide(side: Side, ctx: BenchContext, isCli: boolean): Promise<Sample> {
  if (typeof side === 'function') return timeProcess(isCli ? [BIN, ...side(ctx)] : side(ctx), ctx.env);
  return { ms: await side.measure(ctx), stdout: '' };
}

async function runCompare(row: CompareRow, ctx: BenchContext): Promise<RowResult> {
  const pairs = row.pairs ?? MIN_PAIRS;
  const cli: number[] = [];
  const base: number[] = [];
  const ratios: number[] = [];
  const seen: { requests: number; rateLimited: number }[] = [];
  const one = async (which: 'cli' | 'baseline', measured: boolean) => {
    await row.beforeEach?.(ctx);
    const counting = which === 'cli' && measured && row.cliRequests;
    const before = counting ? await ctx.emulator.stats() : undefined;
    const sample = await runSide(which === 'cli' ? row.cli : row.baseline, ctx, which === 'cli');
    if (before) {
      const after = await ctx.emulator.stats();
      seen.push({ requests: after.requests - before.requests, rateLimited: after.rateLimited - before.rateLimited });
    }
    const complaint = row.check?.(sample.stdout, which);
    if (complaint) throw new Error(`${row.name}, ${which}: ${complaint}`);
    return sample.ms;
  };
  await one('cli', false);
  await one('baseline', false);
  for (let i = 0; i < pairs; i++) {
    // Alternate which side goes first, so neither always runs on a machine the other just warmed.
    const [a, b] = i % 2 === 0 ? (['cli', 'baseline'] as const) : (['baseline', 'cli'] as const);
    const first = await one(a, true);
    const second = await one(b, true);
    const c = a === 'cli' ? first : second;
    const bl = a === 'cli' ? second : first;
    cli.push(c);
    base.push(bl);
    ratios.push(c / bl);
  }
  const m = median(ratios);
  const note = row.cliRequests?.(seen);
  const label = row.baselineLabel ?? (typeof row.baseline === 'function' ? path.basename(row.baseline(ctx)[0] ?? 'baseline') : 'baseline');
  return {
    name: row.name,
    value:
      `**${m.toFixed(2)}×** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); ` +
      `${fmtMs(median(cli))} vs ${fmtMs(median(base))} for ${label}${note ? `; ${note.text}` : ''}`,
    target: `≤ ${row.target}×`,
    ok: m <= row.target && (note?.ok ?? true),
  };
}

/** Runs the declared rows (those whose name contains `only`, when given), one emulator per option set. */
export async function runRows(options: { only?: string; onRow?: (r: RowResult) => void } = {}): Promise<RowResult[]> {
  const selected = rows.filter((r) => !options.only || r.name.toLowerCase().includes(options.only.toLowerCase()));
  const emulators = new Map<string, RunningEmulator>();
  const results: RowResult[] = [];
  try {
    for (const row of selected) {
      const key = JSON.stringify(row.emulator ?? {});
      let emu = emulators.get(key);
      if (!emu) {
        emu = await startEmulator(row.emulator ?? {});
        emulators.set(key, emu);
      }
      process.stderr.write(`  ${row.name}…\n`);
      let result: RowResult;
      try {
        result =
          row.kind === 'compare'
            ? await runCompare(row, emu.ctx)
            : { name: row.name, target: row.target, ...(await row.measure(emu.ctx)) };
      } catch (error) {
        result = { name: row.name, value: `failed: ${(error as Error).message}`, target: row.kind === 'compare' ? `≤ ${row.target}×` : row.target, ok: false };
      }
      options.onRow?.(result);
      results.push(result);
    }
  } finally {
    for (const emu of emulators.values()) await emu.stop();
  }
  return results;
}
