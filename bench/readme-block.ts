/**
 * Writes a bench's figures into README.md between its markers, `<!-- NAME:start (written by `npm run
 * NAME`) -->` and `<!-- NAME:end -->`, so the README shows what a run printed and nothing copied by hand.
 * Returns false (and says why on stderr) when the README has no such block.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout: this file runs from dist/bench/. */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function writeReadmeBlock(name: string, text: string): boolean {
  const readmePath = path.join(REPO, 'README.md');
  const readme = fs.readFileSync(readmePath, 'utf8');
  const start = `<!-- ${name}:start (written by \`npm run ${name}\`) -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) {
    process.stderr.write(`README.md has no ${start} … ${end} block; the table was not written there.\n`);
    return false;
  }
  const temp = `${readmePath}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${readme.slice(0, from + start.length)}\n${text}\n${readme.slice(to)}`);
  fs.renameSync(temp, readmePath);
  process.stderr.write(`README.md: the ${name} table updated.\n`);
  return true;
}
