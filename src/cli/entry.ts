import { run } from './main.js';
import { processIO } from './io.js';

/** The process entry: runs the CLI and sets the exit status; nothing happens at import time. */
export function main(): void {
  const argv = process.argv.slice(2);
  const io = processIO(argv.includes('--no-color'));
  run(argv, io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
