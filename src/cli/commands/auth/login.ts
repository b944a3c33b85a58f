import { parsePort } from '../../../core/config.js';
import { withOfflineAccess, DEFAULT_SCOPES } from '../../../core/auth/scopes.js';
import type { Site } from '../../../core/store/token-store.js';
import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { canPrompt, colors, spinner } from '../../io.js';
import { resolveClientCredentials } from '../../credentials.js';

export interface LoginOptions {
  clientId?: string;
  clientSecretStdin?: boolean;
  callbackPort: string;
  scopes?: string;
  site?: string;
  browser: boolean;
  timeout: string;
  json?: boolean;
}

export async function run(ctx: CommandContext, options: LoginOptions): Promise<number> {
  const { io } = ctx;
  const c = colors(io, io.stderr);
  const port = parsePort(options.callbackPort);
  const timeoutS = Number(options.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw usage(`Invalid --timeout "${options.timeout}".`, 'Pass --timeout with a number of seconds, e.g. --timeout 300.');
  const scopes = withOfflineAccess(options.scopes ? [options.scopes] : DEFAULT_SCOPES);

  const core = await ctx.core();
  const credentials = await resolveClientCredentials(core, io, options);
  const pending = await core.startLogin({ clientId: credentials.clientId, clientSecret: credentials.clientSecret, callbackPort: port, scopes, ...(options.site ? { site: options.site } : {}) });

  ctx.say(`Open this address to sign in to Atlassian:\n\n  ${pending.url}\n`);
  if (options.browser) {
    const opened = await ctx.deps.openBrowser(pending.url);
    if (!opened) ctx.say(`${c.yellow('!')} No browser could be opened here. Open the address above in any browser on this machine.`);
  } else {
    ctx.say(`On another machine, forward the callback port first: ssh -L ${port}:localhost:${port} <this host>`);
  }

  const chooseSite = canPrompt(io, options.json)
    ? async (sites: Site[]) => {
        const { select } = await import('@inquirer/prompts');
        return select({ message: 'Which Confluence site?', choices: sites.map((s) => ({ name: `${s.name}  ${c.dim(s.url)}`, value: s })) }, { input: io.stdin, output: io.stderr });
      }
    : undefined;
  const wait = spinner(io, `Waiting for the browser (up to ${timeoutS} s; Ctrl-C to cancel)…`);
  let result;
  try {
    result = await pending.complete({ timeoutMs: timeoutS * 1000, ...(chooseSite ? { chooseSite: async (sites) => (wait.stop(), chooseSite(sites)) } : {}) });
  } finally {
    wait.stop();
  }

  const who = result.account ? ` as ${result.account.name}${result.account.email ? ` <${result.account.email}>` : ''}` : '';
  ctx.say(`${c.green('✓')} Signed in to ${result.site.name} (${result.site.url})${who}.`);
  ctx.say(`  Tokens are stored ${result.keyLocation === 'keyring' ? 'encrypted, with the key in the OS keychain' : `encrypted, with the key in ${core.paths.keyFile}`}.`);
  if (result.missingScopes.length > 0) {
    ctx.say(`${c.yellow('!')} Atlassian did not grant: ${result.missingScopes.join(', ')}. Commands that need them will fail until they are added to the app.`);
  }
  if (options.json) {
    io.stdout.write(
      JSON.stringify({ signedIn: true, site: result.site, sites: result.sites, account: result.account ?? null, scopes: result.scopes, storage: result.keyLocation }, null, 2) + '\n',
    );
  }
  return 0;
}
