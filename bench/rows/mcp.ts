/** The MCP server: spawn → `initialize` answered, and memory over a long session. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { BIN, compare, figure } from '../harness.js';

interface McpSession {
  request(method: string, params?: unknown): Promise<unknown>;
  /** Resident memory now, and the peak so far (VmRSS, VmHWM). */
  memoryMb(): { rss: number; peak: number };
  close(): Promise<void>;
}

/** Spawns an MCP server over stdio and speaks JSON-RPC lines to it. */
function mcpSession(args: string[], env: Record<string, string>): McpSession {
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
  let buffer = '';
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffer.slice(0, nl)) as { id?: number; result?: unknown; error?: unknown };
      buffer = buffer.slice(nl + 1);
      if (typeof message.id === 'number') waiting.get(message.id)?.(message.result ?? message.error);
    }
  });
  return {
    request: (method, params) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) })}\n`);
      }),
    memoryMb: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)![1]) / 1024;
      return { rss: field('VmRSS'), peak: field('VmHWM') };
    },
    close: async () => {
      child.stdin.end();
      await new Promise((resolve) => child.once('close', resolve));
    },
  };
}

const INITIALIZE = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } };

/** Milliseconds from spawn to the `initialize` answer. */
async function initializeMs(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const session = mcpSession(args, env);
  await session.request('initialize', INITIALIZE);
  const ms = performance.now() - started;
  await session.close();
  return ms;
}

compare({
  name: 'MCP: spawn → `initialize` answered',
  cli: { measure: (ctx) => initializeMs([BIN, 'serve', '--mcp'], ctx.env) },
  baseline: { measure: (ctx) => initializeMs([ctx.baseline('mcp-minimal.mjs')], ctx.env) },
  baselineLabel: 'a minimal server on the same SDK',
  target: 1.1,
});

/** 1,000 `spaces_list` calls in one session; resident memory after 1, 200 and 1,000 calls, and the peak. */
async function memoryOverCalls(env: Record<string, string>) {
  const session = mcpSession([BIN, 'serve', '--mcp'], env);
  await session.request('initialize', INITIALIZE);
  const at: Record<number, { rss: number; peak: number }> = {};
  for (let i = 1; i <= 1000; i++) {
    const result = (await session.request('tools/call', { name: 'spaces_list', arguments: { limit: 25 } })) as { isError?: boolean; structuredContent?: { results?: unknown[] } };
    if (result.isError || result.structuredContent?.results?.length !== 25) throw new Error(`spaces_list failed: ${JSON.stringify(result).slice(0, 200)}`);
    if (i === 1 || i === 200 || i === 1000) at[i] = session.memoryMb();
  }
  await session.close();
  return [at[1]!, at[200]!, at[1000]!] as const;
}

/**
 * V8 grows its heap lazily while memory is plentiful, so resident size alone cannot tell garbage not
 * yet collected from memory held. The second session caps the heap (48 MB): what is held must then
 * stay flat, and a leak would grow or fail the calls.
 */
figure({
  name: 'MCP: resident memory over 1,000 `spaces_list` calls',
  target: 'with the heap capped at 48 MB: after 1,000 ≤ after 200 + 10%',
  measure: async (ctx) => {
    const [one, two, last] = await memoryOverCalls(ctx.env);
    const [, cappedTwo, cappedLast] = await memoryOverCalls({ ...ctx.env, NODE_OPTIONS: '--max-old-space-size=48' });
    return {
      value:
        `RSS ${one.rss.toFixed(0)} MB after 1 call, ${two.rss.toFixed(0)} MB after 200, ${last.rss.toFixed(0)} MB after 1,000, peak ${last.peak.toFixed(0)} MB; ` +
        `heap capped: ${cappedTwo.rss.toFixed(0)} MB after 200, ${cappedLast.rss.toFixed(0)} MB after 1,000`,
      ok: cappedLast.rss <= cappedTwo.rss * 1.1,
    };
  },
});
