import { PassThrough, Writable } from 'node:stream';
import type { IO } from '../../src/cli/io.js';
import type { CliDeps } from '../../src/cli/main.js';
import { memoryKeyring } from './memory-keyring.js';

class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns: number | undefined;
  constructor(tty: boolean, columns?: number) {
    super();
    this.isTTY = tty;
    this.columns = columns;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** An IO of buffers with chosen TTY flags, for running commands in-process. */
export function fakeIO(options: { tty?: boolean; columns?: number; env?: Record<string, string | undefined>; noColor?: boolean } = {}) {
  const stdout = new Capture(!!options.tty, options.columns);
  const stderr = new Capture(!!options.tty, options.columns);
  const stdin = Object.assign(new PassThrough(), { isTTY: !!options.tty });
  stdin.end();
  const io: IO = { stdout, stderr, stdin, env: options.env ?? {}, noColor: !!options.noColor };
  return { io, stdout, stderr };
}

export function fakeDeps(home: string, opened: string[] = []): CliDeps {
  return {
    homedir: home,
    now: Date.now,
    keyring: async () => memoryKeyring(false),
    openBrowser: async (url) => {
      opened.push(url);
      return false;
    },
  };
}
