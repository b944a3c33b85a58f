import type { StatusReport } from '../../../core/core.js';
import { exitCodeFor } from '../../exit-codes.js';
import type { CommandContext } from '../../main.js';
import { colors, formatTime } from '../../io.js';
import type { ErrorCode } from '../../../core/errors.js';

export interface StatusOptions {
  json?: boolean;
  offline?: boolean;
}

/** Exit status: 0 signed in and working, 4 a login is needed, 1 anything else; the same with --json. */
export function statusExitCode(report: StatusReport): number {
  if (!report.signedIn) return report.check.code && !['NOT_SIGNED_IN', 'SESSION_EXPIRED', 'LOGIN_EXPORTED'].includes(report.check.code) ? 1 : 4;
  if (report.check.performed && !report.check.ok) return exitCodeFor((report.check.code ?? 'INTERNAL') as ErrorCode) === 4 ? 4 : 1;
  return 0;
}

export async function run(ctx: CommandContext, options: StatusOptions): Promise<number> {
  const { io } = ctx;
  const core = await ctx.core();
  const report = await core.status({ offline: !!options.offline });
  const code = statusExitCode(report);
  if (options.json) {
    io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return code;
  }
  const c = colors(io, io.stdout);
  const out = (line: string) => void io.stdout.write(`${line}\n`);
  if (!report.site) {
    out(`${c.red('✗')} ${report.check.message ?? 'Not signed in.'}`);
    out(`  ${c.dim('→')} ${report.check.hint ?? 'Run `confluence-adf auth login` to sign in.'}`);
    return code;
  }
  const when = (iso?: string) => (iso ? formatTime(iso) : 'unknown');
  out(`${report.signedIn ? c.green('✓') : c.red('✗')} ${report.signedIn ? 'Signed in' : 'Signed out'} to ${c.bold(report.site.name)} (${report.site.url})`);
  out(`  cloud ID:       ${report.site.cloudId}`);
  if (report.account) out(`  account:        ${report.account.name}${report.account.email ? ` <${report.account.email}>` : ''}`);
  out(`  client ID:      ${report.clientId}`);
  out(`  scopes:         ${report.scopes!.granted.length} granted${report.scopes!.missingDefaults.length ? `; not granted: ${report.scopes!.missingDefaults.join(', ')}` : ', every default scope'}`);
  out(`  access token:   ${report.accessToken!.valid ? 'valid until' : 'expired at'} ${when(report.accessToken!.expiresAt)}${report.accessToken!.valid ? '' : ' (refreshes by itself)'}`);
  const rt = report.refreshToken!;
  out(`  refresh token:  ${rt.present ? `issued ${when(rt.issuedAt)}; idle limit ${when(rt.idleExpiresAt)}; absolute limit ${when(rt.absoluteExpiresAt)}` : 'none'}`);
  out(`  storage:        ${report.storage.backend === 'keyring' ? 'OS keychain (key) + encrypted file' : 'encrypted file + key file'}: ${report.storage.tokenFile}`);
  if (!report.check.performed) out(`  check:          ${options.offline ? 'skipped (--offline)' : 'not performed'}`);
  else if (report.check.ok) out(`  check:          ${c.green('the token works')}`);
  else {
    out(`  check:          ${c.red('failed')}: ${report.check.message}`);
    if (report.check.hint) out(`  ${c.dim('→')} ${report.check.hint}`);
  }
  if (report.warning) ctx.say(`${colors(io, io.stderr).yellow('!')} ${report.warning}`);
  return code;
}
