import type { Readable, Writable } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
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

export function colors(io: IO, stream: OutStream): ChalkInstance {
  return new Chalk({ level: colorLevel(io, stream) });
}

export function isCI(env: Env): boolean {
  return !!env.CI && env.CI !== 'false' && env.CI !== '0';
}

/** A person is there to answer: stdin and stderr are terminals, not CI, not --json. */
export function canPrompt(io: IO, json = false): boolean {
  return !json && !!io.stdin.isTTY && !!io.stderr.isTTY && !isCI(io.env);
}

export function processIO(noColor = false): IO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, noColor };
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
