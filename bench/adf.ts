/**
 * Law 6 of the document core: a 1 MB page converts each way in under 0.5 s and 200 MB, a 100 KB page in
 * under 50 ms. The pages are built from the corpus's real documents, repeated to size. Prints a table
 * and exits 1 when a target is missed. `npm run bench:adf`; run with --expose-gc for the memory figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { toMarkdown, fromMarkdown, type AdfDoc, type AdfNode } from '../src/core/adf/index.js';
import { loadCorpus } from '../test/support/adf-corpus.js';
import { writeReadmeBlock } from './readme-block.js';

function pageOf(bytes: number): AdfDoc {
  const blocks: AdfNode[] = loadCorpus().flatMap((d) => d.doc.content);
  const content: AdfNode[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const block = blocks[i % blocks.length]!;
    content.push(block);
    size += JSON.stringify(block).length + 1;
  }
  return { type: 'doc', version: 1, content };
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Milliseconds the main thread has spent on a CPU (Linux: /proc/thread-self/schedstat, in ns), shown
 * beside the wall clock: wall time is what a person waits and what the target judges; the main
 * thread's own time says how much of it was the conversion itself rather than waiting for V8's helper
 * threads (the optimising compiler, parallel GC) or for the machine's other work. Process CPU time adds
 * the helpers' work. Undefined where the system does not say.
 */
function mainThreadMs(): number | undefined {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Medians of `runs` runs after one warm-up (wall, main thread, process CPU), and the heap held at the peak (with --expose-gc). */
function measure(runs: number, work: () => unknown): { ms: number; threadMs: number | undefined; cpuMs: number; mb: number | undefined } {
  work();
  const times: number[] = [];
  const thread: number[] = [];
  const cpu: number[] = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const startThread = mainThreadMs();
    const start = performance.now();
    const startCpu = process.cpuUsage();
    const result = work();
    times.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    const endThread = mainThreadMs();
    if (startThread !== undefined && endThread !== undefined) thread.push(endThread - startThread);
    cpu.push((used.user + used.system) / 1000);
    peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    if (!result) throw new Error('no result');
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { ms: median(times), threadMs: thread.length ? median(thread) : undefined, cpuMs: median(cpu), mb: gc ? peak / 2 ** 20 : undefined };
}

const rows: { figure: string; value: string; target: string; ok: boolean }[] = [];
for (const [label, bytes, msTarget, mbTarget, runs] of [
  ['100 KB', 100_000, 50, 200, 15],
  ['1 MB', 1_000_000, 500, 200, 5],
] as const) {
  const doc = pageOf(bytes);
  const markdown = toMarkdown(doc);
  const edited = markdown.replace(/\b(the)\b/, 'THE');
  for (const [way, work] of [
    ['ADF -> Markdown', () => toMarkdown(doc)],
    ['Markdown -> ADF (with base, one edit)', () => fromMarkdown(edited, { base: doc })],
    ['Markdown -> ADF (no base)', () => fromMarkdown(markdown.replace(/\{ref="[^"]*"\}/g, '').replace(/^:+[A-Za-z]+(\[.*\])?$/gm, ''))],
  ] as const) {
    const { ms, threadMs, cpuMs, mb } = measure(runs, work);
    const value = `${ms.toFixed(1)} ms wall (${threadMs === undefined ? '' : `${threadMs.toFixed(1)} ms main thread, `}${cpuMs.toFixed(1)} ms process CPU)`;
    rows.push({ figure: `${label} page (${JSON.stringify(doc).length} B ADF, ${markdown.length} B Markdown), ${way}, median of ${runs}`, value, target: `< ${msTarget} ms`, ok: ms < msTarget });
    if (mb !== undefined) rows.push({ figure: `${label} page, ${way}, heap held`, value: `${mb.toFixed(1)} MB`, target: `< ${mbTarget} MB`, ok: mb < mbTarget });
  }
}
const header = `Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)} at the end; ${new Date().toISOString().slice(0, 10)}; the targets judge the median wall time.`;
const table = ['| figure | value | target |', '| --- | --- | --- |', ...rows.map((row) => `| ${row.figure} | ${row.value} | ${row.target}${row.ok ? '' : ' MISSED'} |`)].join('\n');
console.log(header);
console.log(table);
writeReadmeBlock('bench:adf', `${header}\n\n${table}`);
if (rows.some((r) => !r.ok)) process.exitCode = 1;
