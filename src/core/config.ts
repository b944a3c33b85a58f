import path from 'node:path';
import { AppError } from './errors.js';
import { DEFAULT_PROFILE, profileDir, rootDir } from './profiles.js';

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_AUTH_URL = 'https://auth.atlassian.com';
export const DEFAULT_API_URL = 'https://api.atlassian.com';
export const DEFAULT_CALLBACK_PORT = 9000;

export interface Paths {
  /** Where every profile lives ($CONFLUENCE_ADF_HOME). */
  root: string;
  /** This profile's directory: its token file, key file, pending sign-in and lock. */
  home: string;
  tokenFile: string;
  keyFile: string;
  /** A headless sign-in waiting for its callback URL (`auth login --no-browser` without a terminal). */
  pendingFile: string;
  /** The file proper-lockfile guards while a process refreshes. */
  refreshLockTarget: string;
  /** Atlassian's quota pause for this profile: every process holds its requests until it ends. */
  quotaPauseFile: string;
  /** What the last response said about the remaining quota (X-RateLimit-Remaining / NearLimit). */
  quotaSeenFile: string;
}

/** Where a profile keeps its files (the default profile: $CONFLUENCE_ADF_HOME itself). */
export function resolvePaths(env: Env, homedir: string, profile: string = DEFAULT_PROFILE): Paths {
  const root = rootDir(env, homedir);
  const home = profileDir(root, profile);
  return {
    root,
    home,
    tokenFile: path.join(home, 'oauth-tokens.json'),
    keyFile: path.join(home, 'oauth-tokens.key'),
    pendingFile: path.join(home, 'pending-login.json'),
    refreshLockTarget: path.join(home, 'refresh'),
    quotaPauseFile: path.join(home, 'quota-pause.json'),
    quotaSeenFile: path.join(home, 'quota-seen.json'),
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Accepts https anywhere and plain http only on loopback, where no one can listen in. */
export function checkServiceUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('INSECURE_URL', `${name} is not a URL: ${raw}`, { hint: `Set ${name} to an https:// address.` });
  }
  if (url.protocol === 'https:') return url.origin + url.pathname.replace(/\/+$/, '');
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url.origin + url.pathname.replace(/\/+$/, '');
  throw new AppError('INSECURE_URL', `${name} must use https (plain http is allowed only for localhost): ${raw}`, {
    hint: `Set ${name} to an https:// address, or unset it to use Atlassian.`,
  });
}

export interface ServiceUrls {
  authUrl: string;
  apiUrl: string;
}

/**
 * Where requests go: the environment, else Atlassian. Never a stored file or a bundle: whoever can
 * write a file must not be able to choose where the tokens are sent.
 */
export function resolveServiceUrls(env: Env): ServiceUrls {
  return {
    authUrl: checkServiceUrl('CONFLUENCE_ADF_AUTH_URL', env.CONFLUENCE_ADF_AUTH_URL || DEFAULT_AUTH_URL),
    apiUrl: checkServiceUrl('CONFLUENCE_ADF_API_URL', env.CONFLUENCE_ADF_API_URL || DEFAULT_API_URL),
  };
}

/**
 * The configured URLs, provided a login was made against them: its tokens are refused anywhere else,
 * so sending them to a server configured later would only hand them to it.
 */
export function serviceUrlsForLogin(env: Env, login: ServiceUrls): ServiceUrls {
  const urls = resolveServiceUrls(env);
  for (const [name, key] of [['CONFLUENCE_ADF_AUTH_URL', 'authUrl'], ['CONFLUENCE_ADF_API_URL', 'apiUrl']] as const) {
    if (urls[key] !== login[key]) {
      throw new AppError('SERVICE_MISMATCH', `This login was made against ${login[key]}, but ${name} now points at ${urls[key]}; its tokens are not sent there.`, {
        hint: `Set ${name}=${login[key]} again, or run \`confluence-adf auth login\` to sign in against ${urls[key]}.`,
        details: { expected: login[key], actual: urls[key] },
      });
    }
  }
  return urls;
}

export type StorageChoice = 'auto' | 'keyring' | 'file';

export function resolveStorageChoice(env: Env, flag?: string): StorageChoice {
  const raw = flag ?? env.CONFLUENCE_ADF_STORAGE ?? 'auto';
  if (raw === 'auto' || raw === 'keyring' || raw === 'file') return raw;
  throw new AppError('USAGE', `Unknown storage "${raw}".`, {
    hint: 'Use --storage keyring or --storage file (or CONFLUENCE_ADF_STORAGE).',
  });
}

export function parsePort(raw: string | number): number {
  const port = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AppError('USAGE', `Invalid callback port "${raw}".`, { hint: 'Pass --callback-port with a number from 1 to 65535.' });
  }
  return port;
}

/** The client-side limiter: CONFLUENCE_ADF_RATE requests a second steady, CONFLUENCE_ADF_BURST at once. */
export function resolveRate(env: Env): { perSecond: number; burst: number } {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new AppError('USAGE', `${name} must be a positive number (got "${raw}").`, { hint: `Unset ${name} or set it to, e.g., ${fallback}.` });
    return n;
  };
  return { perSecond: read('CONFLUENCE_ADF_RATE', 10), burst: Math.max(1, Math.floor(read('CONFLUENCE_ADF_BURST', 100))) };
}

/** How long one API request may take: CONFLUENCE_ADF_TIMEOUT seconds (default 30). */
export function resolveTimeoutMs(env: Env): number {
  const raw = env.CONFLUENCE_ADF_TIMEOUT;
  const n = raw ? Number(raw) : 30;
  if (!Number.isFinite(n) || n <= 0) throw new AppError('USAGE', `CONFLUENCE_ADF_TIMEOUT must be a positive number of seconds (got "${raw}").`);
  return n * 1000;
}
