import { LOGIN_NEEDED_CODES, type ErrorCode } from '../core/errors.js';
import { withProfile } from '../core/hints.js';
import type { ActiveProfile } from '../core/profiles.js';

/** The phrases of CLI hints that mean something else to an assistant: flags become tool arguments or server settings. */
const FOR_ASSISTANT: [RegExp, string][] = [
  [/Set CONFLUENCE_CLOUD_ID or pass --site\./g, "Pass the site argument (or set CONFLUENCE_CLOUD_ID in the MCP server's environment)."],
  [/check the --site you chose/g, 'check the site argument'],
  [/[Pp]ass --site with/g, 'Pass the site argument with'],
  [/Run `confluence-adf auth login --site <url\|name\|cloudId>` with/g, 'Call auth_login_start with the site argument set to'],
  [/pass --storage file/g, "set CONFLUENCE_ADF_STORAGE=file in the MCP server's environment"],
  [/pass --callback-port N/g, "set CONFLUENCE_ADF_CALLBACK_PORT=N in the MCP server's environment"],
  [/Pass a --limit from 1 to 250, or --all\./g, 'Pass limit from 1 to 250.'],
  [/leave --cursor out/g, 'leave cursor out'],
  [/\(or pass --timeout with more seconds\)/g, '(or pass a larger timeoutSeconds)'],
  [/run with --verbose and report it/g, "report it with the MCP server's log (serve --mcp --log-file)"],
  [/fewer --all runs at once help/g, 'fewer calls at once help'],
  [/run the command again/g, 'call the tool again'],
  [/[Rr]un `confluence-adf auth login([^`]*)`( again)?/g, 'call auth_login_start (or ask the user to run `confluence-adf auth login$1` in a terminal)'],
];

/**
 * A core hint, told to an assistant: tools and tool arguments instead of CLI flags, and the profile the
 * server is pinned to named in any command left for the user. A login-needed error points at
 * auth_login_start, except while CONFLUENCE_ACCESS_TOKEN is in charge: auth_login_start refuses then,
 * and the core's own hint (a fresh token, or unset it) is the way out.
 */
export function forAssistant(hint: string | undefined, options: { code?: string; envToken: boolean; profile: ActiveProfile | undefined }): string | undefined {
  if (LOGIN_NEEDED_CODES.has(options.code as ErrorCode) && !options.envToken) {
    hint = 'Call auth_login_start and have the user open the URL (or ask them to run `confluence-adf auth login` in a terminal).';
  }
  if (hint === undefined) return undefined;
  for (const [phrase, replacement] of FOR_ASSISTANT) hint = hint.replace(phrase, replacement);
  return withProfile(hint, options.profile);
}
