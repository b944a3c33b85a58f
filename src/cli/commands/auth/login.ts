import { parsePort } from '../../../core/config.js';
import { withOfflineAccess, DEFAULT_SCOPES } from '../../../core/auth/scopes.js';
import { parsePastedCallback, type LoginResult } from '../../../core/auth/login.js';
import type { Site } from '../../../core/store/token-store.js';
import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { canPrompt, colors, formatTime, spinner } from '../../io.js';
import { resolveClientCredentials } from '../../credentials.js';
import { withProfile } from '../../../core/hints.js';

export interface LoginOptions {
  clientId?: string;
  clientSecretStdin?: boolean;
  callbackPort?: string;
  callbackUrl?: string;
  scopes?: string;
  site?: string;
  browser: boolean;
  timeout: string;
  json?: boolean;
}

export async function run(ctx: CommandContext, options: LoginOptions): Promise<number> {
  const { io } = ctx;
  const core = await ctx.core();
  core.refuseWithEnvToken('sign in');
  if (options.callbackUrl) return report(ctx, await core.completeDeferredLogin(options.callbackUrl), options);

  // The flag, else the environment, else what the last login of this profile used (the app's registered callback).
  const port = options.callbackPort !== undefined ? parsePort(options.callbackPort) : (await core.configuredCallbackPort());
  const timeoutS = Number(options.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw usage(`Invalid --timeout "${options.timeout}".`, 'Pass --timeout with a number of seconds, e.g. --timeout 300.');
  const scopes = withOfflineAccess(options.scopes ? [options.scopes] : DEFAULT_SCOPES);
  const credentials = await resolveClientCredentials(core, io, options);
  const request = { clientId: credentials.clientId, clientSecret: credentials.clientSecret, callbackPort: port, scopes, ...(options.site ? { site: options.site } : {}) };
  const person = canPrompt(io, options.json);

  if (!options.browser && !person) {
    // No browser and no one to paste: save the sign-in and finish it in a second command.
    const pending = await core.startDeferredLogin(request);
    ctx.say(`Open this address in a browser on any machine and approve:\n\n  ${pending.url}\n`);
    ctx.say(`The browser then fails to load http://localhost:${port}/… — that is expected. Copy that address from its address bar and run:\n`);
    ctx.say(`  ${withProfile("`confluence-adf auth login --callback-url '<the address>'`", ctx.activeProfile()).slice(1, -1)}\n`);
    ctx.say(`This sign-in waits until ${formatTime(pending.expiresAt)} (10 minutes).`);
    ctx.say(`(With a terminal you could instead forward the port, ssh -L ${port}:localhost:${port} <this host>, and run auth login there.)`);
    if (options.json) io.stdout.write(JSON.stringify({ signedIn: false, pending: true, url: pending.url, expiresAt: new Date(pending.expiresAt).toISOString() }, null, 2) + '\n');
    return 0;
  }

  const c = colors(io, io.stderr);
  const pending = await core.startLogin(request);
  ctx.say(`Open this address to sign in to Atlassian:\n\n  ${pending.url}\n`);
  let pasted: Promise<URLSearchParams> | undefined;
  const stopPrompt = new AbortController();
  if (options.browser) {
    const opened = await ctx.deps.openBrowser(pending.url);
    if (!opened) ctx.say(`${c.yellow('!')} No browser could be opened here. Open the address above in any browser on this machine.`);
  } else {
    ctx.say(`Approve in a browser on any machine. It then fails to load http://localhost:${port}/… — that is expected: paste that address below.`);
    ctx.say(`(Or forward the port instead: ssh -L ${port}:localhost:${port} <this host>, and open the address there.)\n`);
    const { input } = await import('@inquirer/prompts');
    pasted = input({ message: 'Address the browser was sent to (or just the code):', required: true }, { input: io.stdin, output: io.stderr, signal: stopPrompt.signal }).then((text) =>
      parsePastedCallback(text, pending.state),
    );
    pasted.catch(() => undefined);
  }

  const chooseSite = person
    ? async (sites: Site[]) => {
        const { select } = await import('@inquirer/prompts');
        return select({ message: 'Which Confluence site?', choices: sites.map((s) => ({ name: `${s.name}  ${c.dim(s.url)}`, value: s })) }, { input: io.stdin, output: io.stderr });
      }
    : undefined;
  const wait = options.browser ? spinner(io, `Waiting for the browser (up to ${timeoutS} s; Ctrl-C to cancel)…`) : undefined;
  let result: LoginResult;
  try {
    result = await pending.complete({
      timeoutMs: timeoutS * 1000,
      ...(pasted ? { pasted } : {}),
      ...(chooseSite ? { chooseSite: async (sites: Site[]) => (wait?.stop(), chooseSite(sites)) } : {}),
    });
  } finally {
    wait?.stop();
    stopPrompt.abort();
  }
  return report(ctx, result, options);
}

async function report(ctx: CommandContext, result: LoginResult, options: LoginOptions): Promise<number> {
  const { io } = ctx;
  const c = colors(io, io.stderr);
  const who = result.account ? ` as ${result.account.name}${result.account.email ? ` <${result.account.email}>` : ''}` : '';
  const profile = (await ctx.core()).profile.name;
  ctx.say(`${c.green('✓')} Signed in to ${result.site.name} (${result.site.url})${who}${profile === 'default' ? '' : `, profile "${profile}"`}.`);
  ctx.say(`  Tokens are stored ${result.keyLocation === 'keyring' ? 'encrypted, with the key in the OS keychain' : 'encrypted, with the key in a file beside them (no OS keychain here)'}.`);
  if (result.missingScopes.length > 0) {
    ctx.say(`${c.yellow('!')} Atlassian did not grant: ${result.missingScopes.join(', ')}. Commands that need them will fail until they are added to the app.`);
  }
  if (options.json) {
    io.stdout.write(JSON.stringify({ signedIn: true, profile, site: result.site, sites: result.sites, account: result.account ?? null, scopes: result.scopes, storage: result.keyLocation }, null, 2) + '\n');
  }
  return 0;
}
