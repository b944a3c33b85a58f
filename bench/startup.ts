/**
 * `npm run bench:startup`: cold start of the CLI against bare `node -e 0`, medians of interleaved runs.
 * Targets: --help ≤ 1.3×, auth status --offline ≤ 2×.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtlassianEmulator } from '../test/emulator/server.js';
import { coreFor, seedLogin } from '../test/support/core.js';
import { tempHome } from '../test/support/cli.js';

const RUNS = Number(process.argv[2] ?? 25);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/confluence-adf.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const emu = await new AtlassianEmulator().start();
const { home, cleanup } = await tempHome();
await seedLogin(coreFor(home, emu), emu, Date.now());
const env = { PATH: process.env.PATH, CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl };

const cases: [string, string[]][] = [
  ['bare `node -e 0`', ['-e', '0']],
  ['`--version`', [bin, '--version']],
  ['`--help`', [bin, '--help']],
  ['`auth status --offline` (signed in)', [bin, 'auth', 'status', '--offline']],
];
const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let i = 0; i < RUNS + 2; i++) {
  for (const [name, args] of cases) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}`);
    if (i >= 2) times.get(name)!.push(performance.now() - started);
  }
}
await emu.stop();
await cleanup();
const base = median(times.get(cases[0]![0])!);
console.log(`cold start, median of ${RUNS} interleaved runs`);
console.log('| figure | value |');
console.log('| --- | --- |');
for (const [name] of cases) {
  const m = median(times.get(name)!);
  const target = name.includes('--help') ? ' (target ≤ 1.3×)' : name.includes('status') ? ' (target ≤ 2×)' : '';
  console.log(`| cold start ${name}${target} | ${m.toFixed(0)} ms${name.startsWith('bare') ? '' : `, ${(m / base).toFixed(2)}×`} |`);
}
