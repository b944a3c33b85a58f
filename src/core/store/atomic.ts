import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/**
 * Creates a directory (and its missing parents) readable by its owner alone. A directory that already
 * exists keeps its mode: `--output /tmp/x` must not lock everyone else out of /tmp.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const first = await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  // The umask may have taken bits from the mode given to mkdir: set it on every directory made here.
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    await fs.promises.chmod(d, 0o700);
    if (d === path.resolve(first) || d === path.dirname(d)) break;
  }
}

/**
 * Writes a file so that a crash at any instant leaves either the old file or the new one, never half
 * of one: a 0600 temp file beside it, flushed, renamed over, then the directory flushed.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Buffer,
  hooks: { beforeRename?: () => void; /** A user's own file (pages get --output): their directory left as it is, mode 0666 less the umask. */ userFile?: boolean } = {},
): Promise<void> {
  const dir = path.dirname(file);
  if (!hooks.userFile) await ensurePrivateDir(dir);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.promises.open(temp, 'wx', hooks.userFile ? 0o666 : 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // The hook may refuse the write (a compare-and-swap that lost): the temp file goes with it.
    hooks.beforeRename?.();
    await fs.promises.rename(temp, file);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  await syncDir(dir);
  removeOrphanedTemps(dir, path.basename(file));
}

/** Temp files of writers that died before their rename (kill -9, a full disk): theirs alone, by PID. */
function removeOrphanedTemps(dir: string, base: string): void {
  const pattern = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
    } catch {
      // Not ours to remove after all; it harms nothing where it is.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncDir(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open a directory to flush it; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/**
 * Reads a small file, or undefined when it does not exist. Synchronous on purpose: these files are
 * tiny, and node:fs/promises costs every start-up its stream and readline modules.
 */
export async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
