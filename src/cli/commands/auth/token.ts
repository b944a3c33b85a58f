import type { CommandContext } from '../../main.js';

/** The one command whose stdout is a secret, because the user asked for exactly that. */
export async function run(ctx: CommandContext): Promise<number> {
  const core = await ctx.core();
  const token = await core.session.accessToken();
  ctx.io.stdout.write(`${token}\n`);
  return 0;
}
