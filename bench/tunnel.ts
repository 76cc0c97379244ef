// Tunnel supervisor benchmark: how long from start() to "online" and from
// stop() to "process gone" with the cloudflared stand-in (so it measures the
// supervisor and process start-up, not Cloudflare's network, which adds
// seconds in real life), and what the supervisor itself costs the main
// process in CPU and memory while a tunnel is up and health-checked.

import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCloudflaredParser } from '../electron/core/tunnel/cloudflared-output';
import { createTunnelSupervisor, type TunnelState, type TunnelSupervisor } from '../electron/core/tunnel/tunnel-supervisor';

const FAKE_CLOUDFLARED = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'support', 'fake-cloudflared.mjs');
const START_RUNS = 10;
const STEADY_MS = 3_000;
const HEALTH_INTERVAL_MS = 100;

type Metric = { metric: string; value: string };

function waitFor(sup: TunnelSupervisor, status: TunnelState['status']): Promise<void> {
  if (sup.state().status === status) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tunnel bench: no "${status}" within 10 s`)), 10_000);
    const off = sup.subscribe((s) => {
      if (s.status !== status) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

/** RSS of this process's children whose command line matches, from /proc (Linux). */
function childRss(match: RegExp): number | null {
  try {
    let total = 0;
    let found = false;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const status = readFileSync(`/proc/${entry}/status`, 'utf8');
        if (!new RegExp(`^PPid:\\s+${process.pid}$`, 'm').test(status)) continue;
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
        if (!match.test(cmdline)) continue;
        const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
        if (rss) {
          total += Number(rss[1]) * 1024;
          found = true;
        }
      } catch {
        /* the process went away while we looked */
      }
    }
    return found ? total : null;
  } catch {
    return null;
  }
}

export async function benchTunnel(): Promise<Array<{ metric: string; value: string }>> {
  chmodSync(FAKE_CLOUDFLARED, 0o755);
  const server = http.createServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Health probes go over real HTTP to the loopback listener, as through the edge.
  const fetchImpl: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    return fetch(`http://127.0.0.1:${port}${url.pathname}`, init);
  };
  const make = (healthIntervalMs: number) =>
    createTunnelSupervisor({
      mode: { kind: 'quick' },
      localPort: port,
      healthPath: '/health',
      binary: { configuredPath: FAKE_CLOUDFLARED, envPath: '' },
      fetchImpl,
      timing: { healthIntervalMs, stopGraceMs: 2_000 },
      spawn: { env: { FAKE_CLOUDFLARED_URL_DELAY_MS: '0', FAKE_CLOUDFLARED_CONNECT_DELAY_MS: '0' } },
    });

  const out: Metric[] = [];
  try {
    // 1. start() → online, and stop() → child gone.
    const startTimes: number[] = [];
    const stopTimes: number[] = [];
    for (let i = 0; i < START_RUNS; i += 1) {
      const sup = make(3_600_000);
      const t0 = performance.now();
      sup.start();
      await waitFor(sup, 'online');
      startTimes.push(performance.now() - t0);
      const t1 = performance.now();
      await sup.stop();
      stopTimes.push(performance.now() - t1);
    }
    out.push({ metric: `tunnel: start → online, stand-in, median of ${START_RUNS}`, value: ms(percentile(startTimes, 50)) });
    out.push({ metric: `tunnel: start → online, stand-in, p95 of ${START_RUNS}`, value: ms(percentile(startTimes, 95)) });
    out.push({ metric: `tunnel: stop → process gone, median of ${START_RUNS}`, value: ms(percentile(stopTimes, 50)) });

    // 2. Steady state: the supervisor's own cost while online, health-checked
    // every HEALTH_INTERVAL_MS (300× the default rate, to make it visible).
    const globalGc = (globalThis as { gc?: () => void }).gc;
    globalGc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const sup = make(HEALTH_INTERVAL_MS);
    sup.start();
    await waitFor(sup, 'online');
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    await new Promise((r) => setTimeout(r, STEADY_MS));
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    globalGc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const watchdogRss = childRss(/cloudflared-watchdog/);
    await sup.stop();
    const probes = Math.floor(STEADY_MS / HEALTH_INTERVAL_MS);
    out.push({
      metric: `tunnel: supervisor CPU while online, health check every ${HEALTH_INTERVAL_MS} ms`,
      value: `${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(2)} % of one core (${((cpu.user + cpu.system) / 1000 / probes).toFixed(2)} ms per probe)`,
    });
    out.push({
      metric: `tunnel: supervisor heap growth while online${globalGc ? '' : ' (no --expose-gc: approximate)'}`,
      value: mib(heapAfter - heapBefore),
    });
    out.push({ metric: 'tunnel: watchdog process RSS (sh)', value: watchdogRss === null ? 'n/a (no /proc)' : mib(watchdogRss) });

    // 3. The per-line cost of reading cloudflared's output.
    const sample = [
      '2025-12-20T19:49:12Z INF Registered tunnel connection connIndex=0 connection=b75d3cf0-e44e-4fb1-9bbd-7f57f7536548 event=0 ip=198.41.192.107 location=txl01 protocol=http2',
      '2026-10-05T02:15:03Z ERR Serve tunnel error error="accept stream listener encountered a failure while serving" connIndex=0 event=0 ip=198.41.200.233',
      '2025-12-20T19:49:11Z INF |  https://showing-packet-futures-streaming.trycloudflare.com                                |',
      '2025-12-20T19:49:11Z INF Settings: map[edge-ip-version:4 ha-connections:1 no-autoupdate:true p:http2 protocol:http2 url:http://127.0.0.1:8088]',
    ];
    const parser = createCloudflaredParser();
    const lines = 200_000;
    const p0 = performance.now();
    for (let i = 0; i < lines; i += 1) parser.push(sample[i % sample.length] as string);
    const took = performance.now() - p0;
    out.push({ metric: 'tunnel: output parser throughput', value: `${Math.round(lines / (took / 1000)).toLocaleString('en-US')} lines/s` });
  } finally {
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
  return out;
}

// Run directly: node --import tsx bench/tunnel.ts
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchTunnel().then(
    (rows) => {
      for (const row of rows) console.log(`${row.metric}: ${row.value}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
