/** What a person new to the CLI runs into first: pipes, exit codes, hints, help. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { AtlassianEmulator } from '../emulator/server.js';
import { BIN, type CliResult } from '../support/cli.js';
import { signedInHome } from '../support/core.js';

const emu = new AtlassianEmulator();
before(() => emu.start());
after(() => emu.stop());

/** Runs the bin with its stdout closed by the reader before the first line, as `| head -0` would. */
function runWithClosedStdout(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: '', stderr }));
  });
}

describe('a closed pipe', () => {
  for (const args of [['auth', 'status'], ['spaces', 'list'], ['spaces', 'list', '--all', '--limit', '5'], ['--help']]) {
    test(`\`${args.join(' ')} | head\` ends quietly with status 0`, async () => {
      const { env, cleanup } = await signedInHome(emu);
      try {
        const result = await runWithClosedStdout(args, env);
        assert.doesNotMatch(result.stderr, /EPIPE|at .*\(|Unexpected error/, result.stderr);
        assert.equal(result.code, 0, result.stderr);
      } finally {
        await cleanup();
      }
    });
  }

});
