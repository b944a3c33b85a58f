import os from 'node:os';
import { CommanderError, type Command } from 'commander';
import { buildProgram } from './program.js';
import { AppError, isAppError } from '../core/errors.js';
import type { Core } from '../core/core.js';
import type { Keyring } from '../core/store/keyring.js';
import { colors, type IO } from './io.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { withProfile } from '../core/hints.js';
import { activeProfile, rootDir, type ActiveProfile } from '../core/profiles.js';

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
  profile?: string;
  /** --wait: wait for Atlassian's quota reset instead of failing. */
  wait: boolean;
}

/** What every verb receives: the terminal, the global flags, and the core, built on first use. */
export interface CommandContext {
  io: IO;
  deps: CliDeps;
  global: GlobalOptions;
  core(): Promise<Core>;
  /** A core for another profile (status --all, logout --all). */
  coreFor(profile: string): Promise<Core>;
  version(): Promise<string>;
  /** Talk for people on stderr (never data). */
  say(line: string): void;
  /** The profile this command acts on, for hints that name it; undefined when its name is invalid. */
  activeProfile(): ActiveProfile | undefined;
}

export function defaultDeps(): CliDeps {
  return {
    homedir: os.homedir(),
    now: Date.now,
    keyring: async () => (await import('../core/store/keyring.js')).osKeyring(),
    openBrowser: async (url) => (await import('../core/browser.js')).openBrowser(url, process.env),
  };
}


/** Parses argv and runs one command. The only place exit codes are decided. */
export async function run(argv: string[], io: IO, deps: CliDeps = defaultDeps()): Promise<number> {
  let exitCode: number = EXIT.ok;
  let coreInstance: Promise<Core> | undefined;
  let noticed = false;
  const makeCore = async (profile: string | undefined) => {
    const { Core } = await import('../core/core.js');
    return new Core({
      env: io.env,
      homedir: deps.homedir,
      now: deps.now,
      keyring: await deps.keyring(),
      ...(profile ? { profile } : {}),
      ...(global.storage ? { storage: global.storage } : {}),
      onNotice: (message) => {
        if (!noticed || !message.startsWith('No OS keychain')) io.stderr.write(`${colors(io, io.stderr).yellow('!')} ${message}\n`);
        noticed = true;
      },
      ...(global.wait ? { quotaPolicy: (await import('./quota-wait.js')).waitingPolicy(io, deps.now) } : {}),
      ...(global.verbose ? { log: (line: string) => void io.stderr.write(`${colors(io, io.stderr).dim(line)}\n`) } : {}),
      ...(Number(io.env.CONFLUENCE_ADF_LOCK_STALE_MS) > 0 ? { lockStaleMs: Number(io.env.CONFLUENCE_ADF_LOCK_STALE_MS) } : {}),
      ...(io.env.CONFLUENCE_ADF_TEST_CRASH_AT || io.env.CONFLUENCE_ADF_TEST_PAUSE_AT
        ? { crashAt: crashSwitch(io.env.CONFLUENCE_ADF_TEST_CRASH_AT, io.env.CONFLUENCE_ADF_TEST_PAUSE_AT) }
        : {}),
    });
  };
  const global: GlobalOptions = { verbose: false, debug: false, wait: false };
  const context: CommandContext = {
    io,
    deps,
    global,
    say: (line) => void io.stderr.write(`${line}\n`),
    version: packageVersion,
    core: () => (coreInstance ??= makeCore(global.profile)),
    coreFor: (profile: string) => makeCore(profile),
    activeProfile: () => {
      try {
        return activeProfile(io.env, rootDir(io.env, deps.homedir), global.profile);
      } catch {
        return undefined;
      }
    },
  };

  const action =
    <O>(load: () => Promise<{ run: (ctx: CommandContext, options: O, args: string[]) => Promise<number> }>) =>
    async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const options = command.optsWithGlobals() as O & { verbose?: boolean; debug?: boolean; storage?: string; profile?: string; wait?: boolean };
      global.verbose = !!options.verbose;
      global.wait = !!options.wait;
      global.debug = !!options.debug;
      if (options.storage) global.storage = options.storage;
      if (options.profile) global.profile = options.profile;
      const { run: verb } = await load();
      exitCode = await verb(context, options, command.args);
      // Commands that used the login remind about the 90/365-day limits, once a day at most.
      if (coreInstance && exitCode === EXIT.ok && !['status', 'logout', 'login'].includes(command.name())) {
        const warning = await (await coreInstance).dueLimitWarning();
        if (warning) io.stderr.write(`${colors(io, io.stderr).yellow('!')} ${withProfile(warning, context.activeProfile())}\n`);
      }
    };

  const program = buildProgram({
    version: await packageVersion(),
    action,
    loginTimeoutS: deps.loginTimeoutS ?? 300,
    argv,
    output: {
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      outputError: (text, write) => write(colors(io, io.stderr).red(text)),
    },
  });

  try {
    await program.parseAsync(helpRequest(program, argv), { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, context);
  }
}

/**
 * One convention for help, as gh has it: on stdout, exit 0. `help auth status` is `auth status --help`
 * (commander's help command looks one level deep only), and a bare group (`confluence-adf`, `auth`)
 * shows its help the same way instead of commander's error-style help on stderr.
 */
function helpRequest(program: Command, argv: string[]): string[] {
  if (argv[0] === 'help') return [...argv.slice(1), '--help'];
  let command = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) return argv;
    command = sub;
  }
  return command.commands.length > 0 ? [...argv, '--help'] : argv;
}

declare const __CONFLUENCE_ADF_VERSION__: string | undefined;

export async function packageVersion(): Promise<string> {
  // The bundle has the version built in; the plain tsc build reads package.json.
  if (typeof __CONFLUENCE_ADF_VERSION__ === 'string') return __CONFLUENCE_ADF_VERSION__;
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
    if (error.hint) io.stderr.write(`  ${c.dim('→')} ${withProfile(error.hint, ctx.activeProfile())}\n`);
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
/** Test-only: dies (SIGKILL) or stops until SIGCONT (SIGSTOP) at the named refresh step. */
function crashSwitch(killAt: string | undefined, pauseAt: string | undefined) {
  return (at: string) => {
    if (at === killAt) process.kill(process.pid, 'SIGKILL');
    if (at === pauseAt) process.kill(process.pid, 'SIGSTOP');
  };
}

/** Raises a usage error from a verb, e.g. a bad flag value. */
export function usage(message: string, hint?: string): AppError {
  return new AppError('USAGE', message, hint ? { hint } : {});
}
