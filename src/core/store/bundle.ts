import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { AppError } from '../errors.js';
import { isSealed, seal, unseal, type Sealed } from './seal.js';
import type { StoredLogin } from './token-store.js';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

const FORMAT = 'confluence-adf/login-bundle';
const AAD = 'confluence-adf/login-bundle/v1';
/** scrypt cost: OWASP's minimum (N=2^17, r=8, p=1, 128 MiB), so each guess of a passphrase is slow. */
const KDF = { N: 2 ** 17, r: 8, p: 1 };
/** What a bundle may ask for: our own costs, old (2^15) and new, up to 256 MiB. Anything else is hostile. */
const ACCEPTED_N = new Set([2 ** 15, 2 ** 16, 2 ** 17, 2 ** 18]);

/** The shortest passphrase a bundle is sealed with, from a prompt or CONFLUENCE_ADF_PASSPHRASE alike. */
export const MIN_PASSPHRASE_LENGTH = 12;

interface SealedBundle {
  format: typeof FORMAT;
  version: 1;
  exportedAt: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: Sealed;
}

interface PlainBundle {
  format: typeof FORMAT;
  version: 1;
  exportedAt: string;
  plaintext: StoredLogin;
}

async function deriveKey(passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }): Promise<Buffer> {
  return scrypt(passphrase.normalize('NFC'), salt, 32, { ...kdf, maxmem: 256 * kdf.N * kdf.r });
}

/** A versioned bundle of one login, sealed with a passphrase (scrypt → AES-256-GCM) unless plaintext is asked for. */
export async function makeBundle(login: StoredLogin, now: number, passphrase: string | undefined): Promise<string> {
  const exportedAt = new Date(now).toISOString();
  if (passphrase === undefined) {
    const plain: PlainBundle = { format: FORMAT, version: 1, exportedAt, plaintext: login };
    return JSON.stringify(plain, null, 2) + '\n';
  }
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new AppError('USAGE', `The passphrase is too short: at least ${MIN_PASSPHRASE_LENGTH} characters (a short one is guessed in seconds).`, {
      hint: `Choose a longer passphrase (CONFLUENCE_ADF_PASSPHRASE, if set), e.g. four unrelated words.`,
    });
  }
  const salt = crypto.randomBytes(16);
  const key = await deriveKey(passphrase, salt, KDF);
  const bundle: SealedBundle = {
    format: FORMAT,
    version: 1,
    exportedAt,
    kdf: { name: 'scrypt', ...KDF, salt: salt.toString('base64') },
    cipher: seal(key, JSON.stringify(login), AAD),
  };
  return JSON.stringify(bundle, null, 2) + '\n';
}

function invalid(message: string): AppError {
  return new AppError('BUNDLE_INVALID', message, { hint: 'Export it again with `confluence-adf auth export` on the machine that is signed in. Nothing was stored.' });
}

/** Opens a bundle; every way it can be wrong is a BUNDLE_INVALID error and nothing else happens. */
export async function openBundle(text: string, passphrase: () => Promise<string>, options: { plaintext: boolean }): Promise<StoredLogin> {
  if (text.trim() === '') throw invalid('The bundle is empty.');
  let parsed: Partial<SealedBundle & PlainBundle>;
  try {
    parsed = JSON.parse(text) as Partial<SealedBundle & PlainBundle>;
  } catch {
    throw invalid('This is not a confluence-adf login bundle, or it was cut short.');
  }
  if (parsed?.format !== FORMAT) throw invalid('This is not a confluence-adf login bundle.');
  if (parsed.version !== 1) {
    throw new AppError('BUNDLE_INVALID', `The bundle has version ${String(parsed.version)}, which this version of confluence-adf does not know.`, {
      hint: 'Upgrade confluence-adf on this machine to the version that made the bundle. Nothing was stored.',
    });
  }
  let login: StoredLogin;
  if (parsed.plaintext) {
    // Anyone can write a plaintext bundle; only the person who made one knowingly should import it.
    if (!options.plaintext) {
      throw new AppError('BUNDLE_INVALID', 'This bundle is not encrypted, so nothing shows it came from your `auth export`.', {
        hint: 'If you exported it yourself with --plaintext, import it with `confluence-adf auth import --plaintext`. Nothing was stored.',
      });
    }
    login = parsed.plaintext;
  }
  else {
    const kdf = parsed.kdf;
    if (!kdf || kdf.name !== 'scrypt' || !isSealed(parsed.cipher) || typeof kdf.salt !== 'string') throw invalid('The bundle is damaged: its sealed part is missing.');
    if (!ACCEPTED_N.has(kdf.N) || kdf.r !== KDF.r || kdf.p !== KDF.p) {
      throw invalid('The bundle asks for a key derivation cost confluence-adf never uses (it was not made by `auth export`, or was altered).');
    }
    const key = await deriveKey(await passphrase(), Buffer.from(kdf.salt, 'base64'), kdf);
    try {
      login = JSON.parse(unseal(key, parsed.cipher, AAD)) as StoredLogin;
    } catch {
      throw new AppError('BUNDLE_INVALID', 'The bundle could not be opened: wrong passphrase, or the bundle was altered or cut short.', {
        hint: 'Check the passphrase (CONFLUENCE_ADF_PASSPHRASE, if set) and that the whole bundle was copied. Nothing was stored.',
      });
    }
  }
  if (!login?.record?.clientId || !login.record.site?.cloudId || !login.secrets?.clientSecret || !login.secrets.refreshToken) {
    throw invalid('The bundle is damaged: the login inside is incomplete.');
  }
  return login;
}
