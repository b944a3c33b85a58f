import fs from 'node:fs';
import crypto from 'node:crypto';
import { AppError, LOGIN_HINT } from '../errors.js';
import type { Paths, StorageChoice } from '../config.js';
import { readIfExists, writeFileAtomic } from './atomic.js';
import { isSealed, seal, unseal, type Sealed } from './seal.js';
import type { Keyring } from './keyring.js';

export interface Site {
  cloudId: string;
  name: string;
  url: string;
}

export interface Account {
  accountId: string;
  name: string;
  email?: string;
}

/** What a login knows that is not secret: safe to show in `auth status --json`. */
export interface LoginRecord {
  clientId: string;
  authUrl: string;
  apiUrl: string;
  callbackPort: number;
  site: Site;
  sites: Site[];
  account?: Account;
  /** Granted scopes, as the token endpoint reported them. */
  scopes: string[];
  requestedScopes: string[];
  accessTokenExpiresAt: number;
  /** When the current refresh token was issued: the 90-day idle clock starts here. */
  refreshTokenIssuedAt?: number;
  /** The first consent of this grant: the 365-day absolute clock starts here. */
  consentAt: number;
  updatedAt: number;
  /** Set when `auth export` handed this login to another machine; this one then stops refreshing it. */
  exportedAt?: number;
}

export interface LoginSecrets {
  accessToken?: string;
  refreshToken?: string;
  clientSecret: string;
}

export interface StoredLogin {
  record: LoginRecord;
  secrets: LoginSecrets;
}

export type KeyLocation = 'keyring' | 'file';

interface TokenFile {
  format: 'confluence-adf/tokens';
  /** 1: only the secrets were authenticated; 2: the readable part is bound into the seal as well. */
  version: 1 | 2;
  keyLocation: KeyLocation;
  record: LoginRecord;
  secrets: Sealed;
}

const FORMAT = 'confluence-adf/tokens';
const VERSION = 2;
const V1_AAD = 'confluence-adf/tokens/v1';

/**
 * The associated data of a version 2 file: the readable part exactly as stored. Editing any of it
 * (a URL, the site, the client ID, the key location) makes the seal fail to open.
 */
function boundAad(file: Pick<TokenFile, 'keyLocation' | 'record'>): string {
  return `${FORMAT}/v${VERSION}\n${JSON.stringify({ keyLocation: file.keyLocation, record: file.record })}`;
}
const PENDING_FORMAT = 'confluence-adf/pending-login';
const PENDING_AAD = 'confluence-adf/pending-login/v1';

/** A headless sign-in between its two steps: everything the code exchange will need. */
export interface PendingLogin {
  authUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  callbackPort: number;
  scopes: string[];
  site?: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  url: string;
  expiresAt: number;
}

export interface TokenStoreDeps {
  paths: Paths;
  keyring: Keyring;
  storage: StorageChoice;
  now: () => number;
  /** Told once when the keychain is missing and the key falls back to a file. */
  onNotice?: (message: string) => void;
}

export interface RemoveReport {
  removed: string[];
  failed: { what: string; error: string }[];
}

/**
 * The token store. The token file always holds the secrets encrypted (AES-256-GCM); the key lives in
 * the OS keychain when there is one, else in a separate 0600 key file. Keychain items stay tiny that
 * way (Windows caps one at 2,560 bytes), and the file never holds a readable token.
 */
export class TokenStore {
  constructor(private readonly deps: TokenStoreDeps) {}

  /** The keychain item name: one per home directory, so separate homes never share a key. */
  get keyAccount(): string {
    return `token-key:${crypto.createHash('sha256').update(this.deps.paths.home).digest('hex').slice(0, 16)}`;
  }

  /** Reads the login; undefined when there is none. A damaged file is reported, never deleted. */
  async read(): Promise<StoredLogin | undefined> {
    return (await this.readWithLocation())?.login;
  }

  /** The login and where its key lives, from one read of the file. */
  async readWithLocation(): Promise<{ login: StoredLogin; keyLocation: KeyLocation } | undefined> {
    const opened = await this.open();
    return opened && { login: opened.login, keyLocation: opened.file.keyLocation };
  }

  /** One read of the file, its key and its secrets; a version 1 file is rewritten as version 2. */
  private async open(): Promise<{ file: TokenFile; key: Buffer; login: StoredLogin; raw: Buffer } | undefined> {
    const read = await this.readFile();
    if (!read) return undefined;
    const { file, raw } = read;
    const key = await this.readKey(file.keyLocation);
    let secrets: LoginSecrets;
    try {
      secrets = JSON.parse(unseal(key, file.secrets, file.version === 1 ? V1_AAD : boundAad(file))) as LoginSecrets;
    } catch (cause) {
      throw this.corrupt(
        file.version === 1
          ? 'its encrypted part does not open with the stored key'
          : 'its seal does not match its readable part (the URLs, site or client ID were edited) or the stored key',
        cause,
      );
    }
    const login = { record: file.record, secrets };
    if (file.version !== 1) return { file, key, login, raw };
    // An older file: its readable part was never authenticated, so it is sealed in now, provided the
    // file is still the one just read (a refresh in another process may have replaced it meanwhile).
    const upgraded = this.serialize(login, file.keyLocation, key);
    try {
      await writeFileAtomic(this.deps.paths.tokenFile, upgraded, { beforeRename: () => this.assertUnchanged(raw) });
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'STORE_CHANGED')) throw error;
      return this.open();
    }
    return { file: JSON.parse(upgraded) as TokenFile, key, login, raw: Buffer.from(upgraded) };
  }

  private serialize(login: StoredLogin, keyLocation: KeyLocation, key: Buffer): string {
    const readable = { keyLocation, record: login.record };
    const file: TokenFile = { format: FORMAT, version: VERSION, ...readable, secrets: seal(key, JSON.stringify(login.secrets), boundAad(readable)) };
    return JSON.stringify(file, null, 2) + '\n';
  }

  /** Throws STORE_CHANGED when the token file is no longer `raw` (another process wrote it). */
  private assertUnchanged(raw: Buffer | undefined): void {
    let now: Buffer | undefined;
    try {
      now = fs.readFileSync(this.deps.paths.tokenFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (raw === undefined ? now !== undefined : !now?.equals(raw)) {
      throw new AppError('STORE_CHANGED', 'Another confluence-adf process replaced the stored login meanwhile.');
    }
  }

  /**
   * Writes the whole login atomically; the new file is on disk before this resolves. With `ifTokensAre`,
   * writes only while the stored tokens are still those (compare-and-swap): a process that lost its
   * lock never writes over tokens another process stored since, and gets STORE_CHANGED instead.
   */
  async write(login: StoredLogin, hooks: { beforeRename?: () => void; ifTokensAre?: LoginSecrets } = {}): Promise<KeyLocation> {
    let existing: { file: TokenFile; key: Buffer; login: StoredLogin; raw: Buffer } | undefined;
    try {
      // A full open, not just a parse: a file whose secrets no longer open is damaged too, and kept.
      existing = await this.open();
    } catch (error) {
      // --storage file over a login keyed in the keychain: the new login replaces it, keychain untouched.
      const keychainOff = error instanceof AppError && error.details?.keychainOff === true;
      if (!(error instanceof AppError && (error.code === 'STORE_CORRUPT' || keychainOff)) || hooks.ifTokensAre) throw error;
      if (!keychainOff) await this.setAside();
    }
    // A new login into a directory someone else prepared is refused as well.
    this.checkOwnership();
    const expected = hooks.ifTokensAre;
    if (expected && !sameTokens(existing?.login.secrets, expected)) {
      throw new AppError('STORE_CHANGED', 'Another confluence-adf process stored newer tokens meanwhile.');
    }
    const previous = existing?.file.keyLocation;
    const location = await this.chooseKeyLocation(previous);
    const key = existing && previous === location ? existing.key : await this.keyFor(location);
    await writeFileAtomic(this.deps.paths.tokenFile, this.serialize(login, location, key), {
      beforeRename: () => {
        hooks.beforeRename?.();
        // Checked again at the last moment: the file read above may have been replaced since.
        if (expected) this.assertUnchanged(existing?.raw);
      },
    });
    if (previous && previous !== location) await this.deleteKey(previous).catch(() => undefined);
    return location;
  }

  /** Saves a sign-in waiting for its callback URL; sealed with the same key as the tokens. */
  async writePending(pending: PendingLogin): Promise<void> {
    this.checkOwnership();
    const location = await this.chooseKeyLocation((await this.readFile().catch(() => undefined))?.file.keyLocation);
    const key = await this.keyFor(location);
    const file = { format: PENDING_FORMAT, version: 1, keyLocation: location, expiresAt: pending.expiresAt, secrets: seal(key, JSON.stringify(pending), PENDING_AAD) };
    await writeFileAtomic(this.deps.paths.pendingFile, JSON.stringify(file, null, 2) + '\n');
  }

  /** The waiting sign-in, or undefined when there is none (or it cannot be opened any more). */
  async readPending(): Promise<PendingLogin | undefined> {
    const raw = await readIfExists(this.deps.paths.pendingFile);
    if (!raw) return undefined;
    this.checkOwnership();
    try {
      const file = JSON.parse(raw.toString('utf8')) as { format?: string; keyLocation?: KeyLocation; secrets?: unknown };
      if (file.format !== PENDING_FORMAT || !isSealed(file.secrets) || (file.keyLocation !== 'keyring' && file.keyLocation !== 'file')) return undefined;
      return JSON.parse(unseal(await this.readKey(file.keyLocation), file.secrets, PENDING_AAD)) as PendingLogin;
    } catch (error) {
      if (error instanceof AppError && error.code === 'KEYRING_UNAVAILABLE') throw error;
      return undefined;
    }
  }

  async removePending(): Promise<void> {
    await removeFile(this.deps.paths.pendingFile);
  }

  /** Removes every local copy, carrying on past a failure so one stuck item cannot keep the rest. */
  async remove(): Promise<RemoveReport> {
    const report: RemoveReport = { removed: [], failed: [] };
    const attempt = async (what: string, action: () => Promise<boolean>) => {
      try {
        if (await action()) report.removed.push(what);
      } catch (error) {
        report.failed.push({ what, error: (error as Error).message });
      }
    };
    await attempt(this.deps.paths.tokenFile, () => removeFile(this.deps.paths.tokenFile));
    await attempt(this.deps.paths.pendingFile, () => removeFile(this.deps.paths.pendingFile));
    await attempt(this.deps.paths.keyFile, () => removeFile(this.deps.paths.keyFile));
    if (this.deps.storage !== 'file') {
      await attempt(`OS keychain item ${this.keyAccount}`, async () => {
        if (!(await this.deps.keyring.probe())) return false;
        return this.deps.keyring.delete(this.keyAccount);
      });
    }
    return report;
  }

  private corrupt(why: string, cause?: unknown): AppError {
    return new AppError('STORE_CORRUPT', `The token file ${this.deps.paths.tokenFile} is damaged: ${why}. It has been left in place.`, {
      hint: `${LOGIN_HINT} The damaged file will be kept beside the new one as oauth-tokens.json.corrupt-<time>.`,
      cause,
    });
  }

  private async readFile(): Promise<{ file: TokenFile; raw: Buffer } | undefined> {
    const raw = await readIfExists(this.deps.paths.tokenFile);
    if (raw === undefined) return undefined;
    this.checkOwnership();
    let parsed: Partial<TokenFile>;
    try {
      parsed = JSON.parse(raw.toString('utf8')) as Partial<TokenFile>;
    } catch (cause) {
      throw this.corrupt('it is not valid JSON (truncated or edited?)', cause);
    }
    if (parsed?.format !== FORMAT) throw this.corrupt('it is not a confluence-adf token file');
    if (parsed.version !== 1 && parsed.version !== VERSION) {
      throw new AppError('STORE_CORRUPT', `The token file ${this.deps.paths.tokenFile} has version ${String(parsed.version)}, which this version of confluence-adf does not know.`, {
        hint: 'Upgrade confluence-adf, or run `confluence-adf auth login` to replace it (the old file is kept aside).',
      });
    }
    if ((parsed.keyLocation !== 'keyring' && parsed.keyLocation !== 'file') || !isSealed(parsed.secrets) || !isRecord(parsed.record)) {
      throw this.corrupt('required fields are missing');
    }
    return { file: parsed as TokenFile, raw };
  }

  /**
   * The login directory and its files must be the user's own and writable by no one else: one planted
   * by another user (or left writable) could hand us their tokens or take ours, so it is refused. Files
   * others could only read (copied in, or an old umask) are put back to owner-only, and the user told.
   */
  private checkOwnership(): void {
    const { home, tokenFile, keyFile, pendingFile } = this.deps.paths;
    const uid = process.getuid?.();
    for (const [target, mode] of [[home, 0o700], [tokenFile, 0o600], [keyFile, 0o600], [pendingFile, 0o600]] as const) {
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(target);
      } catch {
        continue; // Missing (no key file with a keychain): nothing to check.
      }
      const current = stat.mode & 0o777;
      const remove = target === home ? `rm -r ${home}` : `rm ${target}`;
      if (uid !== undefined && stat.uid !== uid) throw this.unsafe(`${target} belongs to another user (uid ${stat.uid})`, remove);
      if (stat.isSymbolicLink()) throw this.unsafe(`${target} is a symbolic link`, remove);
      if ((current & 0o022) !== 0) throw this.unsafe(`${target} can be changed by other users (mode ${current.toString(8)})`, `chmod ${mode.toString(8)} ${target}`);
      if ((current & 0o077) !== 0) {
        try {
          fs.chmodSync(target, mode);
        } catch (cause) {
          throw this.unsafe(`${target} is open to other users (mode ${current.toString(8)}) and could not be made private`, `chmod ${mode.toString(8)} ${target}`, cause);
        }
        this.deps.onNotice?.(`${target} was open to other users (mode ${current.toString(8)}); it is now ${mode.toString(8)}.`);
      }
    }
  }

  private unsafe(why: string, fix: string, cause?: unknown): AppError {
    const hint = fix.startsWith('chmod')
      ? `If you made it so, run \`${fix}\`; if not, someone else may have read or changed it: remove ${this.deps.paths.home} and run \`confluence-adf auth login\`.`
      : `Remove it (\`${fix}\`) and run \`confluence-adf auth login\` to sign in again.`;
    return new AppError('STORE_UNSAFE', `Your login is not stored safely: ${why}. Nothing was read from it or written to it.`, { hint, ...(cause ? { cause } : {}) });
  }

  private async setAside(): Promise<void> {
    const aside = `${this.deps.paths.tokenFile}.corrupt-${new Date(this.deps.now()).toISOString().replace(/[:.]/g, '-')}`;
    await fs.promises.rename(this.deps.paths.tokenFile, aside);
    this.deps.onNotice?.(`The damaged token file was kept as ${aside}.`);
  }

  /**
   * Fails now when --storage keyring cannot be honoured. A login calls it before the browser opens:
   * finding out at the first write would come after the user approved, with the code already spent.
   */
  async checkStorage(): Promise<void> {
    if (this.deps.storage === 'keyring') await this.chooseKeyLocation(undefined);
  }

  private async chooseKeyLocation(current: KeyLocation | undefined): Promise<KeyLocation> {
    const { storage, keyring } = this.deps;
    if (storage === 'file') return 'file';
    // The key was just read from the keychain: it works, and probing again would cost every refresh
    // three keychain round trips.
    if (current === 'keyring') return 'keyring';
    if (storage === 'keyring') {
      if (await keyring.probe()) return 'keyring';
      throw new AppError('KEYRING_UNAVAILABLE', 'The OS keychain is not available, and --storage keyring asks for it.', {
        hint: 'On Linux, start a Secret Service (gnome-keyring or KeePassXC) and unlock it, or pass --storage file.',
      });
    }
    if (await keyring.probe()) return 'keyring';
    if (current !== 'file') {
      this.deps.onNotice?.(
        `No OS keychain is available; the key that encrypts your tokens is kept in ${this.deps.paths.keyFile} (mode 600) instead.`,
      );
    }
    return 'file';
  }

  private async readKey(location: KeyLocation): Promise<Buffer> {
    let encoded: string | undefined;
    if (location === 'keyring' && this.deps.storage === 'file') {
      throw new AppError('KEYRING_UNAVAILABLE', 'The key of this login is in the OS keychain, and --storage file keeps confluence-adf away from the keychain.', {
        hint: 'Run without --storage file (or CONFLUENCE_ADF_STORAGE=file) to use this login, or `confluence-adf auth login --storage file` to replace it.',
        details: { keychainOff: true },
      });
    }
    if (location === 'keyring') {
      try {
        encoded = await this.deps.keyring.get(this.keyAccount);
      } catch (cause) {
        throw new AppError('KEYRING_UNAVAILABLE', 'Your tokens are encrypted with a key kept in the OS keychain, and the keychain cannot be reached.', {
          hint: 'Unlock the keychain (on Linux: start and unlock your Secret Service) and try again. Nothing was deleted.',
          cause,
        });
      }
    } else {
      encoded = (await readIfExists(this.deps.paths.keyFile))?.toString('utf8').trim();
    }
    const key = encoded ? Buffer.from(encoded, 'base64') : undefined;
    if (!key || key.length !== 32) {
      throw this.corrupt(location === 'keyring' ? 'its key is missing from the OS keychain' : `its key file ${this.deps.paths.keyFile} is missing or damaged`);
    }
    return key;
  }

  /** This home's key at `location`, made when there is none: the token and pending files share it. */
  private async keyFor(location: KeyLocation): Promise<Buffer> {
    try {
      return await this.readKey(location);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'STORE_CORRUPT')) throw error;
      const key = crypto.randomBytes(32);
      await this.writeKey(location, key);
      return key;
    }
  }

  private async writeKey(location: KeyLocation, key: Buffer): Promise<void> {
    if (location === 'keyring') await this.deps.keyring.set(this.keyAccount, key.toString('base64'));
    else await writeFileAtomic(this.deps.paths.keyFile, key.toString('base64') + '\n');
  }

  private async deleteKey(location: KeyLocation): Promise<void> {
    if (location === 'keyring') await this.deps.keyring.delete(this.keyAccount);
    else await removeFile(this.deps.paths.keyFile);
  }
}

function sameTokens(stored: LoginSecrets | undefined, expected: LoginSecrets): boolean {
  return !!stored && stored.refreshToken === expected.refreshToken && stored.accessToken === expected.accessToken;
}

function isRecord(value: unknown): value is LoginRecord {
  const r = value as Partial<LoginRecord> | null;
  return !!r && typeof r.clientId === 'string' && !!r.site && typeof r.site.cloudId === 'string' && Array.isArray(r.scopes);
}

async function removeFile(file: string): Promise<boolean> {
  try {
    await fs.promises.unlink(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
