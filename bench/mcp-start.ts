/**
 * `npm run bench:mcp-start`: spawn `serve --mcp` → `initialize` answered → `tools/list` answered,
 * medians over repeated runs, and the idle server's resident memory.
 * Targets on these machines: initialize ≤ 250 ms, idle RSS ≤ 80 MB.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.argv[2] ?? 15);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/confluence-adf.js');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cadf-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function once(measureRss: boolean): Promise<{ init: number; list: number; rss?: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--mcp'], { env: { PATH: process.env.PATH, CONFLUENCE_ADF_HOME: home }, stdio: ['pipe', 'pipe', 'ignore'] });
  let buffer = '';
  const answers = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const id = (JSON.parse(line) as { id?: number }).id;
      if (typeof id === 'number') {
        answers.set(id, performance.now() - started);
        waiters.get(id)?.();
      }
    }
  });
  const answered = (id: number) => new Promise<void>((resolve) => (answers.has(id) ? resolve() : waiters.set(id, resolve)));
  child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }) + '\n');
  await answered(1);
  child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
  child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) + '\n');
  await answered(2);
  let rss: number | undefined;
  if (measureRss) {
    await new Promise((r) => setTimeout(r, 1500));
    rss = rssMb(child.pid!);
  }
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  return { init: answers.get(1)!, list: answers.get(2)!, ...(rss !== undefined ? { rss } : {}) };
}

function nodeBaseline(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => spawn(process.execPath, ['-e', '0']).on('close', () => resolve(performance.now() - started)));
}

await once(false);
const inits: number[] = [];
const lists: number[] = [];
const bare: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const r = await once(false);
  inits.push(r.init);
  lists.push(r.list);
  bare.push(await nodeBaseline());
}
const idle = await once(true);
fs.rmSync(home, { recursive: true, force: true });
console.log(`MCP start-up, ${RUNS} runs, node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
console.log('| figure | median |');
console.log('| --- | --- |');
console.log(`| MCP: bare \`node -e 0\`, spawned the same way | ${median(bare).toFixed(0)} ms |`);
console.log(`| MCP: spawn → initialize answered (target ≤ 250 ms) | ${median(inits).toFixed(0)} ms |`);
console.log(`| MCP: spawn → tools/list answered | ${median(lists).toFixed(0)} ms |`);
console.log(`| MCP: idle RSS after tools/list (target ≤ 80 MB) | ${idle.rss!.toFixed(1)} MB |`);
