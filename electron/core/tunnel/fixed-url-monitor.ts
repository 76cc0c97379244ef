// The fixed public URL mode: the owner routes a URL of their own to the
// listener (a reverse proxy, a port forward), so there is no process to run,
// only the URL to check. Online while the health route answers through it;
// offline after `failuresBeforeOffline` failures in a row, and online again
// as soon as it answers.

import type { Timers } from './guarded-spawn';
import { startHealthMonitor, type HealthRoute } from './health-check';
import { healthCheckFailedMessage, type TunnelState } from './tunnel-state';
import { silentLogger, type Logger } from '../app/logger';

export type FixedUrlMonitorOptions = {
  /** The owner's URL, without a trailing slash. */
  url: string;
  health: HealthRoute;
  intervalMs: number;
  failuresBeforeOffline: number;
  timers: Timers;
  now: () => number;
  logger?: Logger;
  /** Every check's verdict, as the state to publish (the owner drops repeats). */
  report(state: TunnelState): void;
};

export interface FixedUrlMonitor {
  stop(): void;
}

export function startFixedUrlMonitor(options: FixedUrlMonitorOptions): FixedUrlMonitor {
  const log = (options.logger ?? silentLogger).child('fixed-url-monitor');
  const { url, health } = options;
  let stopped = false;
  const monitor = startHealthMonitor({
    probe: () => health.probe(url),
    intervalMs: options.intervalMs,
    // The first check at once: there is nothing to wait for.
    firstDelayMs: 0,
    timers: options.timers,
    onResult: (result, failures) => {
      if (stopped) return;
      if (result.ok) {
        options.report({ status: 'online', publicUrl: url });
        return;
      }
      const where = health.shown(url);
      log.warn(`health check of ${where} failed (${failures} in a row): ${result.error}`);
      if (failures < options.failuresBeforeOffline) return;
      options.report({
        status: 'offline',
        reason: 'health-check-failed',
        message: healthCheckFailedMessage(where, failures, result.error),
        // The next check is the retry.
        retryAt: options.now() + options.intervalMs,
      });
    },
  });
  return {
    stop() {
      stopped = true;
      monitor.stop();
    },
  };
}
