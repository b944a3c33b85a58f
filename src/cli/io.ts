import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Chalk } from 'chalk';
import type { Env } from '../core/config.js';

export type OutStream = Writable & { isTTY?: boolean; columns?: number };
export type InStream = Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/** The terminal as commands see it: injected so tests can fake TTY and non-TTY alike. */
export interface IO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Env;
  /** Set by --no-color. */
  noColor: boolean;
}

/** Colour level for a stream: off for pipes, NO_COLOR, TERM=dumb and --no-color; FORCE_COLOR wins over a pipe. */
export function colorLevel(io: IO, stream: OutStream): 0 | 1 | 2 | 3 {
  if (io.noColor) return 0;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return 0;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  if (io.env.TERM === 'dumb' || !stream.isTTY) return 0;
  return /truecolor|24bit/i.test(io.env.COLORTERM ?? '') ? 3 : /256/.test(io.env.TERM ?? '') ? 2 : 1;
}

type Style = (text: string) => string;

/** The styles commands use. */
export interface Colours {
  green: Style;
  yellow: Style;
  red: Style;
  dim: Style;
  bold: Style;
  cyan: Style;
}

const asIs: Style = (text) => text;
const PLAIN: Colours = { green: asIs, yellow: asIs, red: asIs, dim: asIs, bold: asIs, cyan: asIs };

/**
 * Styles for a stream: chalk at the stream's colour level, or, with colour off (a pipe, a file,
 * NO_COLOR, --no-color), the text as it is, without making a chalk instance; the bundle then never
 * loads chalk, whose set-up is a twentieth of `auth status` (scripts/bundle.mjs).
 */
export function colors(io: IO, stream: OutStream): Colours {
  const level = colorLevel(io, stream);
  return level === 0 ? PLAIN : new Chalk({ level });
}

export function isCI(env: Env): boolean {
  return !!env.CI && env.CI !== 'false' && env.CI !== '0';
}

/** A person is there to answer: stdin and stderr are terminals, not CI, not --json. */
export function canPrompt(io: IO, json = false): boolean {
  return !json && !!io.stdin.isTTY && !!io.stderr.isTTY && !isCI(io.env);
}

/**
 * The process's own stdio. Node builds process.stdout and friends on first touch, and that loads its
 * whole stream stack (a tenth of `auth status --offline`). So stdin is touched only when a command reads
 * it, and stdout/stderr going to a pipe or a file are written straight to their descriptor, synchronously,
 * as Node itself does for pipes and files on Linux. A terminal, a descriptor that would block, or any
 * use beyond write() switches to the real stream, after everything already written.
 */
export function processIO(noColor = false): IO {
  const stdout = directOut(1);
  const stderr = directOut(2);
  return {
    stdout,
    stderr,
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    noColor,
  };
}

/** process.stdout or process.stderr, ending the process quietly when the reader has gone (`| head -1`). */
export function realStdStream(fd: 1 | 2): OutStream {
  const stream = fd === 1 ? process.stdout : process.stderr;
  if (!quieted.has(fd)) {
    quieted.add(fd);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  return stream;
}
const quieted = new Set<number>();
/** Which of stdout/stderr were handed to Node's own stream (entry.ts flushes only those). */
export const realStreamsInUse = (): (1 | 2)[] => [...quieted] as (1 | 2)[];

function directOut(fd: 1 | 2): OutStream {
  let real: OutStream | undefined;
  try {
    if (fs.fstatSync(fd).isCharacterDevice()) real = realStdStream(fd);
  } catch {
    real = realStdStream(fd);
  }
  if (real) return real;
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const callback = rest.find((arg): arg is (error?: Error | null) => void => typeof arg === 'function');
    if (real) return real.write(chunk, callback);
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let written = 0;
    try {
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw error;
      real = realStdStream(fd);
      return real.write(bytes.subarray(written), callback);
    }
    if (callback) process.nextTick(callback);
    return true;
  };
  // Everything but write() (and isTTY while still direct) is the real stream's.
  return new Proxy({}, {
    get(_target, key) {
      if (key === 'write') return write;
      if (key === 'isTTY' && !real) return false;
      real ??= realStdStream(fd);
      const value = Reflect.get(real, key) as unknown;
      return typeof value === 'function' ? value.bind(real) : value;
    },
  }) as unknown as OutStream;
}

/** A spinner on stderr when it is a terminal; plain single lines otherwise. */
export function spinner(io: IO, text: string): { stop(final?: string): void } {
  if (!io.stderr.isTTY) {
    io.stderr.write(`${text}\n`);
    return { stop: (final) => (final ? void io.stderr.write(`${final}\n`) : undefined) };
  }
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  const c = colors(io, io.stderr);
  let i = 0;
  const draw = () => io.stderr.write(`\r\x1b[2K${c.cyan(frames[i++ % frames.length])} ${text}`);
  draw();
  const timer = setInterval(draw, 80);
  timer.unref();
  return {
    stop(final) {
      clearInterval(timer);
      io.stderr.write(`\r\x1b[2K${final ? `${final}\n` : ''}`);
    },
  };
}

/**
 * A local date and time for people, e.g. "2026-11-22 23:21 (UTC+01:00)". Hand-made because the first
 * toLocaleString() loads ICU's locale data, a cost every `auth status` would pay at start-up.
 */
export function formatTime(value: number | string): string {
  const date = new Date(value);
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = `UTC${offset >= 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())} (${zone})`;
}
