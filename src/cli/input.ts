import fs from 'node:fs/promises';
import { text as readText } from 'node:stream/consumers';
import type { IO } from './io.js';
import { usage } from './main.js';

/**
 * The text a verb works on: the file named, or standard input for `-` or nothing. A terminal on stdin
 * would wait for typing that never comes, so that is a usage mistake naming the way out.
 */
export async function readInput(io: IO, file: string | undefined, command: string): Promise<{ text: string; source: string }> {
  const source = file ?? '-';
  if (source === '-' && io.stdin.isTTY) {
    throw usage(`${command} reads a file or a pipe, not the keyboard.`, `Run \`confluence-adf ${command} FILE\`, or pipe into it: \`... | confluence-adf ${command}\`.`);
  }
  try {
    return { text: source === '-' ? await readText(io.stdin) : await fs.readFile(source, 'utf8'), source: source === '-' ? '<stdin>' : source };
  } catch (error) {
    throw usage(`Cannot read ${source}: ${(error as Error).message}`, 'Name a file that exists, or pipe the document into the command.');
  }
}
