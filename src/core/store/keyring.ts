import { AppError } from '../errors.js';
import { sessionBusAnswers } from './dbus-check.js';

/** The OS keychain as this tool uses it: small string items under one service name. */
export interface Keyring {
  /** Resolves true when a working keychain answers within the timeout. */
  probe(): Promise<boolean>;
  get(account: string): Promise<string | undefined>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const KEYRING_SERVICE = 'confluence-adf';
const TIMEOUT_MS = 5000;

type KeyringModule = typeof import('@napi-rs/keyring');

/**
 * The real keychain through @napi-rs/keyring, loaded only when needed. On Linux the entry is pinned
 * to the Secret Service: the kernel keyring it would otherwise fall back to forgets on reboot.
 */
export function osKeyring(timeoutMs = TIMEOUT_MS): Keyring {
  let module: Promise<KeyringModule> | undefined;
  let busCheck: Promise<boolean> | undefined;
  const load = () => (module ??= import('@napi-rs/keyring'));

  async function withEntry<T>(account: string, use: (entry: InstanceType<KeyringModule['AsyncEntry']>, signal: AbortSignal) => Promise<T>): Promise<T> {
    if (process.platform === 'linux' && !(await (busCheck ??= sessionBusAnswers(process.env.DBUS_SESSION_BUS_ADDRESS, Math.min(timeoutMs, 2000))))) {
      throw new AppError('KEYRING_UNAVAILABLE', 'The D-Bus session bus does not answer, so the Secret Service (OS keychain) cannot be reached.');
    }
    let mod: KeyringModule;
    try {
      mod = await load();
    } catch (cause) {
      throw new AppError('KEYRING_UNAVAILABLE', 'The OS keychain module could not be loaded.', { cause });
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new AppError('KEYRING_UNAVAILABLE', `The OS keychain did not answer within ${timeoutMs / 1000} s.`));
      }, timeoutMs);
      timer.unref();
    });
    try {
      // The constructor itself throws when no Secret Service is reachable (no D-Bus session).
      const entry = new mod.AsyncEntry(KEYRING_SERVICE, account, { linux: { store: 'secret-service' } });
      return await Promise.race([use(entry, controller.signal), timeout]);
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      throw new AppError('KEYRING_UNAVAILABLE', `The OS keychain refused the request: ${(cause as Error).message}`, { cause });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async probe() {
      const account = `probe-${process.pid}`;
      try {
        await withEntry(account, (e, signal) => e.setPassword('probe', signal));
        const value = await withEntry(account, (e, signal) => e.getPassword(signal));
        await withEntry(account, (e, signal) => e.deleteCredential(signal));
        return value === 'probe';
      } catch {
        return false;
      }
    },
    async get(account) {
      return (await withEntry(account, (e, signal) => e.getPassword(signal))) ?? undefined;
    },
    async set(account, value) {
      await withEntry(account, (e, signal) => e.setPassword(value, signal));
    },
    async delete(account) {
      return withEntry(account, (e, signal) => e.deleteCredential(signal));
    },
  };
}
