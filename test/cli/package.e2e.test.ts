/**
 * The package as a user gets it: `npm pack` from a checkout with no dist/ (prepack builds), the
 * tarball holding only what runs, installed with `npm install -g --prefix` and run from there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { ROOT, runProcess } from '../support/cli.js';
import { CORPUS_DIR } from '../support/adf-corpus.js';
import { requirement } from '../support/requirements.js';

const isGitCheckout = spawnSync('git', ['-C', ROOT, 'rev-parse', '--verify', 'HEAD'], { stdio: 'ignore' }).status === 0;

/** Runs a command with this process's environment, minus the npm_* variables of an outer `npm test` that would steer the inner npm. */
function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('npm_') && k !== 'INIT_CWD') env[k] = v;
  return runProcess(command, args, { cwd: options.cwd, env: { ...env, ...options.env }, timeoutMs: 300_000 });
}

/** The checkout's files as they are on disk (tracked and new, not ignored), without dist/ or node_modules. */
async function copyCheckout(to: string): Promise<void> {
  const listed = spawnSync('git', ['-C', ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = path.join(ROOT, file);
    const stat = await fs.lstat(from).catch(() => undefined);
    if (!stat?.isFile()) continue;
    await fs.mkdir(path.dirname(path.join(to, file)), { recursive: true });
    await fs.copyFile(from, path.join(to, file));
  }
  // The build tools come from this checkout; the installed package gets its own dependencies.
  await fs.symlink(path.join(ROOT, 'node_modules'), path.join(to, 'node_modules'), 'dir');
}

test('npm pack builds, ships only what runs, and the installed bin answers --help, auth status, adf validate and MCP initialize', { skip: requirement(isGitCheckout, 'a git checkout of this repository'), timeout: 600_000 }, async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confluence-adf-pack-'));
  try {
    const checkout = path.join(dir, 'checkout');
    await copyCheckout(checkout);
    await assert.rejects(fs.access(path.join(checkout, 'dist')), 'no dist/ before packing');

    const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: checkout });
    assert.equal(packed.code, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path).sort();
    assert.deepEqual(files, [
      'LICENSE',
      'README.md',
      'bin/confluence-adf.js',
      'bin/load-cached.js',
      'bin/package.json',
      'completions/_confluence-adf',
      'completions/confluence-adf.bash',
      'completions/confluence-adf.fish',
      'dist/bundle/adf.cjs',
      'dist/bundle/cli-light.cjs',
      'dist/bundle/cli.cjs',
      'dist/bundle/got-lazy.cjs',
      'dist/bundle/got.cjs',
      'dist/bundle/help.json',
      'dist/bundle/mcp-sdk.cjs',
      'dist/bundle/schema-nodes.cjs',
      'dist/bundle/schema-verdict.cjs',
      'package.json',
    ]);

    // What the bundle inlines is not installed a second time as a runtime dependency.
    const pkg = JSON.parse(await fs.readFile(path.join(checkout, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; license: string };
    const bundleDir = path.join(checkout, 'dist', 'bundle');
    const bundles = await Promise.all((await fs.readdir(bundleDir)).filter((f) => f.endsWith('.cjs')).map((f) => fs.readFile(path.join(bundleDir, f), 'utf8')));
    const bundle = bundles.join('\n');
    for (const dependency of Object.keys(pkg.dependencies)) assert.ok(!bundle.includes(`// node_modules/${dependency}/`), `${dependency} is both inlined and a dependency`);
    assert.match(await fs.readFile(path.join(checkout, 'LICENSE'), 'utf8'), new RegExp(`^${pkg.license} License`));

    const prefix = path.join(dir, 'prefix');
    const installed = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', path.join(dir, info!.filename)], { cwd: dir });
    assert.equal(installed.code, 0, installed.stderr);
    const bin = path.join(prefix, 'bin', 'confluence-adf');
    const home = path.join(dir, 'home');
    const env = { CONFLUENCE_ADF_HOME: home };

    const help = await run(bin, ['--help'], { cwd: dir, env });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: confluence-adf/);
    const status = await run(bin, ['auth', 'status'], { cwd: dir, env });
    assert.equal(status.code, 4, status.stderr);
    assert.match(status.stderr, /auth login/);
    const spacesHelp = await run(bin, ['help', 'spaces', 'list'], { cwd: dir, env });
    assert.equal(spacesHelp.code, 0, spacesHelp.stderr);
    // The schema validators ship beside the bundle; ajv and the @atlaskit packages do not.
    const valid = await run(bin, ['adf', 'validate', path.join(CORPUS_DIR, 'confluence-page-node-doc.json')], { cwd: dir, env });
    assert.equal(valid.code, 0, valid.stderr);
    const invalid = await run(bin, ['adf', 'validate', path.join(CORPUS_DIR, 'atlassian-renderer-annotation.json')], { cwd: dir, env });
    assert.equal(invalid.code, 1, invalid.stderr);
    assert.match(invalid.stderr, /\/content\/0\/content\/0\/marks\/0\/attrs {2}annotation is missing the attribute "annotationType"/);

    const client = new Client({ name: 'package-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: bin, args: ['serve', '--mcp'], env: { PATH: process.env.PATH!, ...env }, stderr: 'ignore' }));
    try {
      assert.equal(client.getServerVersion()?.name, 'confluence-adf');
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'auth_status'));
    } finally {
      await client.close();
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
