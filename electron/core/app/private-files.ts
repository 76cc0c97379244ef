/**
 * The data directory holds the ledger (the shop's takings), the sandbox's
 * signing key and the logs: none of it is anyone else's business on a shared
 * computer. So the directory is 0700 and every file in it 0600 (a downloaded
 * cloudflared keeps its execute bit: 0700), whatever the umask.
 *
 * Two halves, because modes come from two places:
 * - each writer creates its files private (`mode` on open, chmod after, for
 *   files a library creates, like SQLite's -wal/-shm);
 * - at boot, `securePrivateData` tightens what an older Counter left at 0644,
 *   before anything else opens a file.
 *
 * POSIX only: Windows has no mode bits (its ACLs on %APPDATA% are per-user
 * already) and Node's chmod there only toggles read-only.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** A private program (the downloaded cloudflared): still runnable by its owner. */
export const PRIVATE_EXECUTABLE_MODE = 0o700;

const posix = () => process.platform !== 'win32';

/** Creates `dir` (and parents) if missing and makes it 0700; an existing one is tightened. */
export function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    // A file where the folder should be: say that, as ENOTDIR, like every
    // other path under it would (the boot message names the code).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', path: dir });
  }
  // mkdir's mode is masked by the umask and ignored for a directory that
  // already exists: chmod says it exactly.
  if (posix()) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes each existing file 0600; a missing one is skipped (SQLite's -wal/-shm come and go). */
export function makePrivate(...files: string[]): void {
  if (!posix()) return;
  for (const file of files) {
    try {
      chmodSync(file, PRIVATE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** The mode a file in the data directory should have: private, keeping the owner's execute bit. */
export function privateModeFor(mode: number): number {
  return mode & 0o100 ? PRIVATE_EXECUTABLE_MODE : PRIVATE_FILE_MODE;
}

/** Deep enough for logs/ and bin/; the walk never follows a symlink (pino-roll's current.log is one). */
const MAX_DEPTH = 4;

/**
 * Makes the data directory 0700 (creating it) and tightens everything inside:
 * directories 0700, files 0600 (0700 if executable). Returns what could not
 * be tightened, as sentences for the log: a file owned by someone else
 * (EPERM) must not stop the till, the log says where to look.
 */
export function securePrivateData(dataDir: string): string[] {
  ensurePrivateDir(dataDir);
  const problems: string[] = [];
  if (!posix()) return problems;
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      problems.push(`cannot list ${dir}: ${(error as Error).message}`);
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        const stat = lstatSync(path);
        if (stat.isSymbolicLink()) continue;
        if (stat.isDirectory()) {
          if ((stat.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(path, PRIVATE_DIR_MODE);
          if (depth < MAX_DEPTH) walk(path, depth + 1);
        } else if (stat.isFile()) {
          const wanted = privateModeFor(stat.mode);
          if ((stat.mode & 0o777) !== wanted) chmodSync(path, wanted);
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') problems.push(`cannot make ${path} private: ${(error as Error).message}`);
      }
    }
  };
  walk(dataDir, 1);
  return problems;
}
