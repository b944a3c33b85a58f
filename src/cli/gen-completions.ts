/** Build step: writes the completion scripts made from the command tree to dist/completions/. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPLETION_FILES, completionScript } from './completion.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const target = path.join(root, process.argv[2] === '--write-committed' ? 'completions' : 'dist/completions');
fs.mkdirSync(target, { recursive: true });
for (const [shell, file] of Object.entries(COMPLETION_FILES)) fs.writeFileSync(path.join(target, file), completionScript(shell as 'bash'));
