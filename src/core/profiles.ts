import fs from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.js';
import { writeFileAtomic } from './store/atomic.js';
import type { Env } from './config.js';

export const DEFAULT_PROFILE = 'default';
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Why a profile is the active one. */
export type ProfileSource = 'flag' | 'environment' | 'stored default' | 'implicit';

export interface ActiveProfile {
  name: string;
  source: ProfileSource;
}

/** The root every profile lives under: $CONFLUENCE_ADF_HOME, else ~/.mcp/confluence-adf. */
export function rootDir(env: Env, homedir: string): string {
  return env.CONFLUENCE_ADF_HOME ? path.resolve(env.CONFLUENCE_ADF_HOME) : path.join(homedir, '.mcp', 'confluence-adf');
}

/**
 * A profile's own directory. `default` is the root itself, so a tool that never names a profile keeps
 * the layout it always had; every other profile has profiles/<name>/ with its own files and lock.
 */
export function profileDir(root: string, name: string): string {
  return name === DEFAULT_PROFILE ? root : path.join(root, 'profiles', name);
}

export function checkProfileName(name: string): string {
  if (!NAME.test(name)) {
    throw new AppError('USAGE', `"${name}" is not a valid profile name.`, { hint: 'Use letters, digits, "-" and "_" (at most 64), e.g. --profile prod.' });
  }
  return name;
}

const settingsFile = (root: string) => path.join(root, 'settings.json');

/** The profile set by `auth switch`, if any. */
export function storedDefault(root: string): string | undefined {
  try {
    const name = (JSON.parse(fs.readFileSync(settingsFile(root), 'utf8')) as { defaultProfile?: unknown }).defaultProfile;
    return typeof name === 'string' && NAME.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

export async function setStoredDefault(root: string, name: string | undefined): Promise<void> {
  await writeFileAtomic(settingsFile(root), JSON.stringify(name ? { defaultProfile: name } : {}, null, 2) + '\n');
}

/** The active profile: --profile, then $CONFLUENCE_ADF_PROFILE, then `auth switch`, then default. */
export function activeProfile(env: Env, root: string, flag?: string): ActiveProfile {
  if (flag) return { name: checkProfileName(flag), source: 'flag' };
  if (env.CONFLUENCE_ADF_PROFILE) return { name: checkProfileName(env.CONFLUENCE_ADF_PROFILE), source: 'environment' };
  const stored = storedDefault(root);
  if (stored) return { name: stored, source: 'stored default' };
  return { name: DEFAULT_PROFILE, source: 'implicit' };
}

/** The profiles that hold a login (or what is left of one), default first. */
export function knownProfiles(root: string): string[] {
  const names: string[] = [];
  if (fs.existsSync(path.join(root, 'oauth-tokens.json'))) names.push(DEFAULT_PROFILE);
  try {
    for (const entry of fs.readdirSync(path.join(root, 'profiles'), { withFileTypes: true })) {
      if (entry.isDirectory() && NAME.test(entry.name) && fs.existsSync(path.join(root, 'profiles', entry.name, 'oauth-tokens.json'))) names.push(entry.name);
    }
  } catch {
    // No profiles directory yet.
  }
  return names;
}

/**
 * For commands that need an existing login. An unknown named profile is an error that lists the known
 * ones: NOT_SIGNED_IN (exit 4, like `default` with no login) for commands that need a login, USAGE
 * for `auth switch`, where the name itself is the mistake.
 */
export function requireKnownProfile(root: string, name: string, code: 'USAGE' | 'NOT_SIGNED_IN' = 'USAGE'): void {
  if (name === DEFAULT_PROFILE) return;
  const known = knownProfiles(root);
  if (known.includes(name)) return;
  const list = known.length ? known.join(', ') : 'none yet';
  if (code === 'NOT_SIGNED_IN') {
    throw new AppError('NOT_SIGNED_IN', `The profile "${name}" is not signed in (known profiles: ${list}).`, {
      hint: `Run \`confluence-adf auth login --profile ${name}\` to sign in, or pick one of the known profiles.`,
      details: { profile: name, knownProfiles: known },
    });
  }
  throw new AppError('USAGE', `There is no profile "${name}". Known profiles: ${list}.`, {
    hint: `Create it with \`confluence-adf auth login --profile ${name}\`, or pick one of the known profiles.`,
  });
}
