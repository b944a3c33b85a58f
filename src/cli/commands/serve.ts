import fs from 'node:fs';
import type { CommandContext } from '../main.js';
import { realStdStream } from '../io.js';
import { usage } from '../main.js';

export interface ServeOptions {
  mcp?: boolean;
  logFile?: string;
}

const CONFIG_NOTE = `confluence-adf serve --mcp speaks the Model Context Protocol on stdin/stdout and is meant to be started
by an MCP client, not typed at a terminal. For example:
  claude mcp add confluence -- confluence-adf serve --mcp
or in Claude Desktop's claude_desktop_config.json:
  { "mcpServers": { "confluence": { "command": "confluence-adf", "args": ["serve", "--mcp"] } } }
Waiting for a client on stdin (Ctrl-D or Ctrl-C to stop)…
`;

export async function run(ctx: CommandContext, options: ServeOptions): Promise<number> {
  if (!options.mcp) throw usage('serve needs --mcp (the only server there is).', 'Run `confluence-adf serve --mcp`.');
  const { io } = ctx;
  const logStream = options.logFile ? openPrivateLog(options.logFile) : undefined;
  const log = (line: string) => {
    const stamped = `${new Date().toISOString()} ${line}\n`;
    if (logStream) logStream.write(stamped);
    else io.stderr.write(stamped);
  };
  if (io.stdin.isTTY) io.stderr.write(CONFIG_NOTE);
  const [{ serveOverStdio }, version] = await Promise.all([import('../../mcp/stdio.js'), ctx.version()]);
  // The SDK writes frames to process.stdout itself: a client that goes away ends the server quietly.
  realStdStream(1);
  log(`confluence-adf ${version} MCP server started (pid ${process.pid})`);
  await serveOverStdio({ core: ctx.core, openBrowser: ctx.deps.openBrowser, env: io.env, log, login: {} }, version);
  log('MCP server stopped');
  logStream?.end();
  return 0;
}

/** The log names sites, spaces and accounts: an existing file is made owner-only too, not just a new one. */
function openPrivateLog(file: string): fs.WriteStream {
  let fd: number;
  try {
    fd = fs.openSync(file, 'a', 0o600);
    fs.fchmodSync(fd, 0o600);
  } catch (error) {
    throw usage(`Cannot use ${file} as the log file: ${(error as Error).message}`, 'Pass --log-file with a file of your own in a directory you can write.');
  }
  return fs.createWriteStream(file, { fd });
}
