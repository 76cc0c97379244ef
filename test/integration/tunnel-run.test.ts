// One cloudflared run on its own, with the stand-in as the process and a real
// loopback server behind the health checks: what it reports to its owner,
// and that it reports nothing once retired or terminated.

import path from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import {
  cloudflaredArgs,
  cloudflaredEnv,
  startCloudflaredRun,
  type CloudflaredRun,
  type CloudflaredRunTiming,
  type RunMode,
} from '../../electron/core/tunnel/cloudflared-run';
import type { Timers } from '../../electron/core/tunnel/guarded-spawn';
import { healthRoute } from '../../electron/core/tunnel/health-check';
import { memoryLogger } from '../support/memory-logger';
import { FAKE_CLOUDFLARED, HEALTH_PATH, isAlive, loopbackFetch, sleep, startHealthServer, until } from '../support/cloudflared-harness';

const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const TOKEN = Buffer.from(JSON.stringify({ a: 'acct', t: '6ff42ae2-765d-4adf-8112-31c55c1551ef', s: 'c2VjcmV0LXNlY3JldA' })).toString('base64');
const NAMED: RunMode = { kind: 'named', token: TOKEN, publicUrl: 'https://till.example.com' };

type Report = [string, ...unknown[]];

async function setup(
  t: TestContext,
  o: { mode?: RunMode; scenario?: string; env?: Record<string, string>; timing?: Partial<CloudflaredRunTiming>; binary?: string } = {},
) {
  const health = await startHealthServer(200);
  const logger = memoryLogger();
  const reports: Report[] = [];
  const mode = o.mode ?? { kind: 'quick' };
  const run: CloudflaredRun = startCloudflaredRun({
    binary: o.binary ?? FAKE_CLOUDFLARED,
    args: cloudflaredArgs(mode, health.port),
    mode,
    env: { FAKE_CLOUDFLARED_SCENARIO: o.scenario ?? 'ok', FAKE_CLOUDFLARED_URL_DELAY_MS: '10', FAKE_CLOUDFLARED_CONNECT_DELAY_MS: '10', ...o.env },
    timing: {
      startTimeoutMs: 5_000,
      stableAfterMs: 60_000,
      reconnectGraceMs: 300,
      stopGraceMs: 1_000,
      healthIntervalMs: 60_000,
      healthFailuresBeforeOffline: 2,
      ...o.timing,
    },
    timers,
    health: healthRoute({ fetchImpl: loopbackFetch(health.port), path: HEALTH_PATH, timeoutMs: 1_000, timers }),
    logger,
    events: {
      online: (url, connection) => reports.push(['online', url, connection?.connIndex]),
      stable: () => reports.push(['stable']),
      retiring: (reason, message) => reports.push(['retiring', reason, message]),
      unhealthy: (message) => reports.push(['unhealthy', message]),
      exited: (reason, message) => reports.push(['exited', reason, message]),
    },
  });
  t.onTestFinished(async () => {
    await run.terminate();
    await health.close();
  });
  const kinds = () => reports.map((r) => r[0]);
  return { run, health, logger, reports, kinds };
}

describe('cloudflared command line and environment', () => {
  it('runs a quick tunnel against the loopback listener and a named one with `run`', () => {
    expect(cloudflaredArgs({ kind: 'quick' }, 8123)).toEqual(['tunnel', '--no-autoupdate', '--loglevel', 'info', '--url', 'http://127.0.0.1:8123']);
    expect(cloudflaredArgs(NAMED, 8123, ['--protocol', 'http2'])).toEqual(['tunnel', '--no-autoupdate', '--loglevel', 'info', '--protocol', 'http2', 'run']);
  });

  it("passes a named tunnel's token only in TUNNEL_TOKEN and drops the app's own TUNNEL_* variables", () => {
    const env = cloudflaredEnv(NAMED, { EXTRA: '1' }, { PATH: '/bin', TUNNEL_LOGLEVEL: 'error', TUNNEL_TOKEN: 'old' });
    expect(env).toEqual({ PATH: '/bin', EXTRA: '1', TUNNEL_TOKEN: TOKEN });
    expect(cloudflaredEnv({ kind: 'quick' }, {}, { PATH: '/bin', TUNNEL_TOKEN: 'old' })).toEqual({ PATH: '/bin' });
  });
});

describe.concurrent('one cloudflared run', () => {
  it('reports online once the URL and an edge connection are both known', async (t) => {
    const { run, reports } = await setup(t);
    await until(() => reports.length > 0, 5_000, 'a report');
    expect(reports).toEqual([['online', expect.stringMatching(/^https:\/\/[a-z-]+\.trycloudflare\.com$/), 0]]);
    expect(isAlive(run.pid() as number)).toBe(true);
  });

  it('reports a named tunnel online at the owner URL with its first connection', async (t) => {
    const { reports } = await setup(t, { mode: NAMED });
    await until(() => reports.length > 0, 5_000, 'a report');
    expect(reports[0]).toEqual(['online', 'https://till.example.com', 0]);
  });

  it('reports nothing more after terminate, and the process is gone when it resolves', async (t) => {
    const { run, reports } = await setup(t);
    await until(() => reports.length > 0, 5_000, 'online');
    const pid = run.pid() as number;
    const info = await run.terminate();
    expect(info.code).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect(run.pid()).toBeNull();
    await sleep(50);
    expect(reports.map((r) => r[0])).toEqual(['online']);
  });

  it('reports an exit of its own with the reason read from its last words', async (t) => {
    const { kinds, reports } = await setup(t, { scenario: 'crash', env: { FAKE_CLOUDFLARED_EVENT_AFTER_MS: '50' } });
    await until(() => kinds().includes('exited'), 5_000, 'the exit');
    expect(reports).toEqual([
      ['online', expect.any(String), 0],
      ['exited', 'crashed', 'cloudflared stopped unexpectedly (exit code 2).'],
    ]);
  });

  it('reports a quick-tunnel request that fails for want of a network', async (t) => {
    const { kinds, reports } = await setup(t, { scenario: 'no-network' });
    await until(() => kinds().includes('exited'), 5_000, 'the exit');
    expect(reports).toEqual([['exited', 'no-network', expect.stringContaining('lookup api.trycloudflare.com: no such host')]]);
  });

  it('reports a binary that cannot be started as missing', async (t) => {
    const missing = path.join(path.dirname(FAKE_CLOUDFLARED), 'no-such-cloudflared');
    const { kinds, reports, run } = await setup(t, { binary: missing });
    await until(() => kinds().includes('exited'), 5_000, 'the exit');
    expect(reports).toEqual([['exited', 'binary-missing', expect.stringMatching(/^cloudflared could not be started: spawn .* ENOENT$/)]]);
    expect(run.pid()).toBeNull();
  });

  it('retires itself when no edge connection comes within the start timeout, and then says nothing more', async (t) => {
    const { run, reports } = await setup(t, { mode: NAMED, scenario: 'no-network', timing: { startTimeoutMs: 300 } });
    const info = await run.exited;
    expect(info.signal ?? info.code).not.toBeNull();
    expect(reports).toEqual([['retiring', 'no-network', 'cloudflared could not connect to Cloudflare within 0.3 s; is the internet connection down, or outbound port 7844 blocked?']]);
  });

  it('retires itself when every edge connection stays lost past the grace', async (t) => {
    const { run, reports } = await setup(t, { scenario: 'connection-loss', env: { FAKE_CLOUDFLARED_EVENT_AFTER_MS: '50' }, timing: { reconnectGraceMs: 200 } });
    await run.exited;
    expect(reports).toEqual([
      ['online', expect.any(String), 0],
      ['retiring', 'connections-lost', 'cloudflared lost its connection to Cloudflare and did not get it back within 0.2 s.'],
    ]);
  });

  it('reports stable after a quiet while online', async (t) => {
    const { kinds } = await setup(t, { timing: { stableAfterMs: 150 } });
    await until(() => kinds().includes('stable'), 5_000, 'stable');
    expect(kinds()).toEqual(['online', 'stable']);
  });

  it('retires a quick tunnel whose URL fails its health checks', async (t) => {
    const { run, health, reports } = await setup(t, { timing: { healthIntervalMs: 40 } });
    health.setStatus(502);
    await run.exited;
    expect(reports).toEqual([
      ['online', expect.any(String), 0],
      ['retiring', 'health-check-failed', expect.stringMatching(/\/counter-health did not answer the health check 2 times in a row \(last: answered HTTP 502\)\.$/)],
    ]);
  });

  it("keeps a named tunnel whose URL fails its health checks, and reports it online again when it answers", async (t) => {
    const { run, health, kinds, reports } = await setup(t, { mode: NAMED, timing: { healthIntervalMs: 40 } });
    // A named tunnel registers four connections; each one re-reports online (the owner drops repeats).
    await until(() => kinds().length === 4, 5_000, 'online on four connections');
    const pid = run.pid();
    health.setStatus(503);
    await until(() => kinds().includes('unhealthy'), 5_000, 'unhealthy');
    health.setStatus(200);
    await until(() => kinds().length === 6, 5_000, 'online again');
    expect(reports.slice(4)).toEqual([
      ['unhealthy', 'https://till.example.com/counter-health did not answer the health check 2 times in a row (last: answered HTTP 503).'],
      ['online', 'https://till.example.com', 0],
    ]);
    expect(run.pid()).toBe(pid);
  });

  it('logs every line cloudflared prints under its own name', async (t) => {
    const { logger, reports } = await setup(t);
    await until(() => reports.length > 0, 5_000, 'online');
    expect(logger.lines.some((l) => /^cloudflared-run: cloudflared: \S+ INF Registered tunnel connection connIndex=0/.test(l))).toBe(true);
  });
});
