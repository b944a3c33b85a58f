import type { CommandContext } from '../../main.js';
import { colors } from '../../io.js';
import { withProfile } from '../../../core/hints.js';
import { askPassphrase } from '../../passphrase.js';
import { writeFileAtomic } from '../../../core/store/atomic.js';

export interface ExportOptions {
  output?: string;
  plaintext?: boolean;
  keep?: boolean;
}

export async function run(ctx: CommandContext, options: ExportOptions): Promise<number> {
  const { io } = ctx;
  const c = colors(io, io.stderr);
  const core = await ctx.core();
  // Fail before asking anything when there is nothing to export.
  await core.session.login();
  const passphrase = options.plaintext ? undefined : await askPassphrase(io, { confirm: true });
  if (options.plaintext) ctx.say(`${c.yellow('!')} --plaintext: the bundle holds your tokens and client secret unencrypted. Move it over a private channel and delete it after import.`);
  const login = await core.exportLogin({
    passphrase,
    keep: !!options.keep,
    write: async (bundle) => {
      if (options.output) await writeFileAtomic(options.output, bundle);
      else io.stdout.write(bundle);
    },
  });
  ctx.say(`${c.green('✓')} Exported the login for ${login.record.site.name}${options.output ? ` to ${options.output} (mode 600)` : ''}.`);
  if (options.keep) {
    ctx.say(`${c.yellow('!')} --keep: this machine keeps refreshing too. If both machines refresh the same login, Atlassian ends it for both.`);
  } else {
    ctx.say('This machine has stopped using it (refresh tokens rotate; two machines refreshing one login would end it).');
    ctx.say(`Import it elsewhere with \`confluence-adf auth import\`; ${withProfile('run `confluence-adf auth login`', ctx.activeProfile())} to sign in here again.`);
  }
  return 0;
}
