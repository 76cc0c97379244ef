// One cloudflared run, from spawn to exit: reads its output line by line,
// tracks its edge connections, decides when it is online (URL known and an
// edge connection registered), health-checks its public URL while online, and
// gives up on a run that is alive but useless (no edge connection in time,
// every connection lost past the grace, a quick URL that fails its health
// checks). It tells its owner what happened through callbacks and never
// restarts anything itself: retries, back-off and the published state belong
// to the supervisor.

import {
  createCloudflaredParser,
  createLineSplitter,
  type CloudflaredEvent,
  type CloudflaredFailure,
  type TunnelConnection,
} from './cloudflared-output';
import { spawnGuarded, type ExitInfo, type GuardedChild, type Timers, type WatchdogKind } from './guarded-spawn';
import { startHealthMonitor, type HealthMonitor, type HealthResult, type HealthRoute } from './health-check';
import type { TunnelMode } from './tunnel-mode';
import { failureState, healthCheckFailedMessage, type TunnelOfflineReason } from './tunnel-state';
import { silentLogger, type Logger } from '../app/logger';

export type RunMode = Extract<TunnelMode, { kind: 'quick' | 'named' }>;

export type CloudflaredRunTiming = {
  startTimeoutMs: number;
  stableAfterMs: number;
  reconnectGraceMs: number;
  stopGraceMs: number;
  healthIntervalMs: number;
  healthFailuresBeforeOffline: number;
};

export interface CloudflaredRunEvents {
  /** Online, or still online with another first edge connection. */
  online(publicUrl: string, connection: TunnelConnection | undefined): void;
  /** Online for `stableAfterMs` without trouble. */
  stable(): void;
  /**
   * The run is alive but useless and ends itself; `exited` settles once the
   * process is gone. Nothing more is reported for this run.
   */
  retiring(reason: TunnelOfflineReason, message: string): void;
  /** A named tunnel's URL fails its health check: cloudflared is kept and the checks go on. */
  unhealthy(message: string): void;
  /** cloudflared ended on its own, or could not be started. Nothing more is reported for this run. */
  exited(reason: TunnelOfflineReason, message: string): void;
}

export type CloudflaredRunOptions = {
  binary: string;
  /** From cloudflaredArgs(). */
  args: readonly string[];
  mode: RunMode;
  /** Added to the inherited environment (minus TUNNEL_* variables). */
  env?: NodeJS.ProcessEnv;
  watchdog?: WatchdogKind;
  timing: CloudflaredRunTiming;
  timers: Timers;
  health: HealthRoute;
  logger?: Logger;
  events: CloudflaredRunEvents;
};

export interface CloudflaredRun {
  readonly mode: RunMode;
  /** Settles once the process has exited (or failed to start). */
  readonly exited: Promise<ExitInfo>;
  /** cloudflared's pid while it runs. */
  pid(): number | null;
  /** Stops reporting and ends the process: SIGTERM, SIGKILL after the stop grace. */
  terminate(): Promise<ExitInfo>;
}

/** The command line for a mode. A named tunnel's token is not in it: see cloudflaredEnv(). */
export function cloudflaredArgs(mode: RunMode, localPort: number, extraArgs: readonly string[] = []): string[] {
  // `--no-autoupdate`: the app ships and updates its own copy; cloudflared
  // replacing and restarting itself would also break the supervision.
  // `--loglevel info`: the lines parsed here are INF lines; the flag wins
  // over a loglevel in a config file.
  const common = ['tunnel', '--no-autoupdate', '--loglevel', 'info', ...extraArgs];
  return mode.kind === 'quick' ? [...common, '--url', `http://127.0.0.1:${localPort}`] : [...common, 'run'];
}

export function cloudflaredEnv(mode: RunMode, extra: NodeJS.ProcessEnv = {}, inherited: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // cloudflared reads many TUNNEL_* variables (TUNNEL_LOGLEVEL would hide
  // the very lines parsed here); only ours go through.
  for (const [k, v] of Object.entries(inherited)) if (!k.startsWith('TUNNEL_')) env[k] = v;
  Object.assign(env, extra);
  // The token goes in the environment, which cloudflared reads for --token
  // (tunnelTokenFlag EnvVars TUNNEL_TOKEN), not in argv, where any local
  // user could read it with `ps`.
  if (mode.kind === 'named') env['TUNNEL_TOKEN'] = mode.token;
  return env;
}

export function startCloudflaredRun(options: CloudflaredRunOptions): CloudflaredRun {
  const { mode, timing, timers, health, events } = options;
  const logger = options.logger ?? silentLogger;
  const log = logger.child('cloudflared-run');
  const guarded: GuardedChild = spawnGuarded(options.binary, options.args, {
    env: cloudflaredEnv(mode, options.env),
    watchdog: options.watchdog,
    watchdogGraceMs: timing.stopGraceMs,
    timers,
    logger,
  });

  let url: string | null = mode.kind === 'named' ? mode.publicUrl : null;
  const connections = new Map<number, TunnelConnection>();
  let failure: { failure: CloudflaredFailure; detail: string } | null = null;
  let online = false;
  let healthy = true;
  // Set once the owner no longer wants to hear from this run: it retired
  // itself, was terminated, or has exited.
  let done = false;
  let lossTimer: unknown = null;
  let stableTimer: unknown = null;
  let startTimer: unknown = timers.setTimeout(() => {
    startTimer = null;
    if (done || online) return;
    retire(
      'no-network',
      `cloudflared could not connect to Cloudflare within ${seconds(timing.startTimeoutMs)}; ` +
        'is the internet connection down, or outbound port 7844 blocked?',
    );
  }, timing.startTimeoutMs);
  let monitor: HealthMonitor | null = null;

  const parser = createCloudflaredParser();
  const onLine = (line: string) => {
    if (line.length === 0) return;
    log.info(`cloudflared: ${line}`);
    for (const event of parser.push(line)) onEvent(event);
  };
  // Both streams: cloudflared logs on stderr, urfave/cli usage errors go to stdout.
  for (const stream of [guarded.child.stdout, guarded.child.stderr]) {
    if (!stream) continue;
    const splitter = createLineSplitter(onLine);
    stream.on('data', (chunk: Buffer) => splitter.write(chunk));
    stream.on('end', () => splitter.end());
    stream.on('error', () => {});
  }
  void guarded.exited.then(onExit);

  function onEvent(event: CloudflaredEvent): void {
    if (done) return;
    switch (event.kind) {
      case 'quick-tunnel-url':
        if (mode.kind === 'quick') {
          url = event.url;
          checkOnline();
        }
        return;
      case 'connection-registered':
        connections.set(event.connection.connIndex, event.connection);
        if (lossTimer !== null) {
          timers.clearTimeout(lossTimer);
          lossTimer = null;
          log.info('edge connection back within the grace period');
        }
        checkOnline();
        return;
      case 'connection-lost':
        if (!connections.delete(event.connIndex)) return;
        if (connections.size > 0) {
          checkOnline();
          return;
        }
        if (online && lossTimer === null) {
          lossTimer = timers.setTimeout(() => {
            lossTimer = null;
            if (done || connections.size > 0) return;
            retire(
              'connections-lost',
              `cloudflared lost its connection to Cloudflare and did not get it back within ${seconds(timing.reconnectGraceMs)}.`,
            );
          }, timing.reconnectGraceMs);
        }
        return;
      case 'failure':
        failure = { failure: event.failure, detail: event.detail };
        return;
      case 'quick-tunnel-requested':
        return;
    }
  }

  // Online only once the URL is known AND an edge connection is registered:
  // before that the sequencer's liveness check on registration would fail.
  function checkOnline(): void {
    const publicUrl = url;
    if (!publicUrl || connections.size === 0 || done || !healthy) return;
    const first = [...connections.values()].sort((a, b) => a.connIndex - b.connIndex)[0];
    events.online(publicUrl, first);
    if (online || done) return;
    online = true;
    if (startTimer !== null) timers.clearTimeout(startTimer);
    startTimer = null;
    stableTimer = timers.setTimeout(() => {
      stableTimer = null;
      if (!done) events.stable();
    }, timing.stableAfterMs);
    monitor = startHealthMonitor({
      probe: () => health.probe(publicUrl),
      intervalMs: timing.healthIntervalMs,
      firstDelayMs: timing.healthIntervalMs,
      timers,
      onResult: (result, failures) => onHealth(publicUrl, result, failures),
    });
  }

  function onHealth(publicUrl: string, result: HealthResult, failures: number): void {
    if (done) return;
    if (result.ok) {
      if (!healthy) {
        healthy = true;
        checkOnline();
      }
      return;
    }
    const where = health.shown(publicUrl);
    log.warn(`health check of ${where} failed (${failures} in a row): ${result.error}`);
    if (failures < timing.healthFailuresBeforeOffline || !healthy) return;
    healthy = false;
    const message = healthCheckFailedMessage(where, failures, result.error);
    if (mode.kind === 'quick') {
      // A fresh quick tunnel is the only fix in our hands.
      retire('health-check-failed', message);
    } else {
      // A named tunnel's URL is the owner's: keep cloudflared and keep checking.
      events.unhealthy(message);
    }
  }

  function clearTimers(): void {
    for (const handle of [lossTimer, stableTimer, startTimer]) if (handle !== null) timers.clearTimeout(handle);
    lossTimer = null;
    stableTimer = null;
    startTimer = null;
    monitor?.stop();
    monitor = null;
  }

  function retire(reason: TunnelOfflineReason, message: string): void {
    done = true;
    clearTimers();
    events.retiring(reason, message);
    void guarded.terminate(timing.stopGraceMs);
  }

  function onExit(info: ExitInfo): void {
    clearTimers();
    if (done) return;
    done = true;
    const { reason, message } = exitState(info);
    events.exited(reason, message);
  }

  function exitState(info: ExitInfo): { reason: TunnelOfflineReason; message: string } {
    if (info.error) {
      const code = (info.error as NodeJS.ErrnoException).code;
      return { reason: code === 'ENOENT' ? 'binary-missing' : 'crashed', message: `cloudflared could not be started: ${info.error.message}` };
    }
    return failureState(failure, info);
  }

  return {
    mode,
    exited: guarded.exited,
    pid() {
      if (guarded.child.exitCode !== null || guarded.child.signalCode !== null) return null;
      return guarded.pid ?? null;
    },
    terminate() {
      done = true;
      clearTimers();
      return guarded.terminate(timing.stopGraceMs);
    },
  };
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
