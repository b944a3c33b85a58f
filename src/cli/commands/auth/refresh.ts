import type { CommandContext } from '../../main.js';
import { colors, formatTime } from '../../io.js';

export async function run(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const core = await ctx.core();
  const login = await core.session.refreshNow();
  const expiresAt = new Date(login.record.accessTokenExpiresAt).toISOString();
  if (options.json) ctx.io.stdout.write(JSON.stringify({ refreshed: true, accessTokenExpiresAt: expiresAt }) + '\n');
  else ctx.say(`${colors(ctx.io, ctx.io.stderr).green('✓')} Tokens refreshed; the access token is valid until ${formatTime(expiresAt)}.`);
  return 0;
}
