import type { CommandContext } from '../../main.js';
import { colors } from '../../io.js';
import { checkProfileName, DEFAULT_PROFILE, requireKnownProfile, rootDir, setStoredDefault } from '../../../core/profiles.js';

export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const name = checkProfileName(args[0]!);
  const root = rootDir(ctx.io.env, ctx.deps.homedir);
  requireKnownProfile(root, name);
  await setStoredDefault(root, name === DEFAULT_PROFILE ? undefined : name);
  ctx.say(`${colors(ctx.io, ctx.io.stderr).green('✓')} Later commands use the profile "${name}".`);
  if (ctx.io.env.CONFLUENCE_ADF_PROFILE && ctx.io.env.CONFLUENCE_ADF_PROFILE !== name) {
    ctx.say(`  (In this shell CONFLUENCE_ADF_PROFILE=${ctx.io.env.CONFLUENCE_ADF_PROFILE} still wins; unset it to follow the switch.)`);
  }
  return 0;
}
