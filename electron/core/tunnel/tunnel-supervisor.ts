// Keeps a public HTTPS URL pointing at the loopback webhook listener, so that
// Code's sequencer can deliver webhooks (SPEC §4.4), and tells subscribers
// where it stands: starting, online (with the URL), offline (with why), stopped.
//
// Plain Node: no Electron import. It owns the only reference to the cloudflared
// process; see guarded-spawn.ts for how that process is kept from outliving
// the app.

import { createBackoff, type BackoffOptions } from './backoff';
import {
  createCloudflaredParser,
  createLineSplitter,
  type CloudflaredEvent,
  type CloudflaredFailure,
  type TunnelConnection,
} from './cloudflared-output';
import { binaryCandidates, findCloudflaredBinary } from './find-binary';
import { spawnGuarded, type ExitInfo, type GuardedChild, type Timers, type WatchdogKind } from './guarded-spawn';
import { probeHealth, startHealthMonitor, type HealthMonitor, type HealthResult } from './health-check';
import { installCloudflared, type InstallProgress } from './install-binary';
import { parseTunnelMode, type TunnelMode } from './tunnel-mode';
import { silentLogger, type Logger, type LogLevel } from '../app/logger';
import { describeState, failureState, type TunnelOfflineReason, type TunnelState } from './tunnel-state';

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
  /** Path on the listener that answers GET with 200, e.g. `/health`. */
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
  /** The download behind installBinary(); defaults to the cloudflared package's installer. */
  installer?: (to: string) => Promise<string>;
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

type Run = {
  guarded: GuardedChild;
  mode: Extract<TunnelMode, { kind: 'quick' | 'named' }>;
  url: string | null;
  connections: Map<number, TunnelConnection>;
  failure: { failure: CloudflaredFailure; detail: string } | null;
  online: boolean;
  healthy: boolean;
  retiring: boolean;
  lossTimer: unknown;
  stableTimer: unknown;
  startTimer: unknown;
  health: HealthMonitor | null;
};

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

  // Every token ever used, so late lines from an old run are redacted too.
  const secrets = new Set<string>();
  let mode = parseTunnelMode(opts.mode);
  if (mode.kind === 'named') secrets.add(mode.token);
  let current: TunnelState = { status: 'stopped' };
  const subscribers = new Set<(s: TunnelState) => void>();
  let started = false;
  // Bumped by stop()/start(): callbacks from an earlier generation do nothing.
  let generation = 0;
  let run: Run | null = null;
  const dying = new Set<Promise<ExitInfo>>();
  let retryHandle: unknown = null;
  let fixedMonitor: HealthMonitor | null = null;
  let stopping: Promise<void> | null = null;
  let installedPath: string | undefined;
  let installing: Promise<string> | null = null;
  let modeChange: Promise<void> = Promise.resolve();

  const logger = (opts.logger ?? silentLogger).child('tunnel-supervisor');
  const log = (line: string, level: LogLevel = 'info') => {
    try {
      logger[level](redact(line));
    } catch {
      /* logging must never break the supervisor */
    }
  };
  const redact = (line: string) => {
    let out = line;
    for (const secret of secrets) out = out.split(secret).join('[token]');
    return out;
  };

  function publish(next: TunnelState): void {
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    current = next;
    log(`${describeState(next)}`);
    for (const fn of [...subscribers]) {
      try {
        fn(next);
      } catch (err) {
        log(`a subscriber threw: ${(err as Error).message}`, 'error');
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
    const binaryOptions = { ...opts.binary, installedPath };
    const found = findCloudflaredBinary(binaryOptions);
    if (!found) {
      const looked = binaryCandidates(binaryOptions)
        .filter((c) => c.source !== 'path')
        .map((c) => c.path);
      publish({
        status: 'offline',
        reason: 'binary-missing',
        message:
          'cloudflared is not installed, so webhooks cannot reach this till (payments are still confirmed by polling). ' +
          `Download it from Settings, or set its path. Looked in ${[...looked, 'PATH'].join(', ')}.`,
      });
      return;
    }
    publish({ status: 'starting' });
    spawnRun(found.path, mode);
  }

  function childEnv(runMode: Run['mode']): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    // cloudflared reads many TUNNEL_* variables (TUNNEL_LOGLEVEL would hide
    // the very lines parsed here); only ours go through.
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TUNNEL_')) env[k] = v;
    Object.assign(env, opts.spawn?.env);
    // The token goes in the environment, which cloudflared reads for --token
    // (tunnelTokenFlag EnvVars TUNNEL_TOKEN), not in argv, where any local
    // user could read it with `ps`.
    if (runMode.kind === 'named') env['TUNNEL_TOKEN'] = runMode.token;
    return env;
  }

  function spawnRun(binary: string, runMode: Run['mode']): void {
    const extra = opts.spawn?.extraArgs ?? [];
    // `--no-autoupdate`: the app ships and updates its own copy; cloudflared
    // replacing and restarting itself would also break the supervision.
    // `--loglevel info`: the lines parsed here are INF lines; the flag wins
    // over a loglevel in a config file.
    const common = ['tunnel', '--no-autoupdate', '--loglevel', 'info', ...extra];
    const args =
      runMode.kind === 'quick' ? [...common, '--url', `http://127.0.0.1:${opts.localPort}`] : [...common, 'run'];
    log(`starting ${binary} ${args.join(' ')}`);
    const guarded = spawnGuarded(binary, args, {
      env: childEnv(runMode),
      watchdog: opts.spawn?.watchdog,
      watchdogGraceMs: timing.stopGraceMs,
      timers,
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
    const r: Run = {
      guarded,
      mode: runMode,
      url: null,
      connections: new Map(),
      failure: null,
      online: false,
      healthy: true,
      retiring: false,
      lossTimer: null,
      stableTimer: null,
      startTimer: null,
      health: null,
    };
    run = r;
    r.startTimer = timers.setTimeout(() => {
      r.startTimer = null;
      if (r !== run || r.retiring || r.online) return;
      retire(
        r,
        'no-network',
        `cloudflared could not connect to Cloudflare within ${seconds(timing.startTimeoutMs)}; ` +
          'is the internet connection down, or outbound port 7844 blocked?',
      );
    }, timing.startTimeoutMs);
    const parser = createCloudflaredParser();
    const onLine = (line: string) => {
      if (line.length === 0) return;
      log(`cloudflared: ${line}`);
      for (const event of parser.push(line)) onEvent(r, event);
    };
    // Both streams: cloudflared logs on stderr, urfave/cli usage errors go to stdout.
    for (const stream of [guarded.child.stdout, guarded.child.stderr]) {
      if (!stream) continue;
      const splitter = createLineSplitter(onLine);
      stream.on('data', (chunk: Buffer) => splitter.write(chunk));
      stream.on('end', () => splitter.end());
      stream.on('error', () => {});
    }
    void guarded.exited.then((info) => onExit(r, info));
  }

  function onEvent(r: Run, event: CloudflaredEvent): void {
    if (r !== run || r.retiring) return;
    switch (event.kind) {
      case 'quick-tunnel-url':
        if (r.mode.kind === 'quick') {
          r.url = event.url;
          checkOnline(r);
        }
        return;
      case 'connection-registered':
        r.connections.set(event.connection.connIndex, event.connection);
        if (r.lossTimer !== null) {
          timers.clearTimeout(r.lossTimer);
          r.lossTimer = null;
          log('edge connection back within the grace period');
        }
        checkOnline(r);
        return;
      case 'connection-lost':
        if (!r.connections.delete(event.connIndex)) return;
        if (r.connections.size > 0) {
          checkOnline(r);
          return;
        }
        if (r.online && r.lossTimer === null) {
          r.lossTimer = timers.setTimeout(() => {
            r.lossTimer = null;
            if (r !== run || r.retiring || r.connections.size > 0) return;
            retire(
              r,
              'connections-lost',
              `cloudflared lost its connection to Cloudflare and did not get it back within ${seconds(timing.reconnectGraceMs)}.`,
            );
          }, timing.reconnectGraceMs);
        }
        return;
      case 'failure':
        r.failure = { failure: event.failure, detail: event.detail };
        return;
      case 'quick-tunnel-requested':
        return;
    }
  }

  function runUrl(r: Run): string | null {
    return r.mode.kind === 'quick' ? r.url : r.mode.publicUrl;
  }

  // Online only once the URL is known AND an edge connection is registered:
  // before that the sequencer's liveness check on registration would fail.
  function checkOnline(r: Run): void {
    const url = runUrl(r);
    if (!url || r.connections.size === 0 || r.retiring || !r.healthy) return;
    const first = [...r.connections.values()].sort((a, b) => a.connIndex - b.connIndex)[0];
    publish(first ? { status: 'online', publicUrl: url, connection: first } : { status: 'online', publicUrl: url });
    if (r.online) return;
    r.online = true;
    if (r.startTimer !== null) timers.clearTimeout(r.startTimer);
    r.startTimer = null;
    r.stableTimer = timers.setTimeout(() => {
      r.stableTimer = null;
      if (r === run && !r.retiring) backoff.reset();
    }, timing.stableAfterMs);
    r.health = startHealthMonitor({
      probe: () => probe(url),
      intervalMs: timing.healthIntervalMs,
      firstDelayMs: timing.healthIntervalMs,
      timers,
      onResult: (result, failures) => onRunHealth(r, url, result, failures),
    });
  }

  function onRunHealth(r: Run, url: string, result: HealthResult, failures: number): void {
    if (r !== run || r.retiring) return;
    if (result.ok) {
      if (!r.healthy) {
        r.healthy = true;
        checkOnline(r);
      }
      return;
    }
    log(`health check of ${url}${opts.healthPath} failed (${failures} in a row): ${result.error}`, 'warn');
    if (failures < timing.healthFailuresBeforeOffline || !r.healthy) return;
    r.healthy = false;
    const message = `${url}${opts.healthPath} did not answer the health check ${failures} times in a row (last: ${result.error}).`;
    if (r.mode.kind === 'quick') {
      // A fresh quick tunnel is the only fix in our hands.
      retire(r, 'health-check-failed', message);
    } else {
      // A named tunnel's URL is the owner's: keep cloudflared and keep checking.
      publish({ status: 'offline', reason: 'health-check-failed', message });
    }
  }

  function probe(url: string): Promise<HealthResult> {
    return probeHealth({ fetchImpl, url: `${url.replace(/\/+$/, '')}${opts.healthPath}`, timeoutMs: timing.healthTimeoutMs, timers });
  }

  function clearRunTimers(r: Run): void {
    for (const handle of [r.lossTimer, r.stableTimer, r.startTimer]) if (handle !== null) timers.clearTimeout(handle);
    r.lossTimer = null;
    r.stableTimer = null;
    r.startTimer = null;
    r.health?.stop();
    r.health = null;
  }

  /** Replaces a running cloudflared that is alive but useless. */
  function retire(r: Run, reason: TunnelOfflineReason, message: string): void {
    r.retiring = true;
    clearRunTimers(r);
    const delay = nextDelay(reason);
    publish({ status: 'offline', reason, message, retryAt: now() + delay });
    const gone = r.guarded.terminate(timing.stopGraceMs);
    dying.add(gone);
    void gone.then(() => dying.delete(gone));
    scheduleRetry(delay, gone);
  }

  function onExit(r: Run, info: ExitInfo): void {
    clearRunTimers(r);
    if (run === r) run = null;
    if (r.retiring || !started) return;
    r.retiring = true;
    if (info.error) {
      const code = (info.error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        publish({ status: 'offline', reason: 'binary-missing', message: `cloudflared could not be started: ${info.error.message}` });
        return;
      }
      const delay = nextDelay('crashed');
      publish({ status: 'offline', reason: 'crashed', message: `cloudflared could not be started: ${info.error.message}`, retryAt: now() + delay });
      scheduleRetry(delay, Promise.resolve());
      return;
    }
    const { reason, message } = failureState(r.failure, info);
    if (reason === 'invalid-token') {
      // Retrying cannot help; a new token arrives through setMode().
      publish({ status: 'offline', reason, message });
      return;
    }
    const delay = nextDelay(reason);
    publish({ status: 'offline', reason, message, retryAt: now() + delay });
    scheduleRetry(delay, Promise.resolve());
  }

  function launchFixed(url: string): void {
    publish({ status: 'starting' });
    const gen = generation;
    fixedMonitor = startHealthMonitor({
      probe: () => probe(url),
      intervalMs: timing.healthIntervalMs,
      firstDelayMs: 0,
      timers,
      onResult: (result, failures) => {
        if (gen !== generation || !started) return;
        if (result.ok) {
          publish({ status: 'online', publicUrl: url });
          return;
        }
        log(`health check of ${url}${opts.healthPath} failed (${failures} in a row): ${result.error}`, 'warn');
        if (failures >= timing.healthFailuresBeforeOffline) {
          publish({
            status: 'offline',
            reason: 'health-check-failed',
            message: `${url}${opts.healthPath} did not answer the health check ${failures} times in a row (last: ${result.error}).`,
            retryAt: now() + timing.healthIntervalMs,
          });
        }
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
    if (r) {
      r.retiring = true;
      clearRunTimers(r);
    }
    const waits = [...dying];
    if (r) waits.push(r.guarded.terminate(timing.stopGraceMs));
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
      if (checked.kind === 'named') secrets.add(checked.token);
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
      installing = installCloudflared(dir, onProgress, { timeoutMs: timing.installTimeoutMs, installer: opts.installer })
        .then((installed) => {
          installedPath = installed;
          log(`cloudflared installed at ${installed}`);
          if (started && current.status === 'offline' && current.reason === 'binary-missing') launch();
          return installed;
        })
        .finally(() => {
          installing = null;
        });
      return installing;
    },
    pid() {
      const r = run;
      if (!r || r.guarded.child.exitCode !== null || r.guarded.child.signalCode !== null) return null;
      return r.guarded.pid ?? null;
    },
  };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
