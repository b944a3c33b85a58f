import os from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { AppError, isAppError } from '../core/errors.js';
import type { Core } from '../core/core.js';
import type { Keyring } from '../core/store/keyring.js';
import { colors, type IO } from './io.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { SPACE_SORTS, SPACE_STATUSES, SPACE_TYPES } from '../core/confluence/spaces.js';

export interface CliDeps {
  homedir: string;
  now: () => number;
  keyring: () => Promise<Keyring>;
  openBrowser: (url: string) => Promise<boolean>;
  /** Seconds a login waits by default. */
  loginTimeoutS?: number;
}

export interface GlobalOptions {
  verbose: boolean;
  debug: boolean;
  storage?: string;
}

/** What every verb receives: the terminal, the global flags, and the core, built on first use. */
export interface CommandContext {
  io: IO;
  deps: CliDeps;
  global: GlobalOptions;
  core(): Promise<Core>;
  version(): Promise<string>;
  /** Talk for people on stderr (never data). */
  say(line: string): void;
}

export function defaultDeps(): CliDeps {
  return {
    homedir: os.homedir(),
    now: Date.now,
    keyring: async () => (await import('../core/store/keyring.js')).osKeyring(),
    openBrowser: async (url) => (await import('../core/browser.js')).openBrowser(url, process.env),
  };
}

const EXIT_CODES_HELP = `
Exit codes: 0 success, 1 failure (network, Atlassian, storage), 2 usage error,
            4 not signed in or a new login is needed, 130 interrupted.`;

/** Parses argv and runs one command. The only place exit codes are decided. */
export async function run(argv: string[], io: IO, deps: CliDeps = defaultDeps()): Promise<number> {
  let exitCode: number = EXIT.ok;
  let coreInstance: Promise<Core> | undefined;
  const global: GlobalOptions = { verbose: false, debug: false };
  const context: CommandContext = {
    io,
    deps,
    global,
    say: (line) => void io.stderr.write(`${line}\n`),
    version: packageVersion,
    core: () =>
      (coreInstance ??= (async () => {
        const { Core } = await import('../core/core.js');
        let noticed = false;
        return new Core({
          env: io.env,
          homedir: deps.homedir,
          now: deps.now,
          keyring: await deps.keyring(),
          ...(global.storage ? { storage: global.storage } : {}),
          onNotice: (message) => {
            if (!noticed || !message.startsWith('No OS keychain')) io.stderr.write(`${colors(io, io.stderr).yellow('!')} ${message}\n`);
            noticed = true;
          },
          ...(global.verbose ? { log: (line: string) => void io.stderr.write(`${colors(io, io.stderr).dim(line)}\n`) } : {}),
          ...(Number(io.env.CONFLUENCE_ADF_LOCK_STALE_MS) > 0 ? { lockStaleMs: Number(io.env.CONFLUENCE_ADF_LOCK_STALE_MS) } : {}),
          ...(io.env.CONFLUENCE_ADF_TEST_CRASH_AT ? { crashAt: crashSwitch(io.env.CONFLUENCE_ADF_TEST_CRASH_AT) } : {}),
        });
      })()),
  };

  const action =
    <O>(load: () => Promise<{ run: (ctx: CommandContext, options: O, args: string[]) => Promise<number> }>) =>
    async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const options = command.optsWithGlobals() as O & { verbose?: boolean; debug?: boolean; storage?: string };
      global.verbose = !!options.verbose;
      global.debug = !!options.debug;
      if (options.storage) global.storage = options.storage;
      const { run: verb } = await load();
      exitCode = await verb(context, options, command.args);
      // Commands that used the login remind about the 90/365-day limits, once a day at most.
      if (coreInstance && exitCode === EXIT.ok && !['status', 'logout', 'login'].includes(command.name())) {
        const warning = await (await coreInstance).dueLimitWarning();
        if (warning) io.stderr.write(`${colors(io, io.stderr).yellow('!')} ${warning}\n`);
      }
    };

  const program = new Command('confluence-adf')
    .description('Confluence Cloud from your terminal and your AI assistant, signed in once with OAuth 2.0.')
    .version(await packageVersion(), '-V, --version')
    .option('--verbose', 'log each API request and response to stderr (secrets redacted)')
    .option('--debug', 'show stack traces for unexpected errors')
    .option('--no-color', 'never colour output')
    .addOption(new Option('--storage <backend>', 'where the token key lives').choices(['keyring', 'file']))
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(colors(io, io.stderr).red(s)),
    });

  const auth = program.command('auth').description('sign in, check and sign out of Confluence Cloud');

  auth
    .command('login')
    .description('sign in through the browser (OAuth 2.0 with PKCE) and store the tokens securely')
    .option('--client-id <id>', 'OAuth app client ID (default: $CONFLUENCE_CLIENT_ID, or the one stored)')
    .option('--client-secret-stdin', 'read the client secret from standard input (else $CONFLUENCE_CLIENT_SECRET, or a masked prompt)')
    .option('--callback-port <port>', 'loopback port of the callback URL http://localhost:PORT/oauth/callback', '9000')
    .option('--scopes <scopes>', 'space- or comma-separated scopes to request (offline_access is always added)')
    .option('--site <site>', 'the site to use when the login reaches several: URL, name or cloud ID')
    .option('--no-browser', 'print the sign-in URL instead of opening a browser (then paste where the browser went)')
    .option('--callback-url <url>', 'finish a sign-in started by --no-browser without a terminal, with the address the browser was sent to')
    .option('--timeout <seconds>', 'how long to wait for the browser', String(deps.loginTimeoutS ?? 300))
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ confluence-adf auth login --client-id abc123          # secret from $CONFLUENCE_CLIENT_SECRET or a prompt
  $ printf %s "$SECRET" | confluence-adf auth login --client-id abc123 --client-secret-stdin
  $ confluence-adf auth login --callback-port 8765 --site acme.atlassian.net
  $ confluence-adf auth login --no-browser                   # headless: approve on any machine, paste the address
  $ confluence-adf auth login --callback-url 'http://localhost:9000/oauth/callback?code=...&state=...'
${EXIT_CODES_HELP}`,
    )
    .action(action(() => import('./commands/auth/login.js')));

  auth
    .command('status')
    .description('show who is signed in to which site, token expiry and where tokens are kept')
    .option('--json', 'print the facts as one JSON object on stdout')
    .option('--offline', 'skip the API call that proves the token works')
    .addHelpText(
      'after',
      `
Examples:
  $ confluence-adf auth status
  $ confluence-adf auth status --json | jq .signedIn
  $ confluence-adf auth status --offline
${EXIT_CODES_HELP}
JSON: { signedIn, reason?, site: { name, url, cloudId }, account, scopes: { granted, missingDefaults },
        accessToken: { expiresAt, valid }, refreshToken: { present, issuedAt, idleExpiresAt, absoluteExpiresAt },
        storage: { backend, tokenFile, keyFile? }, check: { performed, ok?, code?, message?, hint? }, warning? }`,
    )
    .action(action(() => import('./commands/auth/status.js')));

  auth
    .command('logout')
    .description('remove every local copy of the login and try to revoke it')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText('after', `\nExamples:\n  $ confluence-adf auth logout\n${EXIT_CODES_HELP}`)
    .action(action(() => import('./commands/auth/logout.js')));

  auth
    .command('export')
    .description('hand this login over to another machine: a passphrase-sealed bundle on stdout or --output')
    .option('--output <file>', 'write the bundle to this file (mode 600) instead of stdout')
    .option('--plaintext', 'write the bundle unencrypted (only when you move it privately)')
    .option('--keep', 'keep using the login here too (both machines refreshing will end it)')
    .addHelpText(
      'after',
      `
Examples:
  $ confluence-adf auth export --output login.bundle          # asks for a passphrase twice
  $ CONFLUENCE_ADF_PASSPHRASE=... confluence-adf auth export | ssh server confluence-adf auth import
After an export this machine stops using the login; \`auth login\` signs in here again.
${EXIT_CODES_HELP}`,
    )
    .action(action(() => import('./commands/auth/export.js')));

  auth
    .command('import')
    .description('store a login exported on another machine (from FILE, or stdin)')
    .argument('[file]', 'the bundle; - or nothing reads stdin')
    .option('--offline', 'do not prove the bundle by refreshing it once')
    .option('--force', 'replace a different account signed in here')
    .addHelpText(
      'after',
      `
Examples:
  $ confluence-adf auth import login.bundle
  $ CONFLUENCE_ADF_PASSPHRASE=... confluence-adf auth import < login.bundle
${EXIT_CODES_HELP}`,
    )
    .action(action(() => import('./commands/auth/import.js')));

  auth
    .command('token')
    .description('print a valid access token on stdout (refreshing it if needed), for scripts')
    .addHelpText('after', `\nExamples:\n  $ curl -H "Authorization: Bearer $(confluence-adf auth token)" ...\n${EXIT_CODES_HELP}`)
    .action(action(() => import('./commands/auth/token.js')));

  auth
    .command('refresh')
    .description('refresh the tokens now (a keepalive against the 90-day idle limit)')
    .option('--json', 'print the new expiry as JSON on stdout')
    .addHelpText('after', `\nExamples:\n  $ confluence-adf auth refresh      # e.g. weekly from cron\n${EXIT_CODES_HELP}`)
    .action(action(() => import('./commands/auth/refresh.js')));

  const spaces = program.command('spaces').description('Confluence spaces');
  spaces
    .command('list')
    .description('list the spaces of a site')
    .option('--site <site>', 'site URL, name or cloud ID (default: the one chosen at login)')
    .addOption(new Option('--type <type>', 'only spaces of this type').choices([...SPACE_TYPES]))
    .addOption(new Option('--status <status>', 'only current or archived spaces').choices([...SPACE_STATUSES]))
    .option('--keys <keys>', 'only these space keys (comma-separated)')
    .addOption(new Option('--sort <order>', 'sort order').choices([...SPACE_SORTS]))
    .option('--limit <n>', 'page size, 1 to 250 (default 25; 250 with --all)')
    .option('--all', 'follow the cursor to the last page')
    .option('--cursor <cursor>', 'fetch the page at this cursor (the next cursor is printed on stderr)')
    .option('--json', 'print one JSON array of spaces on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ confluence-adf spaces list
  $ confluence-adf spaces list --all --type global --json > spaces.json
  $ confluence-adf spaces list --keys ENG,OPS --site acme
${EXIT_CODES_HELP}
JSON: [ { id, key, name, type, status, url, ...every other field Confluence returned } ]`,
    )
    .action(action(() => import('./commands/spaces/list.js')));

  program
    .command('serve')
    .description('run as a server for AI assistants: --mcp speaks MCP over stdio')
    .option('--mcp', 'serve the Model Context Protocol on stdin/stdout')
    .option('--log-file <file>', 'write logs to this file instead of stderr')
    .addHelpText('after', `\nExamples:\n  $ claude mcp add confluence -- confluence-adf serve --mcp\n  $ npx @modelcontextprotocol/inspector confluence-adf serve --mcp\n`)
    .action(action(() => import('./commands/serve.js')));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, context);
  }
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Prints an error for people (message and hint) and returns its exit status. */
export function reportError(error: unknown, ctx: CommandContext): number {
  const { io } = ctx;
  const c = colors(io, io.stderr);
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (isAppError(error)) {
    io.stderr.write(`${c.red('✗')} ${error.message}\n`);
    if (error.hint) io.stderr.write(`  ${c.dim('→')} ${error.hint}\n`);
    if (ctx.global.debug && error.cause instanceof Error) io.stderr.write(`${c.dim(error.cause.stack ?? String(error.cause))}\n`);
    return exitCodeFor(error.code);
  }
  if (isPromptExit(error)) {
    io.stderr.write('Cancelled.\n');
    return EXIT.cancelled;
  }
  const e = error as Error;
  io.stderr.write(`${c.red('✗')} Unexpected error: ${e?.message ?? String(error)}\n`);
  if (ctx.global.debug) io.stderr.write(`${e?.stack ?? ''}\n`);
  else io.stderr.write(`  ${c.dim('→')} Run again with --debug for details, and report it if it persists.\n`);
  return EXIT.error;
}

function isPromptExit(error: unknown): boolean {
  return (error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError';
}

/** Test-only: dies at the named refresh step the way `kill -9` would, leaving whatever it held. */
function crashSwitch(step: string) {
  return (at: string) => {
    if (at === step) process.kill(process.pid, 'SIGKILL');
  };
}

/** Raises a usage error from a verb, e.g. a bad flag value. */
export function usage(message: string, hint?: string): AppError {
  return new AppError('USAGE', message, hint ? { hint } : {});
}
