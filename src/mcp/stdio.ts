import { PassThrough } from 'node:stream';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { createServer } from './server.js';
import type { ToolDeps } from './context.js';

/**
 * How long calls still running when the client closes stdin get to finish and be answered. MCP's stdio
 * shutdown is the client closing stdin and waiting for the server to exit; a call that would outlast
 * this (a quota wait) is dropped with the connection.
 */
const ANSWER_IN_FLIGHT_MS = 10_000;

type Wire = InstanceType<typeof StdioServerTransport>;
type Frame = Parameters<Wire['send']>[0];

/** Keeps count of the requests read and not yet answered (or cancelled by the client). */
function trackRequests(wire: Wire): { idle(): Promise<void> } {
  const open = new Set<string | number>();
  let whenIdle: (() => void) | undefined;
  const settle = (id: unknown) => {
    open.delete(id as string | number);
    if (open.size === 0) whenIdle?.();
  };
  let onmessage = wire.onmessage;
  Object.defineProperty(wire, 'onmessage', {
    configurable: true,
    get: () => onmessage,
    set: (handler: Wire['onmessage']) => {
      onmessage =
        handler &&
        ((message, ...rest) => {
          const frame = message as { id?: string | number; method?: string; params?: { requestId?: string | number } };
          // A `subscriptions/listen` is answered only when the connection closes: it is not waited for.
          if (frame.method !== undefined && frame.id !== undefined && frame.method !== 'subscriptions/listen') open.add(frame.id);
          if (frame.method === 'notifications/cancelled') settle(frame.params?.requestId);
          handler(message, ...rest);
        });
    },
  });
  const send = wire.send.bind(wire);
  wire.send = async (message: Frame, ...rest: unknown[]) => {
    await (send as (m: Frame, ...r: unknown[]) => Promise<void>)(message, ...rest);
    const frame = message as { id?: string | number; method?: string };
    if (frame.method === undefined && frame.id !== undefined) settle(frame.id);
  };
  return { idle: () => (open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (whenIdle = resolve))) };
}

/**
 * Serves the tools over stdio. stdout carries protocol frames and nothing else. When the client closes
 * stdin, the calls it already sent are still answered (for up to ANSWER_IN_FLIGHT_MS) before the server
 * stops: the transport reads a copy of stdin that ends only then.
 */
export async function serveOverStdio(deps: ToolDeps, version: string): Promise<void> {
  const input = new PassThrough();
  process.stdin.pipe(input, { end: false });
  const wire = new StdioServerTransport(input, process.stdout);
  const requests = trackRequests(wire);
  const handle = serveStdio(() => createServer(deps, version), { transport: wire, onerror: (error) => deps.log(`transport: ${error.message}`) });
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  // A sign-in waiting for the browser will not be finished by anyone now: its call is answered as cancelled.
  await deps.login.pending?.cancel();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([requests.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ANSWER_IN_FLIGHT_MS)))]);
  clearTimeout(timer);
  input.end();
  await handle.close();
}
