#!/usr/bin/env node
// CommonJS on purpose (see bin/package.json): `--version` and a plain `<command> --help` are answered
// from dist/bundle/help.json, written at build time from the real command tree, without starting
// Node's ESM loader or the CLI. Everything else goes to the bundled CLI entry.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

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

if (fast !== undefined) writeAnswer(fast);
else {
  // A closed pipe (`confluence-adf auth status | head -1`) ends the command quietly, as in every Unix
  // tool: src/cli/io.ts sees to it, touching process.stdout only when a command needs the real stream.
  const loadCached = require('./load-cached.js');
  const command = commandWords(argv);
  loadCached(path.join(__dirname, '..', 'dist', 'bundle', loadCached.cliBundleFor(command)), command).main();
}

/**
 * Writes a ready answer straight to descriptor 1: setting up process.stdout (a socket for a pipe)
 * would cost more than the answer. A closed pipe ends quietly; a pipe that cannot take it all at once
 * gets the rest through process.stdout.
 */
function writeAnswer(text) {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += fs.writeSync(1, bytes, written);
  } catch (error) {
    if (error.code === 'EPIPE') process.exit(0);
    if (error.code !== 'EAGAIN') throw error;
    process.stdout.on('error', (e) => (e.code === 'EPIPE' ? process.exit(0) : undefined));
    process.stdout.write(bytes.subarray(written));
  }
}

/** The command a line runs, as `auth-status`: its first two words that are not options (nor option values). */
function commandWords(words) {
  const found = [];
  for (let i = 0; i < words.length && found.length < 2; i++) {
    if (words[i] === '--profile' || words[i] === '--storage') i++;
    else if (words[i] === '--') break;
    else if (!words[i].startsWith('-')) found.push(words[i]);
  }
  return found.join('-');
}
