// Keeps a public HTTPS URL pointing at the loopback webhook listener, so that
// Code's sequencer can deliver webhooks (SPEC §4.4), and tells subscribers
// where it stands: starting, online (with the URL), offline (with why), stopped.
//
// The supervisor owns the mode, the back-off and the retry schedule, and what
// is published. One cloudflared run (spawn, output, edge connections, its
// health checks) is cloudflared-run.ts; the fixed-URL mode's checks are
// fixed-url-monitor.ts. Both report to it through callbacks, and it is the
// only holder of the current run, so the process has exactly one owner; see
// guarded-spawn.ts for how that process is kept from outliving the app.
//
// Plain Node: no Electron import.

import { createBackoff, type BackoffOptions } from './backoff';
import { cloudflaredArgs, startCloudflaredRun, type CloudflaredRun, type RunMode } from './cloudflared-run';
import { binaryCandidates, searchCloudflaredBinary, type SkippedBinary } from './find-binary';
import { startFixedUrlMonitor, type FixedUrlMonitor } from './fixed-url-monitor';
import type { ExitInfo, Timers, WatchdogKind } from './guarded-spawn';
import { healthRoute } from './health-check';
import { installCloudflared, type Downloader, type InstallProgress, type PinnedRelease } from './install-binary';
import { parseTunnelMode, type TunnelMode } from './tunnel-mode';
import { createTunnelRedactor } from './tunnel-redaction';
import { silentLogger, type Logger } from '../app/logger';
import { describeState, type TunnelOfflineReason, type TunnelState } from './tunnel-state';

export type { TunnelConnection } from './cloudflared-output';
export { parseTunnelMode, type TunnelMode } from './tunnel-mode';
export type { TunnelOfflineReason, TunnelState } from './tunnel-state';
export type { Timers, WatchdogKind } from './guarded-spawn';
export { BinaryInstallError } from './install-binary';

export type TunnelTiming = {
  /**
   * A cloudflared that has not registered an edge connection by then is
   * replaced: with outbound QUIC and HTTP/2 to the edge blocked it would
   * otherwise dial forever while the till shows "starting".
   */
  startTimeoutMs: number;
  /** Online this long without trouble resets the back-off. */
  stableAfterMs: number;
  /** How long cloudflared may try to win back a lost edge connection itself. */
  reconnectGraceMs: number;
  /** SIGTERM → SIGKILL on stop (also the watchdog's grace). */
  stopGraceMs: number;
  healthIntervalMs: number;
  healthTimeoutMs: number;
  healthFailuresBeforeOffline: number;
  /** Cloudflare's quick-tunnel rate limit lasts minutes; retrying sooner only extends it. */
  rateLimitedMinDelayMs: number;
  installTimeoutMs: number;
};

export const DEFAULT_TIMING: TunnelTiming = {
  startTimeoutMs: 60_000,
  stableAfterMs: 60_000,
  reconnectGraceMs: 20_000,
  stopGraceMs: 5_000,
  healthIntervalMs: 30_000,
  healthTimeoutMs: 5_000,
  healthFailuresBeforeOffline: 3,
  rateLimitedMinDelayMs: 60_000,
  installTimeoutMs: 120_000,
};

export type TunnelSupervisorOptions = {
  mode: TunnelMode;
  localPort: number;
  /**
   * Path on the listener that answers GET with 200, e.g. `/health/<secret>`.
   * Every segment after the first is treated as secret: messages and logs
   * name it `/health/…`.
   */
  healthPath: string;
  binary?: { bundledPath?: string; configuredPath?: string; envPath?: string };
  fetchImpl?: typeof fetch;
  logger?: Logger;
  timing?: Partial<TunnelTiming>;
  backoff?: Partial<BackoffOptions>;
  /** Clock, timers and randomness, injectable so back-off can be tested exactly. */
  now?: () => number;
  timers?: Timers;
  random?: () => number;
  /** The transfer behind installBinary() (default: HTTPS from the pinned release); tests stand in for the network. */
  installer?: Downloader;
  /** The pinned release the download must match (default CLOUDFLARED_RELEASE); tests inject their stand-in's hash. */
  release?: PinnedRelease;
  spawn?: {
    /** Added to the inherited environment (minus TUNNEL_* variables). */
    env?: NodeJS.ProcessEnv;
    /** Extra `tunnel`-level flags, placed before `--url` / `run`. */
    extraArgs?: string[];
    watchdog?: WatchdogKind;
  };
};

export interface TunnelSupervisor {
  start(): void;
  stop(): Promise<void>;
  state(): TunnelState;
  publicUrl(): string | null;
  subscribe(fn: (s: TunnelState) => void): () => void;
  setMode(mode: TunnelMode): Promise<void>;
  installBinary(dir: string, onProgress: (p: InstallProgress) => void): Promise<string>;
  pid(): number | null;
}

const defaultTimers: Timers = {
  // Looked up at call time (so fake timers apply) and unref'd (so a pending
  // retry never keeps a quitting process alive).
  setTimeout: (fn, ms) => {
    const handle = globalThis.setTimeout(fn, ms) as { unref?: () => void };
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Reasons a retry cannot fix: the binary is missing (an install relaunches) or the token is refused (setMode brings a new one). */
const FINAL_REASONS: ReadonlySet<TunnelOfflineReason> = new Set(['binary-missing', 'invalid-token']);

export function createTunnelSupervisor(opts: TunnelSupervisorOptions): TunnelSupervisor {
  if (!Number.isInteger(opts.localPort) || opts.localPort < 1 || opts.localPort > 65_535) {
    throw new TypeError(`tunnel-supervisor: localPort must be a TCP port, got ${String(opts.localPort)}`);
  }
  if (!opts.healthPath.startsWith('/')) {
    throw new TypeError(`tunnel-supervisor: healthPath must start with "/", got ${JSON.stringify(opts.healthPath)}`);
  }
  const timing: TunnelTiming = { ...DEFAULT_TIMING, ...opts.timing };
  const timers = opts.timers ?? defaultTimers;
  const now = opts.now ?? (() => Date.now());
  const random = opts.random ?? Math.random;
  const fetchImpl = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const backoff = createBackoff(opts.backoff, random);
  const health = healthRoute({ fetchImpl, path: opts.healthPath, timeoutMs: timing.healthTimeoutMs, timers });

  // Every token ever used is masked, so late lines from an old run are too;
  // and the health path's secret, wherever it turns up.
  const redactor = createTunnelRedactor(opts.healthPath);
  const baseLogger = redactor.logger(opts.logger ?? silentLogger);
  const logger = baseLogger.child('tunnel-supervisor');
  let mode = parseTunnelMode(opts.mode);
  if (mode.kind === 'named') redactor.addToken(mode.token);
  let current: TunnelState = { status: 'stopped' };
  const subscribers = new Set<(s: TunnelState) => void>();
  let started = false;
  // Bumped by stop()/start(): callbacks from an earlier generation do nothing.
  let generation = 0;
  let run: CloudflaredRun | null = null;
  // Runs retired but not yet exited: stop() waits for them too.
  const dying = new Set<Promise<ExitInfo>>();
  let retryHandle: unknown = null;
  let fixedMonitor: FixedUrlMonitor | null = null;
  let stopping: Promise<void> | null = null;
  let installedPath: string | undefined;
  let installing: Promise<string> | null = null;
  let modeChange: Promise<void> = Promise.resolve();

  function publish(state: TunnelState): void {
    const next = redactor.state(state);
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    current = next;
    logger.info(describeState(next));
    for (const fn of [...subscribers]) {
      try {
        fn(next);
      } catch (err) {
        logger.error(`a subscriber threw: ${(err as Error).message}`);
      }
    }
  }

  function clearRetry(): void {
    if (retryHandle !== null) timers.clearTimeout(retryHandle);
    retryHandle = null;
  }

  function scheduleRetry(delayMs: number, after: Promise<unknown>): void {
    clearRetry();
    const gen = generation;
    retryHandle = timers.setTimeout(() => {
      retryHandle = null;
      void after.then(() => {
        if (gen === generation && started) launch();
      });
    }, delayMs);
  }

  function nextDelay(reason: TunnelOfflineReason): number {
    const delay = backoff.next();
    return reason === 'rate-limited' ? Math.max(delay, timing.rateLimitedMinDelayMs) : delay;
  }

  /** Offline, with a retry after the back-off unless retrying cannot help. */
  function offline(reason: TunnelOfflineReason, message: string, after: Promise<unknown>): void {
    if (FINAL_REASONS.has(reason)) {
      publish({ status: 'offline', reason, message });
      return;
    }
    const delay = nextDelay(reason);
    publish({ status: 'offline', reason, message, retryAt: now() + delay });
    scheduleRetry(delay, after);
  }

  function launch(): void {
    clearRetry();
    if (mode.kind === 'off') {
      publish({ status: 'stopped' });
      return;
    }
    if (mode.kind === 'fixed') {
      launchFixed(mode.url);
      return;
    }
    const binaryOptions = { ...opts.binary, installedPath, logger: baseLogger };
    const { found, skipped } = searchCloudflaredBinary(binaryOptions);
    if (!found) {
      const looked = binaryCandidates(binaryOptions)
        .filter((c) => c.source !== 'path')
        .map((c) => c.path);
      publish({
        status: 'offline',
        reason: 'binary-missing',
        message:
          'cloudflared is not installed, so webhooks cannot reach this till (payments are still confirmed by polling). ' +
          `Download it from Settings, or set its path. Looked in ${[...looked, 'PATH'].join(', ')}.${skippedNote(skipped)}`,
      });
      return;
    }
    publish({ status: 'starting' });
    spawnRun(found.path, mode);
  }

  function spawnRun(binary: string, runMode: RunMode): void {
    const args = cloudflaredArgs(runMode, opts.localPort, opts.spawn?.extraArgs);
    logger.info(`starting ${binary} ${args.join(' ')}`);
    const gen = generation;
    // Callbacks come only from the current run of this generation: a run
    // stops reporting once retired or terminated, and is replaced only after.
    const mine = () => run === r && gen === generation;
    const r: CloudflaredRun = startCloudflaredRun({
      binary,
      args,
      mode: runMode,
      ...(opts.spawn?.env ? { env: opts.spawn.env } : {}),
      ...(opts.spawn?.watchdog ? { watchdog: opts.spawn.watchdog } : {}),
      timing,
      timers,
      health,
      logger: baseLogger,
      events: {
        online(publicUrl, connection) {
          if (mine()) publish(connection ? { status: 'online', publicUrl, connection } : { status: 'online', publicUrl });
        },
        stable() {
          if (mine()) backoff.reset();
        },
        retiring(reason, message) {
          if (!mine()) return;
          dying.add(r.exited);
          void r.exited.then(() => dying.delete(r.exited));
          offline(reason, message, r.exited);
        },
        unhealthy(message) {
          if (mine()) publish({ status: 'offline', reason: 'health-check-failed', message });
        },
        exited(reason, message) {
          if (!mine()) return;
          run = null;
          if (started) offline(reason, message, Promise.resolve());
        },
      },
    });
    run = r;
    void r.exited.then(() => {
      if (run === r) run = null;
    });
  }

  function launchFixed(url: string): void {
    publish({ status: 'starting' });
    const gen = generation;
    fixedMonitor = startFixedUrlMonitor({
      url,
      health,
      intervalMs: timing.healthIntervalMs,
      failuresBeforeOffline: timing.healthFailuresBeforeOffline,
      timers,
      now,
      logger: baseLogger,
      report: (state) => {
        if (gen === generation && started) publish(state);
      },
    });
  }

  function start(): void {
    if (started) return;
    started = true;
    generation += 1;
    const gen = generation;
    if (stopping) {
      void stopping.then(() => {
        if (gen === generation && started) launch();
      });
      return;
    }
    launch();
  }

  function stop(): Promise<void> {
    if (stopping) return stopping;
    started = false;
    generation += 1;
    clearRetry();
    fixedMonitor?.stop();
    fixedMonitor = null;
    const r = run;
    const waits = [...dying];
    if (r) waits.push(r.terminate());
    stopping = Promise.all(waits)
      .then(() => {
        if (run === r) run = null;
        if (!started) publish({ status: 'stopped' });
      })
      .finally(() => {
        stopping = null;
      });
    return stopping;
  }

  return {
    start,
    stop,
    state: () => current,
    publicUrl: () => (current.status === 'online' ? current.publicUrl : null),
    subscribe(fn) {
      subscribers.add(fn);
      return () => {
        subscribers.delete(fn);
      };
    },
    setMode(next: TunnelMode): Promise<void> {
      let checked: TunnelMode;
      try {
        checked = parseTunnelMode(next);
      } catch (err) {
        return Promise.reject(err);
      }
      if (checked.kind === 'named') redactor.addToken(checked.token);
      // One change at a time, so two quick changes in Settings end in the
      // second mode with exactly one cloudflared running.
      const apply = async () => {
        const wasStarted = started;
        await stop();
        mode = checked;
        backoff.reset();
        if (wasStarted) start();
      };
      modeChange = modeChange.then(apply, apply);
      return modeChange;
    },
    installBinary(dir: string, onProgress: (p: InstallProgress) => void): Promise<string> {
      if (installing) return installing;
      installing = installCloudflared(dir, onProgress, { timeoutMs: timing.installTimeoutMs, installer: opts.installer, release: opts.release })
        .then((installed) => {
          installedPath = installed;
          logger.info(`cloudflared installed at ${installed}`);
          if (started && current.status === 'offline' && current.reason === 'binary-missing') launch();
          return installed;
        })
        .finally(() => {
          installing = null;
        });
      return installing;
    },
    pid: () => run?.pid() ?? null,
  };
}

/** Why a cloudflared on PATH was not used: npm's launcher script is the usual one. */
function skippedNote(skipped: SkippedBinary[]): string {
  if (skipped.length === 0) return '';
  return ` Passed over ${skipped.map((s) => `${s.path} (${s.why})`).join('; ')}.`;
}
