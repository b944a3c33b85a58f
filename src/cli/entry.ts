/** The process entry: runs the CLI and sets the exit status; nothing happens at import time. */
export function main(): void {
  const argv = process.argv.slice(2);
  void import('./main.js').then(async ({ run }) => {
    const { processIO, realStreamsInUse, realStdStream } = await import('./io.js');
    try {
      process.exitCode = await run(argv, processIO(argv.includes('--no-color')));
    } catch (error) {
      realStdStream(2).write(`Unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
      process.exitCode = 1;
    }
    // A command is done when run() returns: leave even if something native is still stuck (a keychain
    // call that never came back, say), once what was written has been flushed.
    // (What went straight to a descriptor is written already.)
    for (const fd of realStreamsInUse()) await new Promise<void>((resolve) => (fd === 1 ? process.stdout : process.stderr).write('', () => resolve()));
    process.exit();
  });
}
