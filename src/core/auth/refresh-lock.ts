import fs from 'node:fs';
import { AppError } from '../errors.js';
import { ensurePrivateDir } from '../store/atomic.js';
import type { HeldLock, RefreshLock } from './session.js';

export interface RefreshLockOptions {
  /** The file the lock guards; proper-lockfile keeps its lock beside it as `<file>.lock`. */
  target: string;
  home: string;
  /** A lock not touched for this long belongs to a dead process and is taken over. */
  staleMs?: number;
  waitMs?: number;
}

/** How many times a lock lost before anything was sent is taken again. */
const RETAKES = 5;

/**
 * A cross-process lock around read → refresh → write, from proper-lockfile: a lock directory made
 * atomically, its mtime kept fresh while held, so one left by a killed process is recovered once stale.
 *
 * A process that is alive but paused (SIGSTOP, a laptop lid) cannot keep the mtime fresh, and another
 * process takes the lock over. So `fn` gets `assertHeld()` to call before anything irreversible; when
 * the lock was lost before that point, `fn` is run again under a freshly taken lock.
 */
export function createRefreshLock(options: RefreshLockOptions): RefreshLock {
  const staleMs = Math.max(2000, options.staleMs ?? 10_000);
  const waitMs = options.waitMs ?? 60_000;
  const lockDir = `${options.target}.lock`;
  return async <T>(fn: (lock: HeldLock) => Promise<T>): Promise<T> => {
    const { default: lockfile } = await import('proper-lockfile');
    await ensurePrivateDir(options.home);
    for (let attempt = 0; ; attempt++) {
      // What proper-lockfile last stamped on the lock directory, seen through the fs it is given:
      // a different stamp means another process took the lock over.
      let stamped: { mtime: number; at: number } | undefined;
      let compromised = false;
      const watchedFs = {
        ...fs,
        utimes: (file: fs.PathLike, atime: Date, mtime: Date, callback: (error: NodeJS.ErrnoException | null) => void) =>
          fs.utimes(file, atime, mtime, (error) => {
            if (!error) stamped = { mtime: mtime.getTime(), at: Date.now() };
            callback(error);
          }),
      };
      let release: () => Promise<void>;
      try {
        release = await lockfile.lock(options.target, {
          realpath: false,
          stale: staleMs,
          update: Math.max(1000, Math.floor(staleMs / 2)),
          retries: { retries: Math.ceil(waitMs / 100), factor: 1, minTimeout: 25, maxTimeout: 100, randomize: true },
          fs: watchedFs,
          // The default throws from a timer and would crash the process; assertHeld() reports it instead.
          onCompromised: () => void (compromised = true),
        });
      } catch (cause) {
        throw new AppError('STORE_UNAVAILABLE', `Another confluence-adf process has held the refresh lock for over ${waitMs / 1000} s.`, {
          hint: `If no other confluence-adf command is running, remove ${lockDir} and try again.`,
          cause,
        });
      }
      // proper-lockfile may have kept a cached precision and not stamped: what the directory shows now is ours.
      stamped ??= { mtime: fs.statSync(lockDir).mtime.getTime(), at: Date.now() };
      /** False once another process holds the lock directory (or it is gone): ours was taken over. */
      const stillOurs = (): boolean => {
        if (compromised) return false;
        try {
          return fs.statSync(lockDir).mtime.getTime() === stamped!.mtime;
        } catch {
          return false;
        }
      };
      const held: HeldLock = {
        assertHeld: () => {
          // Unstamped for most of the stale time (we were paused): another process may be taking it over
          // right now, and would then present the same refresh token.
          const late = Date.now() - stamped!.at > (staleMs * 3) / 4;
          if (!stillOurs() || late) {
            throw new AppError('STORE_UNAVAILABLE', 'This process was paused long enough to lose the refresh lock to another one.', {
              hint: 'Try again.',
              details: { lockLost: true },
            });
          }
        },
      };
      try {
        return await fn(held);
      } catch (error) {
        if (!(attempt < RETAKES && error instanceof AppError && error.details?.lockLost === true)) throw error;
      } finally {
        // Releasing a lock another process took over would remove *its* lock directory.
        if (stillOurs()) await release().catch(() => undefined);
      }
    }
  };
}
