import { randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import { afterEach, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { createPaymentsService, type PaymentsService } from '../../electron/core/payments/payments-service';
import { webhookUrlSource } from '../../electron/core/payments/webhook-url-source';
import { createCodeRail } from '../../electron/core/rails/code-rail';
import { createSettingsStore } from '../../electron/core/settings/settings-store';
import { loadOrCreateSandboxKey } from '../../electron/core/sandbox/sandbox-key';
import { createSandboxSequencer, type SandboxSequencer } from '../../electron/core/sandbox/sandbox-sequencer';
import { createTunnelSupervisor, type TunnelSupervisor } from '../../electron/core/tunnel/tunnel-supervisor';
import { createWebhookListener, type WebhookListener } from '../../electron/core/webhook/webhook-listener';
import { FAKE_CLOUDFLARED, isAlive, isOnline, loopbackFetch, waitForState } from '../support/cloudflared-harness';
import { FAST_TIMING, saleIs, waitFor } from '../support/payments-fixture';
import { memoryLogger } from '../support/memory-logger';
import { randomAddress, tempDir } from '../support/temp-dir';

// The tunnel's URL feeds the payments service: live sales created while it
// is online register `<public URL><webhook path>`; a restart gives a new URL
// for new sales, and sales made under the old one are recorded by polling.

interface World {
  ledger: Ledger;
  sandbox: SandboxSequencer;
  listener: WebhookListener;
  tunnel: TunnelSupervisor;
  service: PaymentsService;
  logs: string[];
}
let world: World | null = null;
afterEach(async () => {
  if (!world) return;
  const pid = world.tunnel.pid();
  await world.service.stop();
  await world.tunnel.stop();
  await world.listener.close();
  await world.sandbox.close();
  world.ledger.close();
  if (pid) expect(isAlive(pid)).toBe(false);
  world = null;
});

async function start(): Promise<World> {
  const dir = tempDir();
  const logger = memoryLogger();
  const logs = logger.lines;
  const ledger = createLedger({ dir, timeZone: 'UTC' });
  const sandbox = await createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(dir).privateKey, timeScale: 0.001, webhookTimeoutMs: 1_000 });
  // Nothing listens for webhooks here: only the health route matters, and
  // deliveries to the (unreachable) public hostnames fail as they would offline.
  const listener = await createWebhookListener({ pathSecret: base64url.encode(randomBytes(18)), onWebhook: async () => ({ status: 404 }) });
  const tunnel = createTunnelSupervisor({
    mode: { kind: 'quick' },
    localPort: listener.port,
    healthPath: listener.healthPath,
    binary: { configuredPath: FAKE_CLOUDFLARED, envPath: '' },
    fetchImpl: loopbackFetch(listener.port),
    logger,
    timing: { stopGraceMs: 1_000, reconnectGraceMs: 300, healthIntervalMs: 60_000 },
    backoff: { initialMs: 50, maxMs: 400, jitter: 0 },
    spawn: { env: { FAKE_CLOUDFLARED_SCENARIO: 'ok' } },
  });
  const destination = randomAddress();
  const key = loadOrCreateSandboxKey(dir);
  // Live mode, so the webhook URL comes from the tunnel; the sandbox stands in for Code's sequencer.
  const live = createCodeRail({ mode: 'live', endpoint: () => sandbox.endpoint, webhookKey: key.publicKey, logger });
  const service = createPaymentsService({
    ledger,
    config: () => ({ mode: 'live', destination }),
    rails: { live, sandbox: live },
    limits: createSettingsStore(ledger),
    webhookUrl: webhookUrlSource({ tunnelState: () => tunnel.state(), listener }),
    timing: FAST_TIMING,
    logger,
  });
  world = { ledger, sandbox, listener, tunnel, service, logs };
  return world;
}

it('a live sale registers the tunnel URL; after a tunnel restart new sales get the new URL and old ones are still recorded', async () => {
  const w = await start();
  w.tunnel.start();
  const first = await waitForState(w.tunnel, isOnline, 10_000, 'the first tunnel');
  const urlA = first.status === 'online' ? first.publicUrl : '';
  expect(urlA).toMatch(/^https:\/\/[a-z0-9-]+\.trycloudflare\.com$/);

  const saleA = (await w.service.charge({ amount: 25, currency: 'usd' })).codePayment!;
  expect(saleA.webhookUrl).toBe(`${urlA}${w.listener.webhookPath}`);
  expect(w.sandbox.getIntent(saleA.intentId)?.webhookUrl).toBe(saleA.webhookUrl);

  // cloudflared dies; the supervisor restarts it and a new quick-tunnel URL replaces the old.
  process.kill(w.tunnel.pid()!, 'SIGKILL');
  const second = await waitForState(w.tunnel, (s) => s.status === 'online' && s.publicUrl !== urlA, 10_000, 'a new tunnel URL');
  const urlB = second.status === 'online' ? second.publicUrl : '';
  const saleB = (await w.service.charge({ amount: 26, currency: 'usd' })).codePayment!;
  expect(saleB.webhookUrl).toBe(`${urlB}${w.listener.webhookPath}`);
  expect(w.sandbox.getIntent(saleB.intentId)?.webhookUrl).toBe(saleB.webhookUrl);

  // Both customers pay. The webhooks cannot reach the public hostnames from
  // here (as after a URL change), so reconciliation records both.
  w.service.start();
  await w.sandbox.simulatePayment(saleA.intentId);
  await w.sandbox.simulatePayment(saleB.intentId);
  const paidA = await waitFor('the sale under the old URL paid', () => saleIs(w.ledger, saleA.saleId, 'paid'), 10_000);
  const paidB = await waitFor('the sale under the new URL paid', () => saleIs(w.ledger, saleB.saleId, 'paid'), 10_000);
  expect(paidA.firstProof).toBe('status_poll');
  expect(paidB.firstProof).toBe('status_poll');
  expect(w.sandbox.deliveries().every((d) => !d.delivered)).toBe(true);
});

it('a live sale made while the tunnel is not online carries no webhook and relies on polling', async () => {
  const w = await start();
  expect(w.tunnel.state().status).not.toBe('online');
  const sale = (await w.service.charge({ amount: 30, currency: 'usd' })).codePayment!;
  expect(sale.webhookUrl).toBeNull();
  expect(w.sandbox.getIntent(sale.intentId)?.webhookUrl ?? null).toBeNull();
  w.service.start();
  await w.sandbox.simulatePayment(sale.intentId);
  expect((await waitFor('the sale paid by polling', () => saleIs(w.ledger, sale.saleId, 'paid'))).firstProof).toBe('status_poll');
});
