// Checks, from outside in, that the public URL really reaches the listener:
// the same path the sequencer's webhook takes (Cloudflare edge → cloudflared →
// loopback listener). Only a 200 counts, as for webhook delivery.

import type { Timers } from './guarded-spawn';
import { maskPath } from './tunnel-redaction';

export type HealthResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

export async function probeHealth(options: {
  fetchImpl: typeof fetch;
  url: string;
  timeoutMs: number;
  timers: Timers;
}): Promise<HealthResult> {
  const controller = new AbortController();
  const timer = options.timers.setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const res = await options.fetchImpl(options.url, {
      method: 'GET',
      redirect: 'manual',
      signal: controller.signal,
      headers: { 'user-agent': 'Counter tunnel health check' },
    });
    // Drain so the connection can be reused or closed cleanly.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 200) return { ok: true, status: 200 };
    return { ok: false, status: res.status, error: `answered HTTP ${res.status}` };
  } catch (err) {
    if (controller.signal.aborted) return { ok: false, error: `no answer within ${options.timeoutMs} ms` };
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { ok: false, error: e.cause?.code ?? e.cause?.message ?? e.message };
  } finally {
    options.timers.clearTimeout(timer);
  }
}

/** The listener's health route as reached through one public URL or another. */
export interface HealthRoute {
  /** GETs `<publicUrl><path>`. */
  probe(publicUrl: string): Promise<HealthResult>;
  /** `<publicUrl><path>` with the path's secret masked: what messages and logs may name. */
  shown(publicUrl: string): string;
}

export function healthRoute(options: { fetchImpl: typeof fetch; path: string; timeoutMs: number; timers: Timers }): HealthRoute {
  const bare = (publicUrl: string) => publicUrl.replace(/\/+$/, '');
  const shownPath = maskPath(options.path);
  return {
    probe: (publicUrl) =>
      probeHealth({ fetchImpl: options.fetchImpl, url: `${bare(publicUrl)}${options.path}`, timeoutMs: options.timeoutMs, timers: options.timers }),
    shown: (publicUrl) => `${bare(publicUrl)}${shownPath}`,
  };
}

export interface HealthMonitor {
  stop(): void;
}

/**
 * Probes every `intervalMs` (the first probe after `firstDelayMs`) and reports
 * after each probe how many failures in a row there have been. Never overlaps
 * probes; stops quietly.
 */
export function startHealthMonitor(options: {
  probe: () => Promise<HealthResult>;
  intervalMs: number;
  firstDelayMs: number;
  timers: Timers;
  onResult: (result: HealthResult, consecutiveFailures: number) => void;
}): HealthMonitor {
  let stopped = false;
  let failures = 0;
  let handle: unknown = null;
  const schedule = (ms: number) => {
    handle = options.timers.setTimeout(run, ms);
  };
  const run = () => {
    handle = null;
    if (stopped) return;
    void options.probe().then((result) => {
      if (stopped) return;
      failures = result.ok ? 0 : failures + 1;
      options.onResult(result, failures);
      if (!stopped) schedule(options.intervalMs);
    });
  };
  schedule(options.firstDelayMs);
  return {
    stop() {
      stopped = true;
      if (handle !== null) options.timers.clearTimeout(handle);
    },
  };
}
