import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(ROOT, 'bin', 'confluence-adf.js');
export const FAKE_BROWSER = `${process.execPath} ${path.join(ROOT, 'dist', 'test', 'support', 'browser.js')}`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, with only the environment given (plus PATH and HOME). */
export function runCli(args: string[], options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Starts the built CLI and hands back its process (to signal it) and its result. */
export function startCli(args: string[], options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir() };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
  return startProcess(process.execPath, [BIN, ...args], { ...options, env });
}

/** Runs any command to its end with exactly the environment given, and collects what it wrote. */
export function runProcess(command: string, args: string[], options: { env: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number }): Promise<CliResult> {
  return startProcess(command, args, options).done;
}

function startProcess(command: string, args: string[], options: { env: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number }): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(command, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
  const done = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(options.input ?? '');
  });
  return { child, done };
}

/** Resolves once the process is stopped (SIGSTOP: state T in /proc); Linux only. */
export async function waitUntilStopped(pid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (/\) T /.test(stat)) return;
    if (stat === '' || Date.now() > deadline) throw new Error(`process ${pid} did not stop`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A fresh CONFLUENCE_ADF_HOME, removed by the returned cleanup. */
export async function tempHome(): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'cadf-'));
  return { home, cleanup: () => fs.rm(home, { recursive: true, force: true }) };
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** The environment of a process with no Secret Service (no D-Bus session). */
export const NO_KEYRING = { DBUS_SESSION_BUS_ADDRESS: undefined };
