/**
 * The README's first command on a fresh clone with nothing run before it: no node_modules, no dist.
 * `npm run demo` must install what it needs itself and then do the main job.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/cli.js';
import { requirement } from '../support/requirements.js';

const isGitCheckout = spawnSync('git', ['-C', ROOT, 'rev-parse', '--verify', 'HEAD'], { stdio: 'ignore' }).status === 0;

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // A clean environment as a newcomer has it: no NODE_ENV, no npm_* variables of the outer `npm test`.
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('npm_') && k !== 'NODE_ENV' && k !== 'INIT_CWD') env[k] = v;
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('`npm run demo` works on a fresh clone with no node_modules', { skip: requirement(isGitCheckout, 'a git checkout of this repository'), timeout: 600_000 }, async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confluence-adf-clone-'));
  try {
    const clone = path.join(dir, 'main');
    const cloned = await run('git', ['clone', '-q', ROOT, clone], dir);
    assert.equal(cloned.code, 0, cloned.output);
    await assert.rejects(fs.access(path.join(clone, 'node_modules')), 'a fresh clone has no node_modules');

    const demo = await run('npm', ['run', 'demo'], clone);
    assert.equal(demo.code, 0, demo.output);
    assert.match(demo.output, /installing the locked dependencies/);
    assert.match(demo.output, /Signed in/i);
    assert.match(demo.output, /Done\./);

    // A second run finds everything in place and installs nothing.
    const again = await run('npm', ['run', 'demo'], clone);
    assert.equal(again.code, 0, again.output);
    assert.doesNotMatch(again.output, /npm ci/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
