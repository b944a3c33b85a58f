import fs from 'node:fs';
import { AppError } from '../core/errors.js';
import { canPrompt, isCI, type IO } from './io.js';
import { MIN_PASSPHRASE_LENGTH as MIN_LENGTH } from '../core/store/bundle.js';


/**
 * A passphrase from $CONFLUENCE_ADF_PASSPHRASE, else a masked prompt (twice when choosing one). When
 * stdin carries the bundle, the prompt reads the terminal itself (/dev/tty).
 */
export async function askPassphrase(io: IO, options: { confirm: boolean; stdinBusy?: boolean }): Promise<string> {
  const fromEnv = io.env.CONFLUENCE_ADF_PASSPHRASE;
  if (fromEnv) return fromEnv;
  let input: NodeJS.ReadableStream | undefined;
  if (!options.stdinBusy && canPrompt(io)) input = io.stdin;
  else if (options.stdinBusy && io.stderr.isTTY && !isCI(io.env)) {
    try {
      input = fs.createReadStream('/dev/tty');
    } catch {
      input = undefined;
    }
  }
  if (!input) {
    throw new AppError('USAGE', 'A passphrase is needed and there is no terminal to ask it at.', {
      hint: options.confirm ? 'Set CONFLUENCE_ADF_PASSPHRASE, or pass --plaintext to write an unencrypted bundle.' : 'Set CONFLUENCE_ADF_PASSPHRASE to the passphrase the bundle was exported with.',
    });
  }
  const { password } = await import('@inquirer/prompts');
  const context = { input, output: io.stderr };
  try {
    const first = await password({ message: options.confirm ? 'Passphrase to seal the bundle:' : 'Passphrase of the bundle:', mask: '*', validate: (v) => !options.confirm || v.length >= MIN_LENGTH || `At least ${MIN_LENGTH} characters.` }, context);
    if (!options.confirm) return first;
    const second = await password({ message: 'The same passphrase again:', mask: '*' }, context);
    if (first !== second) throw new AppError('USAGE', 'The two passphrases differ.', { hint: 'Run the command again and type the same passphrase twice.' });
    return first;
  } finally {
    if (input !== io.stdin) (input as fs.ReadStream).destroy?.();
  }
}
