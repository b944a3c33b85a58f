/**
 * Build step: writes the completion scripts made from the command tree to dist/completions/ (or, with
 * --write-committed, to completions/), and every command's help text beside the bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPLETION_FILES, completionScript } from './completion.js';
import { helpTexts } from './help-cache.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const target = path.join(root, process.argv[2] === '--write-committed' ? 'completions' : 'dist/completions');
fs.mkdirSync(target, { recursive: true });
for (const [shell, file] of Object.entries(COMPLETION_FILES)) fs.writeFileSync(path.join(target, file), completionScript(shell as 'bash'));

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
if (fs.existsSync(path.join(root, 'dist/bundle'))) fs.writeFileSync(path.join(root, 'dist/bundle/help.json'), JSON.stringify({ ...helpTexts(pkg.version), '--version': pkg.version }));
