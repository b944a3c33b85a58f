import fs from 'node:fs/promises';
import { text as readText } from 'node:stream/consumers';
import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { colors } from '../../io.js';
import { askPassphrase } from '../../passphrase.js';

export interface ImportOptions {
  offline?: boolean;
  force?: boolean;
  plaintext?: boolean;
}

export async function run(ctx: CommandContext, options: ImportOptions, args: string[]): Promise<number> {
  const { io } = ctx;
  const source = args[0] ?? '-';
  if (source === '-' && io.stdin.isTTY) throw usage('auth import reads the bundle from a file or from a pipe, not from the keyboard.', 'Run `confluence-adf auth import FILE`, or pipe it: `... | confluence-adf auth import`.');
  let text: string;
  try {
    text = source === '-' ? await readText(io.stdin) : await fs.readFile(source, 'utf8');
  } catch (error) {
    throw usage(`Cannot read ${source}: ${(error as Error).message}`, 'Name a bundle made by `confluence-adf auth export`.');
  }
  const core = await ctx.core();
  const result = await core.importLogin(text, {
    passphrase: () => askPassphrase(io, { confirm: false, stdinBusy: source === '-' }),
    offline: !!options.offline,
    force: !!options.force,
    plaintext: !!options.plaintext,
  });
  const c = colors(io, io.stderr);
  const who = result.login.record.account ? ` as ${result.login.record.account.name}` : '';
  ctx.say(`${c.green('✓')} Imported the login for ${result.login.record.site.name} (${result.login.record.site.url})${who}${result.proved ? '; it works' : ' (not checked: --offline)'}.`);
  return 0;
}
