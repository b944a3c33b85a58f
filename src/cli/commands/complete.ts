import fs from 'node:fs/promises';
import { resolvePaths } from '../../core/config.js';
import { activeProfile, knownProfiles, rootDir } from '../../core/profiles.js';
import type { CommandContext } from '../main.js';

/**
 * Site names come from the network (and the file): only plain words are offered, nothing a shell
 * would read as syntax ($, backquotes, quotes, globs, spaces) and no control characters.
 */
const SAFE_CANDIDATE = /^[\p{L}\p{N}][\p{L}\p{N}._:@+-]*$/u;

/**
 * Values for the completion scripts, from what is stored in plain sight (site names are not secret),
 * so a TAB never unlocks the keychain or touches the network. Prints nothing when there is nothing.
 */
export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  if (args[0] === 'profiles') {
    const names = knownProfiles(rootDir(ctx.io.env, ctx.deps.homedir));
    if (names.length) ctx.io.stdout.write(`${names.join('\n')}\n`);
    return 0;
  }
  if (args[0] !== 'sites') return 0;
  try {
    const root = rootDir(ctx.io.env, ctx.deps.homedir);
    const { tokenFile } = resolvePaths(ctx.io.env, ctx.deps.homedir, activeProfile(ctx.io.env, root, ctx.global.profile).name);
    const file = JSON.parse(await fs.readFile(tokenFile, 'utf8')) as { record?: { sites?: { name?: string; url?: string }[] } };
    const names = (file.record?.sites ?? []).flatMap((s) => [s.name, s.url ? new URL(s.url).host : undefined]).filter((v): v is string => typeof v === 'string' && SAFE_CANDIDATE.test(v));
    if (names.length) ctx.io.stdout.write(`${[...new Set(names)].join('\n')}\n`);
  } catch {
    // No login, or an unreadable file: no candidates.
  }
  return 0;
}
