#!/usr/bin/env node
// CommonJS on purpose (see bin/package.json): `--version` and a plain `<command> --help` are answered
// from dist/bundle/help.json, written at build time from the real command tree, without starting
// Node's ESM loader or the CLI. Everything else goes to the bundled CLI entry.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// A closed pipe (`confluence-adf auth status | head -1`) ends the command quietly, as in every Unix tool.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const argv = process.argv.slice(2);
const fast = (() => {
  const last = argv[argv.length - 1];
  const wantsVersion = argv.length === 1 && (last === '--version' || last === '-V');
  const wantsHelp = (last === '--help' || last === '-h') && argv.slice(0, -1).every((word) => !word.startsWith('-'));
  if (!wantsVersion && !wantsHelp) return undefined;
  try {
    const texts = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'dist', 'bundle', 'help.json'), 'utf8'));
    return wantsVersion ? `${texts['--version']}\n` : texts[argv.slice(0, -1).join(' ')];
  } catch {
    return undefined;
  }
})();

if (fast !== undefined) process.stdout.write(fast);
else require('../dist/bundle/cli.cjs').main();
