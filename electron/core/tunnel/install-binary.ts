// Downloads cloudflared when none was found, with the `cloudflared` npm
// package's own installer (it knows the release asset for each platform and
// architecture, extracts the macOS tarball and sets the execute bit).
//
// That installer has no timeout, no cancel and no progress callback, so:
// - it downloads to a temporary name in the target directory, renamed into
//   place only on success (a half-written file is never taken for a binary);
// - progress is the temporary file's size, polled (the total is not exposed by
//   the installer, so it is reported only when known: never, for now);
// - a deadline rejects with a clear error however the network misbehaves
//   (DNS fails fast offline, but a firewall that drops packets would make the
//   request hang for minutes); a download that finishes after the deadline is
//   deleted, since the caller was already told it failed.

import { chmodSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { install as npmInstall } from 'cloudflared';
import { CounterError } from '../app/errors';
import { binaryFileName } from './find-binary';
import type { Timers } from './guarded-spawn';

export type InstallProgress = { received: number; total?: number };

export type InstallErrorCode = 'install-timeout' | 'install-download-failed' | 'install-unsupported' | 'install-filesystem';

export class BinaryInstallError extends CounterError {
  override readonly name = 'BinaryInstallError';
  declare readonly code: InstallErrorCode;
  constructor(code: InstallErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export type InstallOptions = {
  timeoutMs: number;
  /** The download itself; defaults to the cloudflared package's `install(to)`. */
  installer?: (to: string) => Promise<string>;
  pollMs?: number;
  timers?: Timers;
  platform?: NodeJS.Platform;
  now?: () => number;
};

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export async function installCloudflared(
  dir: string,
  onProgress: (p: InstallProgress) => void,
  options: InstallOptions,
): Promise<string> {
  const platform = options.platform ?? process.platform;
  const timers = options.timers ?? defaultTimers;
  const installer = options.installer ?? ((to: string) => npmInstall(to));
  const target = path.join(dir, binaryFileName(platform));
  const stamp = `${process.pid}-${(options.now ?? Date.now)()}`;
  const temp = path.join(dir, `.cloudflared-download-${stamp}`);
  // macOS: the installer downloads `${to}.tgz` and unpacks next to it.
  const downloading = [temp, `${temp}.tgz`];
  const cleanup = () => {
    for (const f of downloading) rmSync(f, { force: true });
  };

  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new BinaryInstallError('install-filesystem', `Cannot create ${dir} for cloudflared: ${(err as Error).message}`, { cause: err });
  }

  let lastReported = -1;
  const report = () => {
    let received = 0;
    for (const f of downloading) {
      try {
        received = Math.max(received, statSync(f).size);
      } catch {
        /* not there yet */
      }
    }
    if (received !== lastReported) {
      lastReported = received;
      try {
        onProgress({ received });
      } catch {
        /* a broken progress bar must not break the download */
      }
    }
  };

  let settled = false;
  let pollHandle: unknown;
  const poll = () => {
    if (settled) return;
    report();
    pollHandle = timers.setTimeout(poll, options.pollMs ?? 250);
  };
  pollHandle = timers.setTimeout(poll, options.pollMs ?? 250);

  const download = Promise.resolve().then(() => installer(temp));
  let deadline: unknown = null;
  const timedOut = new Promise<never>((_, reject) => {
    deadline = timers.setTimeout(() => {
      reject(
        new BinaryInstallError(
          'install-timeout',
          `Downloading cloudflared did not finish within ${duration(options.timeoutMs)}. ` +
            'Check the internet connection and try again.',
        ),
      );
    }, options.timeoutMs);
  });

  try {
    await Promise.race([download, timedOut]);
  } catch (err) {
    settled = true;
    // Whatever the download does later, its file is not wanted.
    download.then(cleanup, cleanup);
    cleanup();
    if (err instanceof BinaryInstallError) throw err;
    throw describeDownloadError(err);
  } finally {
    settled = true;
    timers.clearTimeout(deadline);
    timers.clearTimeout(pollHandle);
  }

  try {
    if (platform !== 'win32') chmodSync(temp, 0o755);
    renameSync(temp, target);
  } catch (err) {
    cleanup();
    throw new BinaryInstallError('install-filesystem', `Cannot put cloudflared in ${dir}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const size = statSync(target).size;
    onProgress({ received: size, total: size });
  } catch {
    /* reported best effort */
  }
  return target;
}

function describeDownloadError(err: unknown): BinaryInstallError {
  const e = err as Error & { code?: string };
  if (e?.name === 'UnsupportedError' || /^Unsupported (platform|architecture)/.test(e?.message ?? '')) {
    return new BinaryInstallError('install-unsupported', `cloudflared cannot be downloaded for this computer: ${e.message}`, { cause: err });
  }
  const offline = ['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'];
  const hint = e?.code && offline.includes(e.code) ? ' No internet connection?' : '';
  return new BinaryInstallError('install-download-failed', `Could not download cloudflared: ${e?.message ?? String(err)}.${hint}`, { cause: err });
}

function duration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;
}
