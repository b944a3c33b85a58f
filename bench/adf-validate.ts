/**
 * `node dist/bench/adf-validate.js [RUNS]`: validating real pages against the official ADF schema.
 * Targets (exit 1 when missed): a 195 KB real page judged in ≤ 50 ms once loaded; one broken attribute in
 * it named in ≤ 100 ms; the CLI's `adf validate` of that page, cold, ≤ 500 ms (the schema code is half a
 * megabyte to load and compile on the first document: a start-up like `--version` does not pay it).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCorpus, CORPUS_DIR } from '../test/support/adf-corpus.js';
import type { AdfNode } from '../src/core/adf/types.js';
import { writeReadmeBlock } from './readme-block.js';

const RUNS = Number(process.argv[2] ?? 15);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/confluence-adf.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const page = loadCorpus().find((c) => c.name === 'confluence-page-node-doc')!;

const loadStarted = performance.now();
const { validateAdf } = await import('../src/core/adf/validate.js');
const first = performance.now();
validateAdf(page.doc);
const firstMs = performance.now() - first;
const importMs = first - loadStarted;

const broken = structuredClone(page.doc);
const panel = (function find(node: AdfNode): AdfNode | undefined {
  if (node.type === 'panel') return node;
  for (const child of node.content ?? []) {
    const hit = find(child);
    if (hit) return hit;
  }
  return undefined;
})(broken)!;
panel.attrs = { ...panel.attrs, panelType: 'bogus' };

const valid: number[] = [];
const named: number[] = [];
for (let i = 0; i < RUNS; i++) {
  let t = performance.now();
  if (!validateAdf(page.doc).valid) throw new Error('the page should be valid');
  valid.push(performance.now() - t);
  t = performance.now();
  if (validateAdf(broken).errors.length === 0) throw new Error('the broken page should have an error');
  named.push(performance.now() - t);
}

const file = path.join(CORPUS_DIR, `${page.name}.json`);
const cli: number[] = [];
const bare: number[] = [];
for (let i = 0; i < Math.min(RUNS, 9); i++) {
  let t = performance.now();
  spawnSync(process.execPath, [bin, '--version'], { stdio: 'ignore' });
  bare.push(performance.now() - t);
  t = performance.now();
  const result = spawnSync(process.execPath, [bin, 'adf', 'validate', file], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`adf validate exited ${result.status}`);
  cli.push(performance.now() - t);
}

const rows: [string, string, boolean][] = [
  ['adf validate: import of the module', `${importMs.toFixed(0)} ms`, true],
  [`adf validate: first ${Math.round(page.bytes / 1024)} KB page (loads the schema code)`, `${firstMs.toFixed(0)} ms`, true],
  [`adf validate: ${Math.round(page.bytes / 1024)} KB real page, loaded (target ≤ 50 ms)`, `${median(valid).toFixed(1)} ms`, median(valid) <= 50],
  ['adf validate: one broken attribute in it named (target ≤ 100 ms)', `${median(named).toFixed(1)} ms`, median(named) <= 100],
  ['adf validate: the CLI on that page, cold (target ≤ 500 ms)', `${median(cli).toFixed(0)} ms (\`--version\`: ${median(bare).toFixed(0)} ms)`, median(cli) <= 500],
];
const header = `ADF validation, medians of ${RUNS} runs; Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)} at the end; ${new Date().toISOString().slice(0, 10)}.`;
const table = ['| figure | value |', '| --- | --- |', ...rows.map(([name, value, ok]) => `| ${name} | ${value}${ok ? '' : ' MISSED'} |`)].join('\n');
console.log(header);
console.log(table);
writeReadmeBlock('bench:adf-validate', `${header}\n\n${table}`);
if (rows.some(([, , ok]) => !ok)) process.exitCode = 1;
