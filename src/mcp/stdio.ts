import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createServer } from './server.js';
import type { ToolDeps } from './context.js';

/** Serves the tools over stdio. stdout carries protocol frames and nothing else. */
export async function serveOverStdio(deps: ToolDeps, version: string): Promise<void> {
  const handle = serveStdio(() => createServer(deps, version), { onerror: (error) => deps.log(`transport: ${error.message}`) });
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await deps.login.pending?.cancel();
  await handle.close();
}
