import { Argument, Command, Option, type OutputConfiguration } from 'commander';
import { SPACE_SORTS, SPACE_STATUSES, SPACE_TYPES } from '../core/confluence/spaces.js';
import type { CommandContext } from './main.js';
import { addPageWriteCommands } from './program-page-writes.js';

export const EXIT_CODES_HELP = `
Exit codes: 0 success, 1 failure (network, Atlassian, storage), 2 usage error,
            4 not signed in or a new login is needed, 5 conflict (nothing written),
            130 interrupted.`;

export type VerbModule<O> = { run: (ctx: CommandContext, options: O, args: string[]) => Promise<number> };
export type ActionFactory = <O>(load: () => Promise<VerbModule<O>>) => (...params: unknown[]) => Promise<void>;

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export const HELP_WIDTH = 100;

/**
 * The verbs under the nouns, built only as far as the command line needs: for `auth status` only that
 * verb gets its options and help (a start-up pays for one verb, not thirty). A line that names no verb
 * of a noun (help, a typo that wants a suggestion) and a caller that gives no argv (the help cache, the
 * completion generator) get every verb, in the order they were added.
 */
export class Verbs {
  private readonly target: readonly [string, string] | undefined;
  private readonly waiting: [Command, string, (command: Command) => unknown][] = [];
  private found = false;

  constructor(argv: string[] | undefined) {
    this.target = argv ? namedVerb(argv) : undefined;
  }

  /**
   * A noun (or a command without verbs) of the program, or nothing once the line's verb has been
   * found under an earlier noun: the rest of the tree is never consulted for it.
   */
  noun(program: Command, name: string, description: string, options?: { hidden: boolean }): Command | undefined {
    return this.found ? undefined : program.command(name, options).description(description);
  }

  add(noun: Command | undefined, name: string, define: (command: Command) => unknown): void {
    if (!noun) return;
    if (this.target && !(this.target[0] === noun.name() && this.target[1] === name)) this.waiting.push([noun, name, define]);
    else {
      this.found ||= this.target !== undefined;
      define(noun.command(name));
    }
  }

  finish(): void {
    if (this.found) return;
    for (const [noun, name, define] of this.waiting.splice(0)) define(noun.command(name));
  }
}

/** The first two words of a line that are not options (nor the value of a global option that takes one). */
function namedVerb(argv: string[]): [string, string] | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const word = argv[i]!;
    if (word === '--profile' || word === '--storage') i++;
    else if (word === '--') break;
    else if (!word.startsWith('-')) words.push(word);
    else if (words.length === 1) break;
  }
  return words.length === 2 ? [words[0]!, words[1]!] : undefined;
}

/**
 * The command tree, and nothing else: each verb is loaded only when it runs. The CLI and the
 * completion generator both build it, so completions cannot drift from the commands.
 */
export function buildProgram(options: { version: string; action: ActionFactory; loginTimeoutS: number; output: OutputConfiguration; argv?: string[] }): Command {
  const program = new Command('confluence-adf')
    .description('Confluence Cloud from your terminal and your AI assistant, signed in once with OAuth 2.0.')
    .version(options.version, '-V, --version')
    .option('--verbose', 'log each API request and response to stderr (secrets redacted)')
    .option('--debug', 'show stack traces for unexpected errors')
    .option('--no-color', 'never colour output')
    .addOption(new Option('--storage <backend>', 'where the token key lives').choices(['keyring', 'file']))
    .option('--profile <name>', 'the login to use (default: $CONFLUENCE_ADF_PROFILE, the one set by `auth switch`, or "default")')
    .option('--wait', "when Atlassian's hourly quota is used up, wait for its reset instead of failing")
    // A fixed width keeps help identical everywhere, so it can be served from the build-time cache.
    .configureHelp({ helpWidth: HELP_WIDTH })
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput(options.output);

  const verbs = new Verbs(options.argv);
  const auth = verbs.noun(program, 'auth', 'sign in, check and sign out of Confluence Cloud');

  verbs.add(auth, 'login', (c) =>
    c
      .description('sign in through the browser (OAuth 2.0 with PKCE) and store the tokens securely')
      .option('--client-id <id>', 'OAuth app client ID (default: $CONFLUENCE_CLIENT_ID, or the one stored)')
      .option('--client-secret-stdin', 'read the client secret from standard input (else $CONFLUENCE_CLIENT_SECRET, or a masked prompt)')
      .option('--callback-port <port>', 'loopback port of the callback URL http://localhost:PORT/oauth/callback (default: $CONFLUENCE_ADF_CALLBACK_PORT, the one stored, or 9000)')
      .option('--scopes <scopes>', 'space- or comma-separated scopes to request (offline_access is always added)')
      .option('--site <site>', 'the site to use when the login reaches several: URL, name or cloud ID')
      .option('--no-browser', 'print the sign-in URL instead of opening a browser (then paste where the browser went)')
      .option('--callback-url <url>', 'finish a sign-in started by --no-browser without a terminal, with the address the browser was sent to')
      .option('--timeout <seconds>', 'how long to wait for the browser', String(options.loginTimeoutS))
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
      .action(options.action(() => import('./commands/auth/login.js'))),
  );

  verbs.add(auth, 'status', (c) =>
    c
      .description('show who is signed in to which site, token expiry and where tokens are kept')
      .option('--json', 'print the facts as one JSON object on stdout (an array with --all)')
      .option('--offline', 'skip the API call that proves the token works')
      .option('--all', 'every profile, in one table')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf auth status
  $ confluence-adf auth status --json | jq .signedIn
  $ confluence-adf auth status --offline
  $ confluence-adf auth status --all
${EXIT_CODES_HELP}
JSON: { profile: { name, source }, signedIn, reason?, hint?, site: { name, url, cloudId }, account, scopes: { granted, missingDefaults },
        accessToken: { expiresAt, valid }, refreshToken: { present, issuedAt, idleExpiresAt, absoluteExpiresAt },
        storage: { backend, tokenFile, keyFile? }, check: { performed, ok?, code?, message?, hint? },
        quota?: { pausedUntil?, pauseReason?, remaining?, limit?, nearLimit?, seenAt? }, warning? }`,
      )
      .action(options.action(() => import('./commands/auth/status.js'))),
  );

  verbs.add(auth, 'logout', (c) =>
    c
      .description('remove every local copy of the login and try to revoke it')
      .option('--json', 'print the result as JSON on stdout')
      .option('--all', 'sign out of every profile')
      .addHelpText('after', `\nExamples:\n  $ confluence-adf auth logout\n  $ confluence-adf auth logout --profile staging\n  $ confluence-adf auth logout --all\n${EXIT_CODES_HELP}`)
      .action(options.action(() => import('./commands/auth/logout.js'))),
  );

  verbs.add(auth, 'switch', (c) =>
    c
      .description('make a profile the one later commands use')
      .argument('<profile>', 'a profile name ("default" for the unnamed one)')
      .addHelpText('after', `\nExamples:\n  $ confluence-adf auth switch prod\n  $ confluence-adf auth switch default\n${EXIT_CODES_HELP}`)
      .action(options.action(() => import('./commands/auth/switch.js'))),
  );

  verbs.add(auth, 'export', (c) =>
    c
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
      .action(options.action(() => import('./commands/auth/export.js'))),
  );

  verbs.add(auth, 'import', (c) =>
    c
      .description('store a login exported on another machine (from FILE, or stdin)')
      .argument('[file]', 'the bundle; - or nothing reads stdin')
      .option('--offline', 'do not prove the bundle by refreshing it once')
      .option('--force', 'replace a different account signed in here')
      .option('--plaintext', 'accept an unencrypted bundle (one you exported yourself with --plaintext)')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf auth import login.bundle
  $ CONFLUENCE_ADF_PASSPHRASE=... confluence-adf auth import < login.bundle
${EXIT_CODES_HELP}`,
      )
      .action(options.action(() => import('./commands/auth/import.js'))),
  );

  verbs.add(auth, 'token', (c) =>
    c
      .description('print a valid access token on stdout (refreshing it if needed), for scripts')
      .addHelpText('after', `\nExamples:\n  $ confluence-adf auth token\n  $ curl -H "Authorization: Bearer $(confluence-adf auth token)" https://api.atlassian.com/ex/confluence/CLOUD_ID/wiki/api/v2/spaces\n${EXIT_CODES_HELP}`)
      .action(options.action(() => import('./commands/auth/token.js'))),
  );

  verbs.add(auth, 'refresh', (c) =>
    c
      .description('refresh the tokens now (a keepalive against the 90-day idle limit)')
      .option('--json', 'print the new expiry as JSON on stdout')
      .addHelpText('after', `\nExamples:\n  $ confluence-adf auth refresh      # e.g. weekly from cron\n${EXIT_CODES_HELP}`)
      .action(options.action(() => import('./commands/auth/refresh.js'))),
  );

  const spaces = verbs.noun(program, 'spaces', 'Confluence spaces');
  verbs.add(spaces, 'list', (c) =>
    c
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
      .action(options.action(() => import('./commands/spaces/list.js'))),
  );

  const adf = verbs.noun(program, 'adf', 'ADF documents offline (no login needed): to and from Markdown, and checked against the schema');
  verbs.add(adf, 'to-markdown', (c) =>
    c
      .description('print an ADF document as Markdown (what Markdown cannot show becomes a placeholder)')
      .argument('[file]', 'the ADF JSON; - or nothing reads stdin')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf adf to-markdown page.json > page.md
  $ confluence-adf adf to-markdown < page.json | less
Bad input (not JSON, not a document) exits 1 naming the place.
${EXIT_CODES_HELP}`,
      )
      .action(options.action(() => import('./commands/adf/to-markdown.js'))),
  );
  verbs.add(adf, 'from-markdown', (c) =>
    c
      .description('print Markdown as an ADF document; with --base, unchanged blocks and placeholders come back exactly')
      .argument('[file]', 'the Markdown; - or nothing reads stdin')
      .option('--base <adf-file>', 'the ADF document the Markdown was made from')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf adf from-markdown notes.md > notes.json
  $ confluence-adf adf to-markdown page.json > page.md && $EDITOR page.md
  $ confluence-adf adf from-markdown page.md --base page.json > page-edited.json
A broken directive or a placeholder the base does not know exits 1 naming the line.
${EXIT_CODES_HELP}`,
      )
      .action(options.action(() => import('./commands/adf/from-markdown.js'))),
  );
  verbs.add(adf, 'validate', (c) =>
    c
      .description('check an ADF document against the official ADF JSON schema')
      .argument('[file]', 'the ADF JSON document; - or nothing reads stdin')
      .option('--json', 'print { valid, errors: [{ path, message }] } on stdout')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf adf validate page.json
  $ confluence-adf adf validate --json < page.json | jq '.errors[0]'
Exit codes: 0 valid, 1 not valid (the mistakes on stderr, the most useful first) or not JSON, 2 usage error.
JSON: { valid, errors: [ { path: JSON pointer into the document, message } ] }`,
      )
      .action(options.action(() => import('./commands/adf/validate.js'))),
  );

  const pages = verbs.noun(program, 'pages', 'Confluence pages: read, search, browse the tree');
  verbs.add(pages, 'get', (c) =>
    c
      .description('print a page as Markdown with front matter (or as ADF)')
      .argument('<page>', 'page id or address (https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Title, /wiki/x/..., edit URLs)')
      .addOption(new Option('--format <format>', 'markdown (with front matter) or adf (the stored document)').choices(['markdown', 'adf']).default('markdown'))
      .option('--version <n>', 'an older version of the page (default: the current one)')
      .option('--output <file>', 'write to this file (atomically) instead of stdout')
      .option('--json', 'print the page metadata and the body (in --format) as one JSON object')
      .option('--site <site>', 'site URL, name or cloud ID (default: the one chosen at login; an address picks its own)')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf pages get 123456 > page.md
  $ confluence-adf pages get https://acme.atlassian.net/wiki/spaces/ENG/pages/123456/Roadmap
  $ confluence-adf pages get 123456 --format adf --version 3 --output page.json
  $ confluence-adf pages get 123456 --json | jq .version.number
Markdown starts with front matter: id, title, space, version, url, parent.
${EXIT_CODES_HELP}
JSON: { id, title, status, spaceId, spaceKey, parentId, authorId, createdAt, version: { number, createdAt, message, minorEdit, authorId },
        url, editUrl, tinyUrl, site: { name, url, cloudId }, format, body }`,
      )
      .action(options.action(() => import('./commands/pages/get.js'))),
  );
  verbs.add(pages, 'search', (c) =>
    c
      .description('find pages with CQL or with --text, --title, --space')
      .argument('[cql]', 'a CQL query, e.g. \'type = page AND label = "runbook"\' (combined with the flags by AND)')
      .option('--text <words>', 'pages containing these words')
      .option('--title <words>', 'pages whose title contains these words')
      .option('--space <key>', 'only pages of this space')
      .option('--limit <n>', 'page size, 1 to 250 (default 25; 250 with --all)')
      .option('--all', 'follow the cursor to the last result')
      .option('--cursor <cursor>', 'fetch the results at this cursor (the next cursor is printed on stderr)')
      .option('--json', 'print one JSON array of results on stdout')
      .option('--site <site>', 'site URL, name or cloud ID (default: the one chosen at login)')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf pages search --text "quarterly plan" --space ENG
  $ confluence-adf pages search 'ancestor = 123456 AND label = "runbook"' --json
  $ confluence-adf pages search --title roadmap --all --json > hits.json
Flag values are quoted and escaped into the CQL, never pasted in raw.
${EXIT_CODES_HELP}
JSON: [ { id, type, title, space, spaceName, url, excerpt, lastModified } ]`,
      )
      .action(options.action(() => import('./commands/pages/search.js'))),
  );
  verbs.add(pages, 'children', (c) =>
    c
      .description('the tree of pages below a page')
      .argument('<page>', 'page id or address')
      .option('--depth <n>', 'how many levels below the page (default 5)')
      .option('--json', 'print the tree as JSON: { id, title, url, children: [ { id, title, status, children } ] }')
      .option('--site <site>', 'site URL, name or cloud ID (default: the one chosen at login; an address picks its own)')
      .addHelpText('after', `\nExamples:\n  $ confluence-adf pages children 123456\n  $ confluence-adf pages children https://acme.atlassian.net/wiki/x/AQAB --depth 1 --json\n${EXIT_CODES_HELP}`)
      .action(options.action(() => import('./commands/pages/children.js'))),
  );

  addPageWriteCommands(program, verbs, options.action, EXIT_CODES_HELP);
  verbs.finish();

  verbs
    .noun(program, 'serve', 'run as a server for AI assistants: --mcp speaks MCP over stdio')
    ?.option('--mcp', 'serve the Model Context Protocol on stdin/stdout')
    .option('--log-file <file>', 'write logs to this file instead of stderr')
    .addHelpText('after', `\nExamples:\n  $ claude mcp add confluence -- confluence-adf serve --mcp\n  $ npx @modelcontextprotocol/inspector confluence-adf serve --mcp\n`)
    .action(options.action(() => import('./commands/serve.js')));

  verbs
    .noun(program, 'completion', 'print a shell completion script (bash, zsh or fish)')
    ?.addArgument(new Argument('<shell>', 'bash, zsh or fish').choices([...SHELLS]))
    .addHelpText('after', `\nExamples:\n  $ confluence-adf completion bash > ~/.local/share/bash-completion/completions/confluence-adf\n  $ confluence-adf completion zsh > "\${fpath[1]}/_confluence-adf"\n  $ confluence-adf completion fish > ~/.config/fish/completions/confluence-adf.fish\n`)
    .action(options.action(() => import('./commands/completion.js')));

  verbs.noun(program, '__complete', '', { hidden: true })?.argument('<what>').action(options.action(() => import('./commands/complete.js')));
  // Commander reads the top-level --version anywhere on the line; after a verb it is that verb's own
  // flag (`pages get 123 --version 3`), so ours steps aside.
  const verbAt = options.argv?.findIndex((word) => program.commands.some((c) => c.name() === word)) ?? -1;
  if (verbAt >= 0 && options.argv!.indexOf('--version', verbAt) > verbAt) {
    (program.options as Option[]).splice(program.options.findIndex((o) => o.long === '--version'), 1);
  }
  return program;
}
