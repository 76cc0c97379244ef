// The listener's health route carries the install's webhook secret
// (`/health/<secret>`) and a named tunnel's token is a credential: neither may
// reach a published state (the status bar shows its message) or a log line,
// even when the health checks fail and every message names the URL.

import { randomBytes } from 'node:crypto';
import { describe, expect, it, type TestContext } from 'vitest';
import { createTunnelSupervisor, type TunnelMode, type TunnelState, type TunnelSupervisorOptions } from '../../electron/core/tunnel/tunnel-supervisor';
import { createTunnelRedactor, maskPath } from '../../electron/core/tunnel/tunnel-redaction';
import { healthPathFor } from '../../electron/core/webhook/webhook-listener';
import { memoryLogger } from '../support/memory-logger';
import { FAKE_CLOUDFLARED, isOffline, isOnline, loopbackFetch, recordStates, startHealthServer, until, waitForState } from '../support/cloudflared-harness';

const SECRET = randomBytes(18).toString('base64url');
const HEALTH = healthPathFor(SECRET);
const TOKEN = Buffer.from(
  JSON.stringify({ a: '6ff42ae2765d4adf811231c55c1551ef', t: '6ff42ae2-765d-4adf-8112-31c55c1551ef', s: randomBytes(24).toString('base64') }),
).toString('base64');

async function setup(t: TestContext, o: { mode: TunnelMode; env?: Record<string, string>; fetchImpl?: typeof fetch; timing?: TunnelSupervisorOptions['timing'] }) {
  const health = await startHealthServer(200, HEALTH);
  const logger = memoryLogger();
  const sup = createTunnelSupervisor({
    mode: o.mode,
    localPort: health.port,
    healthPath: HEALTH,
    binary: { configuredPath: FAKE_CLOUDFLARED, envPath: '' },
    fetchImpl: o.fetchImpl ?? loopbackFetch(health.port),
    logger,
    timing: { stopGraceMs: 1_000, healthIntervalMs: 40, healthTimeoutMs: 1_000, healthFailuresBeforeOffline: 2, ...o.timing },
    backoff: { initialMs: 50, maxMs: 400, jitter: 0 },
    spawn: { env: { FAKE_CLOUDFLARED_URL_DELAY_MS: '10', FAKE_CLOUDFLARED_CONNECT_DELAY_MS: '10', ...o.env } },
  });
  const { states } = recordStates(sup);
  t.onTestFinished(async () => {
    await sup.stop();
    await health.close();
  });
  /** Everything a person or a log file could see. */
  const seen = () => [...states.map((s) => JSON.stringify(s)), JSON.stringify(sup.state()), ...logger.lines, ...logger.entries.map((e) => JSON.stringify(e.fields ?? {}))].join('\n');
  return { health, sup, states, logger, seen };
}

const messages = (states: TunnelState[]) => states.flatMap((s) => (s.status === 'offline' ? [s.message] : []));

describe.concurrent('secrets stay off screens and out of logs', () => {
  it('a fixed URL failing its health check is named without the path secret', async (t) => {
    const { health, sup, states, logger, seen } = await setup(t, { mode: { kind: 'fixed', url: 'https://till.example.com' } });
    sup.start();
    await waitForState(sup, isOnline);
    health.setStatus(503);
    const offline = await waitForState(sup, isOffline('health-check-failed'));
    expect(offline).toMatchObject({
      message: 'https://till.example.com/health/… did not answer the health check 2 times in a row (last: answered HTTP 503).',
    });
    // The probes themselves used the real path.
    expect(health.hits()).toContainEqual({ host: 'till.example.com', path: HEALTH });
    expect(logger.lines).toContainEqual('fixed-url-monitor: health check of https://till.example.com/health/… failed (1 in a row): answered HTTP 503');
    expect(messages(states)).not.toHaveLength(0);
    expect(seen()).not.toContain(SECRET);
  });

  it('a named tunnel failing its health check leaks neither the path secret nor the token, even when cloudflared prints the token', async (t) => {
    const { health, sup, logger, seen } = await setup(t, {
      mode: { kind: 'named', token: TOKEN, publicUrl: 'https://till.example.com' },
      env: { FAKE_CLOUDFLARED_LEAK_TOKEN: '1' },
    });
    sup.start();
    await waitForState(sup, isOnline);
    health.setStatus(500);
    const offline = await waitForState(sup, isOffline('health-check-failed'));
    expect(offline).toMatchObject({ message: expect.stringMatching(/^https:\/\/till\.example\.com\/health\/… did not answer/) });
    // The stand-in did print its token; the supervisor masked it.
    expect(logger.lines.some((l) => l.includes('token in use') && l.includes('token=[token]'))).toBe(true);
    expect(seen()).not.toContain(SECRET);
    expect(seen()).not.toContain(TOKEN);
  });

  it('a quick tunnel retired for failing health checks says why without the path secret', async (t) => {
    const { health, sup, seen } = await setup(t, { mode: { kind: 'quick' } });
    health.setStatus(503);
    sup.start();
    const online = await waitForState(sup, isOnline);
    const offline = await waitForState(sup, isOffline('health-check-failed'));
    if (online.status !== 'online' || offline.status !== 'offline') throw new Error('unreachable');
    expect(offline.message).toBe(`${online.publicUrl}/health/… did not answer the health check 2 times in a row (last: answered HTTP 503).`);
    expect(seen()).not.toContain(SECRET);
  });

  it('a network error that quotes the full health URL is masked before it is shown or logged', async (t) => {
    // Some fetch failures carry the URL in their message (a bad certificate, a parse error).
    const failing: typeof fetch = async (input) => {
      throw new TypeError('fetch failed', { cause: new Error(`certificate has expired for ${String(input)}`) });
    };
    const { sup, logger, seen } = await setup(t, { mode: { kind: 'fixed', url: 'https://till.example.com' }, fetchImpl: failing });
    sup.start();
    const offline = await waitForState(sup, isOffline('health-check-failed'));
    expect(offline).toMatchObject({ message: expect.stringContaining('certificate has expired for https://till.example.com/health/…') });
    await until(() => logger.lines.some((l) => l.includes('failed (2 in a row)')), 2_000, 'the logged failures');
    expect(seen()).not.toContain(SECRET);
  });
});

describe('the tunnel redactor', () => {
  it('shows a path by its first segment only', () => {
    expect(maskPath(HEALTH)).toBe('/health/…');
    expect(maskPath('/health')).toBe('/health');
    expect(maskPath('/counter-health')).toBe('/counter-health');
    expect(maskPath('/a/b/c')).toBe('/a/…/…');
  });

  it('masks the path secret and every token it was given, in text, states and log lines', () => {
    const redactor = createTunnelRedactor(HEALTH);
    redactor.addToken(TOKEN);
    const text = `GET https://x.example.com${HEALTH} with ${TOKEN}; bare ${SECRET}`;
    expect(redactor.text(text)).toBe('GET https://x.example.com/health/… with [token]; bare …');
    expect(redactor.state({ status: 'offline', reason: 'crashed', message: text })).toEqual({
      status: 'offline',
      reason: 'crashed',
      message: 'GET https://x.example.com/health/… with [token]; bare …',
    });
    expect(redactor.state({ status: 'online', publicUrl: 'https://x.example.com' })).toEqual({ status: 'online', publicUrl: 'https://x.example.com' });
    const logger = memoryLogger();
    redactor.logger(logger).child('m').warn(text, { url: `https://x.example.com${HEALTH}`, n: 1 });
    expect(logger.entries).toEqual([
      { level: 'warn', module: 'm', message: 'GET https://x.example.com/health/… with [token]; bare …', fields: { url: 'https://x.example.com/health/…', n: 1 } },
    ]);
  });

  it('leaves short path segments alone in free text', () => {
    expect(createTunnelRedactor('/a/b').text('a b /a/b')).toBe('a b /a/…');
  });
});
