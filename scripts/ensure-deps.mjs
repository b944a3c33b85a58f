/**
 * First step of `npm run demo` and `npm test`: on a fresh clone (no node_modules) or after
 * package-lock.json changed, install exactly what the lock file names with `npm ci`. When
 * node_modules is current this is two stat calls, so the README's commands stay fast.
 * Plain Node, no dependencies: it runs before any exist.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mtime = (file) => {
  try {
    return fs.statSync(path.join(root, file)).mtimeMs;
  } catch {
    return undefined;
  }
};

// npm writes node_modules/.package-lock.json at the end of every install: its absence means no
// (complete) install, and a lock file newer than it means the install is stale.
const installed = mtime('node_modules/.package-lock.json');
const wanted = mtime('package-lock.json');
if (installed === undefined || (wanted !== undefined && wanted > installed)) {
  process.stderr.write(
    installed === undefined
      ? 'confluence-adf: no node_modules yet, installing the locked dependencies (npm ci)…\n'
      : 'confluence-adf: package-lock.json changed since the last install, reinstalling (npm ci)…\n',
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    process.stderr.write(
      `confluence-adf: npm ci failed (exit ${result.status ?? result.signal}). Check that the npm registry is reachable, then run \`npm ci\` yourself.\n`,
    );
    process.exit(result.status || 1);
  }
}
