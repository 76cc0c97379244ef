// Finds the cloudflared executable: the copy shipped with the installer first
// (a known, tested version), then the owner's configured path, then one this
// app downloaded, then PATH.
//
// What PATH offers is not trusted to be cloudflared. Under `npm start` and
// `npm run preview`, PATH begins with node_modules/.bin, whose `cloudflared`
// is the npm package's Node launcher: it runs the package's downloaded binary
// when there is one and exits 0 when there is not, which the supervisor took
// for cloudflared stopping and restarted in a loop. So a PATH candidate must
// be a native executable (ELF, Mach-O or PE by its first bytes), and nothing
// inside a node_modules folder is taken. Paths the app or the owner chose
// (bundled, configured, installed) are taken as they are.

import { accessSync, closeSync, constants, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { silentLogger, type Logger } from '../app/logger';

export type BinarySource = 'bundled' | 'configured' | 'installed' | 'path';

export type FoundBinary = { path: string; source: BinarySource };

export type FindBinaryOptions = {
  bundledPath?: string;
  configuredPath?: string;
  /** Where installBinary() put a downloaded copy. */
  installedPath?: string;
  /** Defaults to process.env.PATH. */
  envPath?: string;
  /** Defaults to process.platform. */
  platform?: NodeJS.Platform;
  /** Windows executable suffixes; defaults to process.env.PATHEXT. */
  pathExt?: string;
  /** Says at debug level why a PATH candidate was passed over. */
  logger?: Logger;
};

/** A PATH candidate that exists but was not taken, and why (for the "not found" message). */
export type SkippedBinary = { path: string; why: string };

export function binaryFileName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'cloudflared.exe' : 'cloudflared';
}

export function isExecutableFile(file: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    // Windows has no execute bit; existence of the .exe is what counts there.
    accessSync(file, platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every place looked at, in order, with where each came from (for the "not found" message). */
export function binaryCandidates(options: FindBinaryOptions = {}): Array<FoundBinary> {
  const platform = options.platform ?? process.platform;
  const out: FoundBinary[] = [];
  if (options.bundledPath) out.push({ path: options.bundledPath, source: 'bundled' });
  if (options.configuredPath) out.push({ path: options.configuredPath, source: 'configured' });
  if (options.installedPath) out.push({ path: options.installedPath, source: 'installed' });
  const envPath = options.envPath ?? process.env['PATH'] ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  const names =
    platform === 'win32'
      ? (options.pathExt ?? process.env['PATHEXT'] ?? '.EXE')
          .split(';')
          .filter(Boolean)
          .map((ext) => `cloudflared${ext.toLowerCase()}`)
      : ['cloudflared'];
  const paths = platform === 'win32' ? path.win32 : path.posix;
  for (const dir of envPath.split(delimiter)) {
    // An empty PATH entry means the current directory: never run a binary
    // from wherever the app happens to be started.
    if (!dir || !paths.isAbsolute(dir)) continue;
    for (const name of names) out.push({ path: paths.join(dir, name), source: 'path' });
  }
  return out;
}

/** The first bytes of the executable formats cloudflared ships in. */
const NATIVE_MAGICS: readonly Buffer[] = [
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]), // ELF
  Buffer.from([0xfe, 0xed, 0xfa, 0xce]), // Mach-O 32-bit, big-endian
  Buffer.from([0xfe, 0xed, 0xfa, 0xcf]), // Mach-O 64-bit, big-endian
  Buffer.from([0xce, 0xfa, 0xed, 0xfe]), // Mach-O 32-bit, little-endian
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), // Mach-O 64-bit, little-endian
  Buffer.from([0xca, 0xfe, 0xba, 0xbe]), // Mach-O universal (fat)
  Buffer.from([0xca, 0xfe, 0xba, 0xbf]), // Mach-O universal, 64-bit offsets
  Buffer.from('MZ'), // PE (Windows .exe)
];

function firstBytes(file: string, count: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const read = readSync(fd, buffer, 0, count, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

const insideNodeModules = (file: string) => file.split(/[\\/]/).includes('node_modules');

/** Why an executable found on PATH is not cloudflared itself, or null when it may be run. */
export function pathCandidateProblem(file: string): string | null {
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    /* judged by its own path */
  }
  if (insideNodeModules(file) || insideNodeModules(real)) {
    return 'it is inside a node_modules folder: an npm launcher, not the cloudflared program';
  }
  let head: Buffer;
  try {
    head = firstBytes(file, 4);
  } catch (err) {
    return `it cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  if (head.subarray(0, 2).toString('latin1') === '#!') return 'it is a script, not the cloudflared program';
  if (!NATIVE_MAGICS.some((magic) => head.subarray(0, magic.length).equals(magic))) return 'it is not a native executable';
  return null;
}

/** The binary to run, and the PATH candidates that exist but were passed over. */
export function searchCloudflaredBinary(options: FindBinaryOptions = {}): { found: FoundBinary | null; skipped: SkippedBinary[] } {
  const platform = options.platform ?? process.platform;
  const log = (options.logger ?? silentLogger).child('find-binary');
  const skipped: SkippedBinary[] = [];
  for (const candidate of binaryCandidates(options)) {
    if (!isExecutableFile(candidate.path, platform)) continue;
    if (candidate.source === 'path') {
      const why = pathCandidateProblem(candidate.path);
      if (why) {
        log.debug(`skipped ${candidate.path} on PATH: ${why}`);
        skipped.push({ path: candidate.path, why });
        continue;
      }
    }
    return { found: candidate, skipped };
  }
  return { found: null, skipped };
}

export function findCloudflaredBinary(options: FindBinaryOptions = {}): FoundBinary | null {
  return searchCloudflaredBinary(options).found;
}
