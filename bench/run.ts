/** `npm run bench`: every benchmark, one table. Never part of `npm test`. */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const benches = [['startup.js'], ['mcp-start.js', '15'], ['spaces.js'], ['pages-read.js'], ['page-update.js'], ['refresh-storm.js', '6', '20', '5']];
const rows: string[] = [];
for (const [script, ...args] of benches) {
  process.stderr.write(`running ${script}…\n`);
  const result = spawnSync(process.execPath, [path.join(here, script!), ...args], { encoding: 'utf8' });
  if (result.status !== 0) {
    rows.push(`| ${script} | failed: ${result.stderr.trim().split('\n').pop()} |`);
    continue;
  }
  rows.push(...result.stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| figure') && !l.startsWith('| ---')));
}
console.log(`confluence-adf benchmarks — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
console.log('| figure | value |');
console.log('| --- | --- |');
for (const row of rows) console.log(row);
