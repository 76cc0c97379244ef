// The tunnel supervisor driving real child processes: the cloudflared stand-in
// (test/support/fake-cloudflared.mjs), run unchanged in every scenario, and a
// real loopback HTTP server behind the health checks.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import {
  createTunnelSupervisor,
  type TunnelMode,
  type TunnelState,
  type TunnelSupervisor,
  type TunnelSupervisorOptions,
} from '../../electron/core/tunnel/tunnel-supervisor';
import { memoryLogger } from '../support/memory-logger';
import {
  FAKE_CLOUDFLARED,
  HEALTH_PATH,
  isAlive,
  isOffline,
  isOnline,
  loopbackFetch,
  readJsonLines,
  recordStates,
  sleep,
  startHealthServer,
  tempDir,
  until,
  waitForState,
} from '../support/cloudflared-harness';

const QUICK_URL = /^https:\/\/[a-z]+(-[a-z]+){3}\.trycloudflare\.com$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type ArgvRecord = { argv: string[]; tokenFromEnv: boolean; tunnelEnv: string[] };

type SuperviseOptions = {
  mode?: TunnelMode;
  scenario?: string;
  env?: Record<string, string>;
  timing?: TunnelSupervisorOptions['timing'];
  binary?: TunnelSupervisorOptions['binary'];
  fetchImpl?: typeof fetch;
};

/**
 * Everything one test needs, its own so tests can run concurrently: a health
 * server, a temp dir, and supervisors that are stopped when the test ends,
 * after which no stand-in it started may still be running.
 */
async function setup(t: TestContext) {
  const health = await startHealthServer(200);
  const tmp = tempDir();
  const supervisors: TunnelSupervisor[] = [];
  const file = (name: string) => path.join(tmp.dir, name);
  const pidsStarted = () =>
    existsSync(file('pids'))
      ? readFileSync(file('pids'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map(Number)
      : [];
  t.onTestFinished(async () => {
    try {
      await Promise.all(supervisors.map((s) => s.stop()));
      for (const pid of pidsStarted()) expect(isAlive(pid), `cloudflared pid ${pid} left running`).toBe(false);
    } finally {
      await health.close();
      tmp.remove();
    }
  });

  function supervise(o: SuperviseOptions = {}) {
    const logger = memoryLogger();
    const logs = logger.lines;
    const sup = createTunnelSupervisor({
      mode: o.mode ?? { kind: 'quick' },
      localPort: health.port,
      healthPath: HEALTH_PATH,
      binary: o.binary ?? { configuredPath: FAKE_CLOUDFLARED, envPath: '' },
      fetchImpl: o.fetchImpl ?? loopbackFetch(health.port),
      logger,
      timing: {
        stopGraceMs: 1_000,
        reconnectGraceMs: 300,
        healthIntervalMs: 60_000,
        healthTimeoutMs: 1_000,
        healthFailuresBeforeOffline: 2,
        rateLimitedMinDelayMs: 0,
        ...o.timing,
      },
      backoff: { initialMs: 50, maxMs: 400, jitter: 0 },
      spawn: {
        env: {
          FAKE_CLOUDFLARED_SCENARIO: o.scenario ?? 'ok',
          FAKE_CLOUDFLARED_RUN_FILE: file('runs'),
          FAKE_CLOUDFLARED_PID_FILE: file('pids'),
          FAKE_CLOUDFLARED_ARGV_FILE: file('argv'),
          FAKE_CLOUDFLARED_URL_DELAY_MS: '10',
          FAKE_CLOUDFLARED_CONNECT_DELAY_MS: '10',
          ...o.env,
        },
      },
    });
    supervisors.push(sup);
    return { sup, logs };
  }

  return { health, tmp, supervise, pidsStarted, argvRecords: () => readJsonLines<ArgvRecord>(file('argv')) };
}

const statuses = (states: TunnelState[]) => states.map((s) => (s.status === 'offline' ? `offline:${s.reason}` : s.status));
const onlineUrls = (states: TunnelState[]) => states.flatMap((s) => (s.status === 'online' ? [s.publicUrl] : []));

describe.concurrent('quick tunnel', () => {
  it('goes online with the URL from the box and the registered edge connection', async (t) => {
    const { health, supervise, argvRecords } = await setup(t);
    const { sup, logs } = supervise();
    const { states } = recordStates(sup);
    sup.start();
    const online = await waitForState(sup, isOnline);

    expect(states[0]).toEqual({ status: 'starting' });
    if (online.status !== 'online') throw new Error('unreachable');
    expect(online.publicUrl).toMatch(QUICK_URL);
    expect(online.connection).toEqual({ connIndex: 0, id: expect.stringMatching(UUID), ip: '198.41.200.193', location: 'ams08', protocol: 'quic' });
    expect(sup.publicUrl()).toBe(online.publicUrl);
    // The URL is the one cloudflared printed in its box.
    expect(logs.some((l) => l.includes(`|  ${online.publicUrl} `))).toBe(true);
    const pid = sup.pid();
    expect(pid).not.toBeNull();
    expect(isAlive(pid as number)).toBe(true);
    expect(argvRecords()).toEqual([
      {
        argv: ['tunnel', '--no-autoupdate', '--loglevel', 'info', '--url', `http://127.0.0.1:${health.port}`],
        tokenFromEnv: false,
        tunnelEnv: [],
      },
    ]);
  });

  it('is not online while the URL is known but no edge connection is registered yet', async (t) => {
    const { supervise } = await setup(t);
    const { sup, logs } = supervise({ env: { FAKE_CLOUDFLARED_CONNECT_DELAY_MS: '400' } });
    sup.start();
    await until(() => logs.some((l) => /\|\s+https:\/\/\S+\.trycloudflare\.com\s+\|/.test(l)), 5_000, 'the URL box');
    expect(sup.state()).toEqual({ status: 'starting' });
    expect(sup.publicUrl()).toBeNull();
    await waitForState(sup, isOnline);
  });

  it('stop ends cloudflared gracefully and resolves only once the process is gone', async (t) => {
    const { supervise } = await setup(t);
    const { sup, logs } = supervise();
    sup.start();
    await waitForState(sup, isOnline);
    const pid = sup.pid() as number;
    await sup.stop();
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(logs.some((l) => l.includes('Initiating graceful shutdown due to signal terminated ...'))).toBe(true);
    expect(logs.some((l) => l.includes('Unregistered tunnel connection connIndex=0'))).toBe(true);
    expect(logs.some((l) => l.includes('SIGKILL'))).toBe(false);
    expect(sup.state()).toEqual({ status: 'stopped' });
    expect(sup.pid()).toBeNull();
    expect(sup.publicUrl()).toBeNull();
  });

  it('kills a cloudflared that ignores SIGTERM with SIGKILL after the grace period', async (t) => {
    const { supervise } = await setup(t);
    const { sup, logs } = supervise({ scenario: 'ignore-sigterm', timing: { stopGraceMs: 400 } });
    sup.start();
    await waitForState(sup, isOnline);
    const pid = sup.pid() as number;
    const t0 = performance.now();
    await sup.stop();
    const took = performance.now() - t0;
    expect(isAlive(pid)).toBe(false);
    expect(took).toBeGreaterThanOrEqual(380);
    expect(logs.some((l) => l.includes('ignored SIGTERM') && l.includes('SIGKILL'))).toBe(true);
  });

  it('without a network goes offline with the reason, then retries and recovers', async (t) => {
    const { supervise } = await setup(t);
    const { sup } = supervise({ scenario: 'no-network,ok' });
    const { states } = recordStates(sup);
    const t0 = Date.now();
    sup.start();
    await waitForState(sup, isOnline);
    expect(statuses(states)).toEqual(['starting', 'offline:no-network', 'starting', 'online']);
    const offline = states[1];
    if (offline?.status !== 'offline') throw new Error('unreachable');
    expect(offline.message).toContain('lookup api.trycloudflare.com: no such host');
    expect(offline.message).toMatch(/internet connection/);
    expect(offline.retryAt).toBeGreaterThanOrEqual(t0 + 50);
  });

  it('reports a rate limit as such and waits at least the rate-limit delay before retrying', async (t) => {
    const { supervise, pidsStarted } = await setup(t);
    const { sup } = supervise({ scenario: 'rate-limited', timing: { rateLimitedMinDelayMs: 5_000 } });
    sup.start();
    const offline = await waitForState(sup, isOffline());
    if (offline.status !== 'offline') throw new Error('unreachable');
    expect(offline.reason).toBe('rate-limited');
    expect(offline.message).toContain('429 Too Many Requests');
    expect((offline.retryAt as number) - Date.now()).toBeGreaterThan(4_000);
    await sleep(150);
    expect(pidsStarted()).toHaveLength(1);
  });

  it('restarts after a crash, and subscribers see the new URL', async (t) => {
    const { supervise } = await setup(t);
    const { sup } = supervise({ scenario: 'crash,ok' });
    const { states } = recordStates(sup);
    sup.start();
    await waitForState(sup, isOnline);
    const firstPid = sup.pid() as number;
    await waitForState(sup, (s) => s.status === 'online' && onlineUrls(states).length === 2, 5_000, 'the second URL');

    expect(statuses(states)).toEqual(['starting', 'online', 'offline:crashed', 'starting', 'online']);
    const crashed = states[2];
    if (crashed?.status !== 'offline') throw new Error('unreachable');
    expect(crashed.message).toBe('cloudflared stopped unexpectedly (exit code 2).');
    const [first, second] = onlineUrls(states);
    expect(second).toMatch(QUICK_URL);
    expect(second).not.toBe(first);
    expect(sup.publicUrl()).toBe(second);
    expect(isAlive(firstPid)).toBe(false);
    expect(sup.pid()).not.toBe(firstPid);
  });

  it.for(['retry', 'unregistered'])(
    'restarts when every edge connection is lost for longer than the grace (%s lines)',
    async (style, t) => {
      const { supervise } = await setup(t);
      const { sup, logs } = supervise({
        scenario: 'connection-loss,ok',
        env: { FAKE_CLOUDFLARED_EVENT_AFTER_MS: '100', FAKE_CLOUDFLARED_LOSS_STYLE: style },
        timing: { reconnectGraceMs: 300 },
      });
      const { states } = recordStates(sup);
      sup.start();
      await waitForState(sup, isOnline);
      const lostAt = new Promise<number>((resolve) => {
        const timer = setInterval(() => {
          if (logs.some((l) => /Retrying connection in up to|Unregistered tunnel connection/.test(l))) {
            clearInterval(timer);
            resolve(performance.now());
          }
        }, 5);
      });
      await waitForState(sup, isOffline('connections-lost'));
      const offlineAt = performance.now();
      expect(offlineAt - (await lostAt)).toBeGreaterThanOrEqual(250);
      await waitForState(sup, (s) => s.status === 'online' && onlineUrls(states).length === 2, 5_000, 'the new tunnel');
      expect(statuses(states)).toEqual(['starting', 'online', 'offline:connections-lost', 'starting', 'online']);
      const [first, second] = onlineUrls(states);
      expect(second).not.toBe(first);
    },
  );

  it('stays online, same process and URL, when the connection comes back within the grace', async (t) => {
    const { supervise } = await setup(t);
    const { sup, logs } = supervise({
      scenario: 'connection-loss',
      env: { FAKE_CLOUDFLARED_EVENT_AFTER_MS: '50', FAKE_CLOUDFLARED_RECONNECT_AFTER_MS: '80' },
      timing: { reconnectGraceMs: 500 },
    });
    const { states } = recordStates(sup);
    sup.start();
    await waitForState(sup, isOnline);
    const pid = sup.pid();
    await until(() => logs.filter((l) => l.includes('Registered tunnel connection')).length === 2, 5_000, 're-registration');
    await sleep(600);
    // Never offline; the second online state only carries the new edge connection.
    expect(statuses(states)).toEqual(['starting', 'online', 'online']);
    const [before, after] = states.filter((s) => s.status === 'online');
    if (before?.status !== 'online' || after?.status !== 'online') throw new Error('unreachable');
    expect(after.publicUrl).toBe(before.publicUrl);
    expect(after.connection?.id).not.toBe(before.connection?.id);
    expect(sup.pid()).toBe(pid);
    expect(logs.some((l) => l.includes('back within the grace period'))).toBe(true);
  });

  it('takes a tunnel whose URL fails the health check offline, then opens a new one', async (t) => {
    const { health, supervise } = await setup(t);
    health.setStatus(503);
    const { sup } = supervise({ timing: { healthIntervalMs: 60, healthFailuresBeforeOffline: 2 } });
    const { states } = recordStates(sup);
    sup.start();
    const online = await waitForState(sup, isOnline);
    const offline = await waitForState(sup, isOffline('health-check-failed'));
    if (online.status !== 'online' || offline.status !== 'offline') throw new Error('unreachable');
    expect(offline.message).toBe(`${online.publicUrl}${HEALTH_PATH} did not answer the health check 2 times in a row (last: answered HTTP 503).`);
    expect(offline.retryAt).toBeTypeOf('number');
    // The probes went over real HTTP with the public hostname.
    expect(health.hits()).toContainEqual({ host: new URL(online.publicUrl).host, path: HEALTH_PATH });
    await waitForState(sup, (s) => s.status === 'online' && onlineUrls(states).length === 2, 5_000, 'the new tunnel');
    const [first, second] = onlineUrls(states);
    expect(second).not.toBe(first);
  });

  it('stays online while the health check passes', async (t) => {
    const { health, supervise } = await setup(t);
    const { sup } = supervise({ timing: { healthIntervalMs: 40 } });
    const { states } = recordStates(sup);
    sup.start();
    await waitForState(sup, isOnline);
    await until(() => health.hits().filter((h) => h.path === HEALTH_PATH).length >= 4, 5_000, 'four health probes');
    expect(statuses(states)).toEqual(['starting', 'online']);
  });
});

describe.concurrent('named tunnel', () => {
  const token = Buffer.from(
    JSON.stringify({ a: '6ff42ae2765d4adf811231c55c1551ef', t: '6ff42ae2-765d-4adf-8112-31c55c1551ef', s: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' }),
  ).toString('base64');

  it("runs with the token in the environment, never in argv, and goes online at the owner's URL", async (t) => {
    const { supervise, argvRecords } = await setup(t);
    const saved = process.env['TUNNEL_LOGLEVEL'];
    process.env['TUNNEL_LOGLEVEL'] = 'error';
    try {
      const { sup, logs } = supervise({ mode: { kind: 'named', token, publicUrl: 'https://till.example.com' } });
      sup.start();
      const online = await waitForState(sup, isOnline);
      expect(online).toEqual({
        status: 'online',
        publicUrl: 'https://till.example.com',
        connection: { connIndex: 0, id: expect.stringMatching(UUID), ip: '198.41.200.193', location: 'ams08', protocol: 'quic' },
      });
      const [record] = argvRecords();
      expect(record?.argv).toEqual(['tunnel', '--no-autoupdate', '--loglevel', 'info', 'run']);
      expect(record?.tokenFromEnv).toBe(true);
      // The app's own TUNNEL_* settings never leak into cloudflared.
      expect(record?.tunnelEnv).toEqual(['TUNNEL_TOKEN']);
      expect(logs.join('\n')).not.toContain(token);
    } finally {
      if (saved === undefined) delete process.env['TUNNEL_LOGLEVEL'];
      else process.env['TUNNEL_LOGLEVEL'] = saved;
    }
  });

  it('replaces a cloudflared that cannot reach the edge within the start timeout', async (t) => {
    const { supervise, pidsStarted } = await setup(t);
    const { sup, logs } = supervise({
      mode: { kind: 'named', token, publicUrl: 'https://till.example.com' },
      scenario: 'no-network',
      timing: { startTimeoutMs: 1_500 },
    });
    sup.start();
    const offline = await waitForState(sup, isOffline());
    expect(offline).toMatchObject({
      reason: 'no-network',
      message: 'cloudflared could not connect to Cloudflare within 1.5 s; is the internet connection down, or outbound port 7844 blocked?',
    });
    // What cloudflared was doing meanwhile: dialling the edge again and again.
    expect(logs.some((l) => l.includes('WRN Failed to dial a quic connection'))).toBe(true);
    await until(() => pidsStarted().length === 2, 5_000, 'a second cloudflared');
  });

  it('leaves a refused token offline without retrying', async (t) => {
    const { supervise } = await setup(t);
    const { sup, logs } = supervise({
      mode: { kind: 'named', token: 'bm90LWEtdmFsaWQtdHVubmVsLXRva2Vu', publicUrl: 'https://till.example.com' },
    });
    sup.start();
    const offline = await waitForState(sup, isOffline());
    expect(offline).toEqual({
      status: 'offline',
      reason: 'invalid-token',
      message: "Cloudflare refused the named tunnel's token (Provided Tunnel token is not valid.). Check the token in Settings.",
    });
    await sleep(200);
    expect(logs.filter((l) => l.startsWith('tunnel-supervisor: starting ')).length).toBe(1);
  });

  it('keeps cloudflared but reports offline while the health check fails, and comes back', async (t) => {
    const { health, supervise } = await setup(t);
    health.setStatus(503);
    const { sup } = supervise({
      mode: { kind: 'named', token, publicUrl: 'https://till.example.com' },
      timing: { healthIntervalMs: 50, healthFailuresBeforeOffline: 2 },
    });
    sup.start();
    await waitForState(sup, isOnline);
    const pid = sup.pid();
    const offline = await waitForState(sup, isOffline('health-check-failed'));
    expect(offline).not.toHaveProperty('retryAt');
    health.setStatus(200);
    await waitForState(sup, isOnline);
    expect(sup.pid()).toBe(pid);
  });
});

describe.concurrent('fixed URL', () => {
  it('is online while its health check passes and offline when it fails, with no process', async (t) => {
    const { health, supervise, argvRecords } = await setup(t);
    const { sup } = supervise({
      mode: { kind: 'fixed', url: 'https://till.example.com/' },
      timing: { healthIntervalMs: 40, healthFailuresBeforeOffline: 2 },
    });
    const { states } = recordStates(sup);
    sup.start();
    await waitForState(sup, isOnline);
    expect(sup.publicUrl()).toBe('https://till.example.com');
    expect(sup.pid()).toBeNull();
    health.setStatus(500);
    const offline = await waitForState(sup, isOffline('health-check-failed'));
    if (offline.status !== 'offline') throw new Error('unreachable');
    expect(offline.message).toContain('answered HTTP 500');
    health.setStatus(200);
    await waitForState(sup, isOnline);
    expect(statuses(states)).toEqual(['starting', 'online', 'offline:health-check-failed', 'online']);
    expect(argvRecords()).toEqual([]);
  });

  it('reports an unreachable fixed URL with the network error', async (t) => {
    const { supervise } = await setup(t);
    const closed = await startHealthServer();
    await closed.close();
    const { sup } = supervise({
      mode: { kind: 'fixed', url: 'https://till.example.com' },
      fetchImpl: loopbackFetch(closed.port),
      timing: { healthIntervalMs: 30, healthFailuresBeforeOffline: 2 },
    });
    sup.start();
    const offline = await waitForState(sup, isOffline('health-check-failed'));
    if (offline.status !== 'offline') throw new Error('unreachable');
    expect(offline.message).toContain('ECONNREFUSED');
  });
});

describe.concurrent('modes and lifecycle', () => {
  it('"off" starts nothing and stays stopped', async (t) => {
    const { supervise, argvRecords } = await setup(t);
    const { sup } = supervise({ mode: { kind: 'off' } });
    const { states } = recordStates(sup);
    sup.start();
    await sleep(100);
    expect(sup.state()).toEqual({ status: 'stopped' });
    expect(states).toEqual([]);
    expect(sup.pid()).toBeNull();
    expect(sup.publicUrl()).toBeNull();
    expect(argvRecords()).toEqual([]);
  });

  it('setMode stops the old tunnel and starts the new mode', async (t) => {
    const { supervise } = await setup(t);
    const { sup } = supervise();
    sup.start();
    const first = await waitForState(sup, isOnline);
    const pid = sup.pid() as number;
    await sup.setMode({ kind: 'off' });
    expect(isAlive(pid)).toBe(false);
    expect(sup.state()).toEqual({ status: 'stopped' });
    await sup.setMode({ kind: 'quick' });
    const second = await waitForState(sup, isOnline);
    expect(second).not.toEqual(first);
  });

  it('applies quick successive mode changes in order, ending with one cloudflared', async (t) => {
    const { supervise, pidsStarted } = await setup(t);
    const { sup } = supervise();
    sup.start();
    await waitForState(sup, isOnline);
    await Promise.all([sup.setMode({ kind: 'off' }), sup.setMode({ kind: 'quick' }), sup.setMode({ kind: 'quick' })]);
    await waitForState(sup, isOnline);
    expect(pidsStarted().filter(isAlive)).toEqual([sup.pid()]);
  });

  it('rejects an invalid mode and keeps the running tunnel', async (t) => {
    const { supervise } = await setup(t);
    const { sup } = supervise();
    sup.start();
    await waitForState(sup, isOnline);
    const pid = sup.pid();
    await expect(sup.setMode({ kind: 'named', token: 'x'.repeat(40), publicUrl: 'http://till.example.com' })).rejects.toThrow(
      /publicUrl must be an https:\/\/ URL/,
    );
    await expect(sup.setMode({ kind: 'fixed', url: 'ftp://till.example.com' })).rejects.toThrow(TypeError);
    expect(sup.pid()).toBe(pid);
    expect(sup.state().status).toBe('online');
  });

  it('rejects bad options when created', () => {
    const base = { mode: { kind: 'quick' } as TunnelMode, localPort: 8080, healthPath: '/health' };
    expect(() => createTunnelSupervisor({ ...base, localPort: 0 })).toThrow(/localPort/);
    expect(() => createTunnelSupervisor({ ...base, healthPath: 'health' })).toThrow(/healthPath/);
    expect(() => createTunnelSupervisor({ ...base, mode: { kind: 'named', token: '', publicUrl: 'https://a.example.com' } })).toThrow(
      /token/,
    );
  });

  it('reports a missing binary, and starts nothing', async (t) => {
    const { tmp, supervise } = await setup(t);
    const { sup } = supervise({ binary: { configuredPath: path.join(tmp.dir, 'no-such', 'cloudflared'), envPath: '' } });
    sup.start();
    const offline = await waitForState(sup, isOffline());
    if (offline.status !== 'offline') throw new Error('unreachable');
    expect(offline.reason).toBe('binary-missing');
    expect(offline.message).toContain(path.join(tmp.dir, 'no-such', 'cloudflared'));
    expect(offline.message).toMatch(/Download it from Settings/);
    expect(offline.retryAt).toBeUndefined();
    expect(sup.pid()).toBeNull();
  });

  it('keeps telling other subscribers when one throws, and stops telling one that unsubscribed', async (t) => {
    const { supervise } = await setup(t);
    const { sup } = supervise();
    const seen: string[] = [];
    sup.subscribe(() => {
      throw new Error('broken renderer');
    });
    const unsubscribe = sup.subscribe((s) => seen.push(`gone:${s.status}`));
    unsubscribe();
    sup.subscribe((s) => seen.push(s.status));
    sup.start();
    await waitForState(sup, isOnline);
    expect(seen).toEqual(['starting', 'online']);
  });

  it('can be started again after a stop', async (t) => {
    const { supervise, pidsStarted } = await setup(t);
    const { sup } = supervise();
    sup.start();
    await waitForState(sup, isOnline);
    await sup.stop();
    sup.start();
    await waitForState(sup, isOnline);
    expect(pidsStarted()).toHaveLength(2);
  });
});
