/**
 * `npm run bench:refresh-storm -- [processes] [callers] [expiries]`: N processes × M concurrent callers
 * ask for a token the moment it has expired. Prints refresh requests per expiry (target: 1) and the
 * wait the callers saw, against the wait of one lone refresh measured the same way.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtlassianEmulator } from '../test/emulator/server.js';
import { coreFor, seedLogin } from '../test/support/core.js';
import { tempHome } from '../test/support/cli.js';

const [processes = 6, callers = 20, expiries = 5] = process.argv.slice(2).map(Number);
const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'storm-worker.js');
const emu = await new AtlassianEmulator({ leewayMs: 0 }).start();
const { home, cleanup } = await tempHome();

function runWorker(n: number, startAt: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, home, emu.authUrl, emu.apiUrl, String(n), String(startAt)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`worker exited ${code}`))));
  });
}

async function expire(): Promise<void> {
  const core = coreFor(home, emu);
  const login = (await core.store.read())!;
  await core.store.write({ ...login, record: { ...login.record, accessTokenExpiresAt: Date.now() - 1 } });
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
try {
  await seedLogin(coreFor(home, emu), emu, Date.now());
  const lone: number[] = [];
  for (let i = 0; i < expiries; i++) {
    await expire();
    lone.push(...(await runWorker(1, Date.now() + 300)));
  }
  const perExpiry: number[] = [];
  const waits: number[] = [];
  for (let i = 0; i < expiries; i++) {
    await expire();
    const before = emu.stats.refreshes;
    const startAt = Date.now() + 800;
    const results = await Promise.all(Array.from({ length: processes }, () => runWorker(callers, startAt)));
    perExpiry.push(emu.stats.refreshes - before);
    waits.push(...results.flat());
  }
  const loneMedian = quantile(lone, 0.5);
  console.log(`refresh storm: ${processes} processes × ${callers} callers, ${expiries} expiries, leeway 0`);
  console.log(`| figure | value |`);
  console.log(`| --- | --- |`);
  console.log(`| refresh requests per expiry (target 1) | ${perExpiry.join(', ')} |`);
  console.log(`| rotated-token reuse / revoked grants | ${emu.stats.reuseAfterLeeway + emu.stats.reuseWithinLeeway} / ${emu.stats.revokedFamilies} |`);
  console.log(`| one lone refresh, median | ${loneMedian.toFixed(1)} ms |`);
  console.log(`| caller wait in the storm, median / p95 / max | ${quantile(waits, 0.5).toFixed(1)} / ${quantile(waits, 0.95).toFixed(1)} / ${Math.max(...waits).toFixed(1)} ms |`);
  console.log(`| extra wait over a lone refresh, median / p95 | ${(quantile(waits, 0.5) - loneMedian).toFixed(1)} / ${(quantile(waits, 0.95) - loneMedian).toFixed(1)} ms |`);
} finally {
  await emu.stop();
  await cleanup();
}
