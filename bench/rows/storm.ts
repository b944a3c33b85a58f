/**
 * The refresh storm: N processes × M callers ask for a token the moment it has expired. Each worker
 * is a fresh process that pays its own module load inside the measured wait, as a user's would.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AtlassianEmulator } from '../../test/emulator/server.js';
import { coreFor } from '../../test/support/core.js';
import { figure, median, type BenchContext } from '../harness.js';

const PROCESSES = 6;
const CALLERS = 20;
const EXPIRIES = 5;
const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), '../storm-worker.js');

function runWorker(ctx: BenchContext, callers: number, startAt: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, ctx.home, ctx.authUrl, ctx.apiUrl, String(callers), String(startAt)], { env: ctx.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`storm worker exited ${code}`))));
  });
}

async function expire(ctx: BenchContext): Promise<void> {
  const core = coreFor(ctx.home, { authUrl: ctx.authUrl, apiUrl: ctx.apiUrl } as AtlassianEmulator);
  const login = (await core.store.read())!;
  await core.store.write({ ...login, record: { ...login.record, accessTokenExpiresAt: Date.now() - 1 } });
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

figure({
  name: `refresh storm: ${PROCESSES} processes × ${CALLERS} callers over an expired token, ${EXPIRIES} expiries`,
  emulator: { leewayMs: 0 },
  target: '1 refresh per expiry, no reuse, no revoked grant',
  measure: async (ctx) => {
    const lone: number[] = [];
    for (let i = 0; i < EXPIRIES; i++) {
      await expire(ctx);
      lone.push(...(await runWorker(ctx, 1, Date.now() + 300)));
    }
    const perExpiry: number[] = [];
    const waits: number[] = [];
    for (let i = 0; i < EXPIRIES; i++) {
      await expire(ctx);
      const before = (await ctx.emulator.stats()).refreshes;
      const startAt = Date.now() + 800;
      const results = await Promise.all(Array.from({ length: PROCESSES }, () => runWorker(ctx, CALLERS, startAt)));
      perExpiry.push((await ctx.emulator.stats()).refreshes - before);
      waits.push(...results.flat());
    }
    const stats = await ctx.emulator.stats();
    const misuse = stats.reuseAfterLeeway! + stats.reuseWithinLeeway! + stats.revokedFamilies!;
    const loneMs = median(lone);
    return {
      value:
        `refreshes per expiry: ${perExpiry.join(', ')}; reuse / revoked: ${misuse}; caller wait (module load included) ` +
        `median ${quantile(waits, 0.5).toFixed(0)} ms, p95 ${quantile(waits, 0.95).toFixed(0)} ms vs ${loneMs.toFixed(0)} ms for a lone refresh`,
      ok: perExpiry.every((n) => n === 1) && misuse === 0,
    };
  },
});
