import type { CommandContext } from '../../main.js';
import { colors } from '../../io.js';

export async function run(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const core = await ctx.core();
  const report = await core.logout();
  const code = report.failed.length > 0 ? 1 : 0;
  if (options.json) {
    ctx.io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return code;
  }
  const c = colors(ctx.io, ctx.io.stderr);
  if (!report.wasSignedIn) ctx.say('You were not signed in; nothing to remove.');
  else {
    for (const what of report.removed) ctx.say(`${c.green('✓')} Removed ${what}`);
    if (report.revoked === 'yes') ctx.say(`${c.green('✓')} Atlassian revoked the tokens.`);
  }
  for (const failure of report.failed) ctx.say(`${c.red('✗')} Could not remove ${failure.what}: ${failure.error}`);
  if (report.wasSignedIn) ctx.say('To remove the app\'s access at Atlassian too: account settings → Security → Connected apps (https://id.atlassian.com/manage-profile/apps).');
  return code;
}
