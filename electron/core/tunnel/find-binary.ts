// Finds the cloudflared executable: the copy shipped with the installer first
// (a known, tested version), then the owner's configured path, then one this
// app downloaded, then PATH.

import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

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
};

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

export function findCloudflaredBinary(options: FindBinaryOptions = {}): FoundBinary | null {
  const platform = options.platform ?? process.platform;
  for (const candidate of binaryCandidates(options)) {
    if (isExecutableFile(candidate.path, platform)) return candidate;
  }
  return null;
}
