// Starts cloudflared so that it never outlives the app, and stops it politely.
//
// Orphan prevention, and why it is built this way:
// - cloudflared ignores its stdin and does not watch its parent, and Node has
//   no PR_SET_PDEATHSIG, so nothing in the child itself notices when the app
//   is SIGKILLed (or crashes, or is force-quit by the OS). Being a Go program
//   it would die of SIGPIPE on its next log line once the app's end of the
//   stderr pipe is gone, but an idle tunnel may not log anything for hours.
// - So each cloudflared gets a tiny watchdog: a `/bin/sh` one-liner (a
//   PowerShell one on Windows, where there is no sh) whose stdin is a pipe
//   from the app. The app never writes to it. When the app dies, however it dies, the
//   kernel closes the app's end, the watchdog's `read` sees EOF, and it sends
//   SIGTERM to cloudflared's process group, then SIGKILL after a grace.
//   It works with the real cloudflared binary unchanged, costs one idle `sh`
//   (about a megabyte), and needs no native module.
// - cloudflared runs in its own process group (detached: setsid), so a Ctrl-C
//   in the terminal running `npm run preview` reaches the app, which then stops
//   cloudflared itself, and group kills also reach anything cloudflared forks.
//   The watchdog is detached too, and ignores INT/HUP/TERM, so the same Ctrl-C
//   or a closed terminal cannot kill the guard before it has done its job.
// - On a normal stop the app SIGKILLs the watchdog once cloudflared has exited
//   (before closing the pipe, so the watchdog cannot act on a pid that the OS
//   may already have handed to another process).
// - The watchdog is never the app's own binary: a packaged Counter has the
//   RunAsNode fuse off (scripts/after-pack.mjs), so `process.execPath` with
//   ELECTRON_RUN_AS_NODE would start a second Counter, not Node. The Node
//   one-liner is kept for plain Node hosts (the preview, the tests) and is
//   refused inside Electron.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as realSetTimeout } from 'node:timers';
import { silentLogger, type Logger } from '../app/logger';

export type WatchdogKind = 'auto' | 'sh' | 'powershell' | 'node' | 'none';

export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export interface GuardedChild {
  readonly child: ChildProcess;
  /** cloudflared's own pid (the watchdog is not it). */
  readonly pid: number | undefined;
  readonly watchdogPid: number | undefined;
  /** Settles once the child has exited and been reaped, or failed to start. */
  readonly exited: Promise<ExitInfo>;
  hasExited(): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the child is gone. */
  terminate(graceMs: number): Promise<ExitInfo>;
}

export type SpawnGuardedOptions = {
  env: NodeJS.ProcessEnv;
  watchdog?: WatchdogKind;
  /** How long the watchdog waits between its SIGTERM and SIGKILL. */
  watchdogGraceMs?: number;
  timers?: Timers;
  logger?: Logger;
  platform?: NodeJS.Platform;
};

// `$1` = cloudflared's pid (= its process group id), `$2` = grace in seconds.
// `read` is a shell builtin, so the idle watchdog is a single sh process.
const SH_WATCHDOG =
  "trap '' INT HUP TERM; while IFS= read -r _; do :; done; " +
  'kill -s TERM -- "-$1" 2>/dev/null || kill -s TERM "$1" 2>/dev/null; ' +
  'sleep "$2"; kill -s KILL -- "-$1" 2>/dev/null || kill -s KILL "$1" 2>/dev/null';

// Windows: `$args[0]` = cloudflared's pid. The process object is taken first
// and held, so the pid cannot be reused while the watchdog waits; stdin's EOF
// (the app gone) ends ReadToEnd; taskkill /T takes anything cloudflared
// started with it. Windows has no SIGTERM: the kill is immediate there, as
// it always was.
const POWERSHELL_WATCHDOG =
  '$p = Get-Process -Id $args[0] -ErrorAction SilentlyContinue; ' +
  '[void][Console]::In.ReadToEnd(); ' +
  'if ($p -and -not $p.HasExited) { & taskkill.exe /PID $args[0] /T /F | Out-Null }';

// process.argv for `node -e <script> <pid> <graceMs>` is [execPath, pid, graceMs].
const NODE_WATCHDOG = `
const pid = Number(process.argv[1]); const grace = Number(process.argv[2]);
for (const s of ['SIGINT', 'SIGHUP', 'SIGTERM']) { try { process.on(s, () => {}); } catch {} }
const kill = (sig) => { try { process.kill(process.platform === 'win32' ? pid : -pid, sig); } catch { try { process.kill(pid, sig); } catch {} } };
const fire = () => { kill('SIGTERM'); setTimeout(() => { kill('SIGKILL'); process.exit(0); }, grace); };
process.stdin.on('end', fire); process.stdin.on('error', fire); process.stdin.resume();
`;

/**
 * The watchdog to run for cloudflared `pid`, or null for none. Never the app's
 * own binary inside Electron (see the header): 'node' there, or 'auto' on a
 * POSIX system without /bin/sh, gets no watchdog rather than a second app.
 */
export function watchdogCommand(
  kind: WatchdogKind,
  pid: number,
  graceMs: number,
  env: { platform: NodeJS.Platform; inElectron: boolean; hasSh?: boolean },
): { file: string; args: string[] } | null {
  const posix = env.platform !== 'win32';
  if (kind === 'auto') kind = !posix ? 'powershell' : (env.hasSh ?? existsSync('/bin/sh')) ? 'sh' : 'node';
  switch (kind) {
    case 'sh':
      return { file: '/bin/sh', args: ['-c', SH_WATCHDOG, 'cloudflared-watchdog', String(pid), String(Math.ceil(graceMs / 1000))] };
    case 'powershell':
      return {
        file: 'powershell.exe',
        args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', POWERSHELL_WATCHDOG, String(pid)],
      };
    case 'node':
      return env.inElectron ? null : { file: process.execPath, args: ['-e', NODE_WATCHDOG, String(pid), String(graceMs)] };
    default:
      return null;
  }
}

const defaultTimers: Timers = {
  // Looked up at call time so test fake timers apply.
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function spawnGuarded(command: string, args: readonly string[], options: SpawnGuardedOptions): GuardedChild {
  const platform = options.platform ?? process.platform;
  const timers = options.timers ?? defaultTimers;
  const log = (options.logger ?? silentLogger).child('guarded-spawn');
  const posix = platform !== 'win32';

  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env,
    detached: posix,
    windowsHide: true,
  });

  let exitInfo: ExitInfo | null = null;
  let reaped = false;
  let resolveExited!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => {
    resolveExited = resolve;
  });
  const settle = (info: ExitInfo) => {
    if (exitInfo) return;
    exitInfo = info;
    releaseWatchdog();
    resolveExited(info);
  };
  // 'close' comes after the last output line has been read, so a failure
  // printed just before exiting is never missed; if something else holds the
  // pipes open, 'exit' plus a moment is enough. (node:timers on purpose: this
  // is about real I/O, not the supervisor's clock.)
  child.once('close', (code, signal) => settle({ code, signal }));
  child.once('exit', (code, signal) => {
    reaped = true;
    releaseWatchdog();
    realSetTimeout(() => settle({ code, signal }), 500).unref();
  });
  child.on('error', (error) => {
    // 'error' without a pid means spawn itself failed (ENOENT, EACCES);
    // with a pid it is a failed kill(), which changes nothing here.
    if (child.pid === undefined) settle({ code: null, signal: null, error });
  });

  const watchdog = child.pid !== undefined ? startWatchdog(child.pid) : undefined;

  function startWatchdog(pid: number): ChildProcess | undefined {
    const graceMs = Math.max(1_000, options.watchdogGraceMs ?? 5_000);
    const command = watchdogCommand(options.watchdog ?? 'auto', pid, graceMs, { platform, inElectron: Boolean(process.versions.electron) });
    if (!command) {
      if ((options.watchdog ?? 'auto') !== 'none') log.warn('no watchdog can run here; an app crash may leave cloudflared running');
      return undefined;
    }
    try {
      const guard = spawn(command.file, command.args, {
        stdio: ['pipe', 'ignore', 'ignore'],
        detached: true,
        windowsHide: true,
      });
      guard.on('error', (err) => log.warn(`watchdog failed: ${err.message}`));
      guard.stdin?.on('error', () => {});
      // The guard must not keep a quitting app alive.
      guard.unref();
      (guard.stdin as unknown as { unref?: () => void } | null)?.unref?.();
      return guard;
    } catch (err) {
      log.warn(`could not start the watchdog (${(err as Error).message}); an app crash may leave cloudflared running`);
      return undefined;
    }
  }

  function releaseWatchdog(): void {
    if (!watchdog) return;
    // Kill first, close the pipe second: see the header comment.
    try {
      watchdog.kill('SIGKILL');
    } catch {
      /* already gone */
    }
    watchdog.stdin?.destroy();
  }

  function signal(sig: NodeJS.Signals): void {
    if (exitInfo || reaped || child.pid === undefined) return;
    if (posix) {
      try {
        process.kill(-child.pid, sig);
        return;
      } catch {
        /* group gone or not ours: fall through to the pid */
      }
    }
    try {
      child.kill(sig);
    } catch {
      /* already gone */
    }
  }

  let terminating: Promise<ExitInfo> | null = null;
  return {
    child,
    get pid() {
      return child.pid;
    },
    get watchdogPid() {
      return watchdog?.pid;
    },
    exited,
    hasExited: () => exitInfo !== null,
    terminate(graceMs: number): Promise<ExitInfo> {
      if (exitInfo) return Promise.resolve(exitInfo);
      if (terminating) return terminating;
      signal('SIGTERM');
      const killTimer = timers.setTimeout(() => {
        log.warn(`cloudflared (pid ${child.pid}) ignored SIGTERM for ${graceMs} ms; sending SIGKILL`);
        signal('SIGKILL');
      }, graceMs);
      terminating = exited.then((info) => {
        timers.clearTimeout(killTimer);
        return info;
      });
      return terminating;
    },
  };
}
