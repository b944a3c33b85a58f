import fs from 'node:fs/promises';
import { resolvePaths } from '../../core/config.js';
import type { CommandContext } from '../main.js';

/**
 * Values for the completion scripts, from what is stored in plain sight (site names are not secret),
 * so a TAB never unlocks the keychain or touches the network. Prints nothing when there is nothing.
 */
export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  if (args[0] !== 'sites') return 0;
  try {
    const { tokenFile } = resolvePaths(ctx.io.env, ctx.deps.homedir);
    const file = JSON.parse(await fs.readFile(tokenFile, 'utf8')) as { record?: { sites?: { name?: string; url?: string }[] } };
    const names = (file.record?.sites ?? []).flatMap((s) => [s.name, s.url ? new URL(s.url).host : undefined]).filter((v): v is string => !!v && !/\s/.test(v));
    if (names.length) ctx.io.stdout.write(`${[...new Set(names)].join('\n')}\n`);
  } catch {
    // No login, or an unreadable file: no candidates.
  }
  return 0;
}
