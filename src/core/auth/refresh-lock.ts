import { AppError } from '../errors.js';
import { ensurePrivateDir } from '../store/atomic.js';
import type { RefreshLock } from './session.js';

export interface RefreshLockOptions {
  /** The file the lock guards; proper-lockfile keeps its lock beside it as `<file>.lock`. */
  target: string;
  home: string;
  /** A lock not touched for this long belongs to a dead process and is taken over. */
  staleMs?: number;
  waitMs?: number;
}

/**
 * A cross-process lock around read → refresh → write, from proper-lockfile: a lock directory made
 * atomically, its mtime kept fresh while held, so one left by a killed process is recovered once stale.
 */
export function createRefreshLock(options: RefreshLockOptions): RefreshLock {
  const staleMs = Math.max(2000, options.staleMs ?? 10_000);
  const waitMs = options.waitMs ?? 60_000;
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    const { default: lockfile } = await import('proper-lockfile');
    await ensurePrivateDir(options.home);
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(options.target, {
        realpath: false,
        stale: staleMs,
        update: Math.max(1000, Math.floor(staleMs / 2)),
        retries: { retries: Math.ceil(waitMs / 100), factor: 1, minTimeout: 25, maxTimeout: 100, randomize: true },
        // The default throws from a timer and would crash the process; the refresh still finishes.
        onCompromised: () => undefined,
      });
    } catch (cause) {
      throw new AppError('STORE_UNAVAILABLE', `Another confluence-adf process has held the refresh lock for over ${waitMs / 1000} s.`, {
        hint: `If no other confluence-adf command is running, remove ${options.target}.lock and try again.`,
        cause,
      });
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  };
}
