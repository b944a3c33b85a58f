import type { StatusReport } from '../../../core/core.js';
import { exitCodeFor } from '../../exit-codes.js';
import type { CommandContext } from '../../main.js';
import { colors, formatTime } from '../../io.js';
import { LOGIN_HINT, type ErrorCode } from '../../../core/errors.js';
import { withProfile } from '../../../core/hints.js';
import { knownProfiles } from '../../../core/profiles.js';

export interface StatusOptions {
  json?: boolean;
  offline?: boolean;
  all?: boolean;
}

/** Exit status: 0 signed in and working, 4 a login is needed, 1 anything else; the same with --json. */
export function statusExitCode(report: Pick<StatusReport, 'signedIn' | 'check'>): number {
  // A check that failed is judged by its code (a login is needed, or not); one that never ran by signedIn.
  const failed = report.check.code ? (exitCodeFor(report.check.code as ErrorCode) === 4 ? 4 : 1) : undefined;
  if (!report.signedIn) return failed ?? 4;
  return report.check.performed && !report.check.ok ? (failed ?? 1) : 0;
}

/** Every profile in one table; the exit status is the worst of them, and 4 when no profile holds a login. */
async function runAll(ctx: CommandContext, options: StatusOptions): Promise<number> {
  const { io } = ctx;
  const active = (await ctx.core()).profile;
  const names = knownProfiles((await ctx.core()).paths.root);
  const reports = await Promise.all(
    names.map(async (name) => {
      const report = await (await ctx.coreFor(name)).status({ offline: !!options.offline });
      // Each entry was read through its own name; which one later commands use is the active one's business.
      const isActive = name === active.name;
      return { ...report, ...profileHints(report, { name, source: 'flag' }), profile: { name, active: isActive, ...(isActive ? { source: active.source } : {}) } };
    }),
  );
  const codes = reports.map(statusExitCode);
  const code = reports.length === 0 ? 4 : codes.includes(1) ? 1 : codes.includes(4) ? 4 : 0;
  if (options.json) {
    io.stdout.write(JSON.stringify(reports, null, 2) + '\n');
    return code;
  }
  if (reports.length === 0) {
    ctx.say('No profiles are signed in. Run `confluence-adf auth login` (or `confluence-adf auth login --profile NAME`).');
    return code;
  }
  const c = colors(io, io.stdout);
  const rows = reports.map((r) => [
    `${r.profile.active ? '*' : ' '} ${r.profile.name}`,
    r.site?.url ?? '',
    r.account?.name ?? '',
    r.signedIn ? (r.check.performed ? (r.check.ok ? 'working' : `failing: ${r.check.code}`) : r.quota?.pausedUntil ? 'quota paused' : 'signed in') : `signed out: ${r.reason ?? 'no login'}`,
  ]);
  const header = ['  PROFILE', 'SITE', 'ACCOUNT', 'STATUS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  io.stdout.write(`${c.bold(line(header))}\n${rows.map(line).join('\n')}\n`);
  ctx.say('* the active profile');
  return code;
}

/** The report's hints, naming the profile they are about. */
function profileHints(report: StatusReport, profile: Pick<StatusReport['profile'], 'name' | 'source'>): Pick<StatusReport, 'hint' | 'reason' | 'check'> {
  return {
    ...(report.hint ? { hint: withProfile(report.hint, profile) } : {}),
    ...(report.reason ? { reason: withProfile(report.reason, profile) } : {}),
    check: { ...report.check, ...(report.check.hint ? { hint: withProfile(report.check.hint, profile) } : {}) },
  };
}

export async function run(ctx: CommandContext, options: StatusOptions): Promise<number> {
  if (options.all) return runAll(ctx, options);
  const { io } = ctx;
  const core = await ctx.core();
  const found = await core.status({ offline: !!options.offline });
  const report = { ...found, ...profileHints(found, found.profile) };
  const code = statusExitCode(report);
  if (options.json) {
    io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return code;
  }
  const c = colors(io, io.stdout);
  const out = (line: string) => void io.stdout.write(`${line}\n`);
  if (!report.site) {
    // Nothing to show but the problem: it goes where every other error goes.
    const e = colors(io, io.stderr);
    ctx.say(`${e.red('✗')} ${report.check.message ?? (report.reason ? `Not signed in: ${report.reason}.` : 'Not signed in.')}`);
    ctx.say(`  ${e.dim('→')} ${report.check.hint ?? report.hint ?? LOGIN_HINT}`);
    return code;
  }
  const when = (iso?: string) => (iso ? formatTime(iso) : 'unknown');
  out(`${report.signedIn ? c.green('✓') : c.red('✗')} ${report.signedIn ? 'Signed in' : 'Signed out'} to ${c.bold(report.site.name)} (${report.site.url})`);
  if (!report.signedIn) {
    if (report.reason) out(`  why:            ${report.reason}`);
    if (report.hint && report.hint !== report.check.hint) out(`  ${c.dim('→')} ${report.hint}`);
  }
  out(`  profile:        ${report.profile.name} (${report.profile.source === 'implicit' ? 'the default' : `from the ${report.profile.source === 'flag' ? '--profile flag' : report.profile.source === 'environment' ? 'CONFLUENCE_ADF_PROFILE variable' : 'auth switch setting'}`})`);
  out(`  cloud ID:       ${report.site.cloudId}`);
  if (report.account) out(`  account:        ${report.account.name}${report.account.email ? ` <${report.account.email}>` : ''}`);
  out(`  client ID:      ${report.clientId}`);
  out(`  scopes:         ${report.scopes!.granted.length} granted${report.scopes!.missingDefaults.length ? `; not granted: ${report.scopes!.missingDefaults.join(', ')}` : ', every default scope'}`);
  out(`  access token:   ${report.accessToken!.valid ? 'valid until' : 'expired at'} ${when(report.accessToken!.expiresAt)}${report.accessToken!.valid ? '' : ' (refreshes by itself)'}`);
  const rt = report.refreshToken!;
  out(`  refresh token:  ${rt.present ? `issued ${when(rt.issuedAt)}; idle limit ${when(rt.idleExpiresAt)}; absolute limit ${when(rt.absoluteExpiresAt)}` : 'none'}`);
  out(`  storage:        ${report.storage.backend === 'keyring' ? 'OS keychain (key) + encrypted file' : 'encrypted file + key file'}: ${report.storage.tokenFile}`);
  const quota = report.quota;
  if (quota?.pausedUntil) out(`  quota:          ${c.yellow('paused')} until ${when(quota.pausedUntil)}: Atlassian's hourly quota for this app is used up${quota.pauseReason ? ` (${quota.pauseReason})` : ''}; requests wait or fail until then`);
  if (quota?.remaining !== undefined || quota?.nearLimit !== undefined) {
    const left = quota.remaining !== undefined ? `${quota.remaining}${quota.limit !== undefined ? ` of ${quota.limit}` : ''} left` : 'remaining not stated';
    out(`  quota seen:     ${left}${quota.nearLimit ? `, ${c.yellow('near the limit')}` : ''} (Atlassian, ${when(quota.seenAt)})`);
  }
  if (!report.check.performed) out(`  check:          ${options.offline ? 'skipped (--offline)' : quota?.pausedUntil ? 'skipped during the quota pause' : 'not performed'}`);
  else if (report.check.ok) out(`  check:          ${c.green('the token works')}`);
  else {
    out(`  check:          ${c.red('failed')}: ${report.check.message}`);
    if (report.check.hint) out(`  ${c.dim('→')} ${report.check.hint}`);
  }
  if (report.warning) ctx.say(`${colors(io, io.stderr).yellow('!')} ${report.warning}`);
  return code;
}
