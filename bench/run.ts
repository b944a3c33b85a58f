/**
 * `npm run bench [-- --only TEXT]`: every row declared in bench/rows/ (see bench/harness.ts for how to
 * add one), one table. The full run writes the table into README.md between the bench markers and
 * exits 1 when any figure misses its target. `--only` runs the rows whose name contains TEXT and
 * leaves the README alone. Never part of `npm test`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runRows, type RowResult } from './harness.js';
import { writeReadmeBlock } from './readme-block.js';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const rowsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rows');
for (const file of fs.readdirSync(rowsDir).filter((f) => f.endsWith('.js')).sort()) await import(pathToFileURL(path.join(rowsDir, file)).href);

const started = Date.now();
process.stderr.write('running the benchmarks (whole processes; a few minutes)…\n');
const results = await runRows({ ...(values.only ? { only: values.only } : {}) });
const cpu = os.cpus()[0]?.model.trim() ?? 'cpu';
const header =
  `Node ${process.version}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
  `load average ${os.loadavg()[0]!.toFixed(1)} at the end; ${new Date().toISOString().slice(0, 10)}; the run took ${Math.round((Date.now() - started) / 1000)} s.`;
const table = [
  '| figure | measured: median ratio (min–max of pairs); median times | target | met |',
  '| --- | --- | --- | --- |',
  ...results.map((r: RowResult) => `| ${r.name} | ${r.value.replace(/\|/g, '\\|')} | ${r.target} | ${r.ok ? 'yes' : '**no**'} |`),
].join('\n');
console.log(header);
console.log(table);

if (!values.only && !writeReadmeBlock('bench', `${header}\n\n${table}`)) process.exitCode = 1;
const missed = results.filter((r) => !r.ok);
if (missed.length) {
  process.stderr.write(`${missed.length} figure(s) missed their target: ${missed.map((r) => r.name).join('; ')}\n`);
  process.exitCode = 1;
}
