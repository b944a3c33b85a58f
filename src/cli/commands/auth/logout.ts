import type { CommandContext } from '../../main.js';
import { colors } from '../../io.js';
import { knownProfiles, setStoredDefault } from '../../../core/profiles.js';

async function runAll(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const root = (await ctx.core()).paths.root;
  const results = [];
  for (const name of knownProfiles(root)) results.push({ profile: name, ...(await (await ctx.coreFor(name)).logout()) });
  await setStoredDefault(root, undefined);
  const failed = results.some((r) => r.failed.length > 0);
  if (options.json) ctx.io.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else {
    const c = colors(ctx.io, ctx.io.stderr);
    if (results.length === 0) ctx.say('No profile was signed in; nothing to remove.');
    for (const r of results) ctx.say(`${r.failed.length ? c.red('✗') : c.green('✓')} ${r.profile}: ${r.removed.length} item(s) removed${r.failed.length ? `, ${r.failed.length} could not be` : ''}${r.revoked === 'yes' ? ', revoked' : ''}.`);
  }
  return failed ? 1 : 0;
}

export async function run(ctx: CommandContext, options: { json?: boolean; all?: boolean }): Promise<number> {
  if (options.all) return runAll(ctx, options);
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
