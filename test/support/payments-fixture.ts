import { randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import type { Sale } from '../../electron/shared/domain/sale';
import { createPaymentsService, type PaymentsService, type SaleUpdate } from '../../electron/core/payments/payments-service';
import type { ReconcilerTiming } from '../../electron/core/payments/reconciler';
import { loadOrCreateSandboxKey, type SandboxKey } from '../../electron/core/sandbox/sandbox-key';
import { createSandboxSequencer, type SandboxSequencer } from '../../electron/core/sandbox/sandbox-sequencer';
import { createWebhookHandler } from '../../electron/core/webhook/webhook-handler';
import { createWebhookListener, type WebhookListener } from '../../electron/core/webhook/webhook-listener';
import { memoryLogger } from './memory-logger';
import { randomAddress, tempDir } from './temp-dir';

/** Fast reconciliation for tests: the real loop, on a millisecond scale. */
export const FAST_TIMING: Partial<ReconcilerTiming> = {
  tickMs: 25,
  backgroundInitialMs: 25,
  backgroundMaxMs: 100,
  closedMaxMs: 100,
};

export interface AppSide {
  ledger: Ledger;
  service: PaymentsService;
  listener: WebhookListener;
  updates: SaleUpdate[];
  logs: string[];
  close(): Promise<void>;
}

export interface PaymentsFixture {
  dir: string;
  destination: string;
  key: SandboxKey;
  sandbox: SandboxSequencer;
  app: AppSide;
  /** What the webhook URL for new sales is: the listener's loopback URL (default), a fixed string, or none. */
  webhookBase: { kind: 'listener' } | { kind: 'fixed'; url: string } | { kind: 'none' };
  /** Closes the app side only (ledger, service, listener), as a crash or quit would; the sandbox stays up. */
  restartApp(options?: { start?: boolean }): Promise<AppSide>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  timing?: Partial<ReconcilerTiming>;
  /** Start the reconciliation loop (default true). */
  start?: boolean;
  endpoint?: string;
  sequencerTimeoutMs?: number;
}

export async function startPaymentsFixture(options: FixtureOptions = {}): Promise<PaymentsFixture> {
  const dir = tempDir();
  const key = loadOrCreateSandboxKey(dir);
  // Retries on a millisecond scale, but a real 1 s wait per attempt so a slow CI machine does not time out every delivery.
  const sandbox = await createSandboxSequencer({ signingKey: key.privateKey, timeScale: 0.001, webhookTimeoutMs: 1_000 });
  const destination = randomAddress();
  const pathSecret = base64url.encode(randomBytes(18));

  const fixture: PaymentsFixture = {
    dir,
    destination,
    key,
    sandbox,
    webhookBase: { kind: 'listener' },
    app: undefined as unknown as AppSide,
    async restartApp(restart = {}) {
      await fixture.app.close();
      fixture.app = await openApp(restart.start ?? options.start ?? true);
      return fixture.app;
    },
    async close() {
      await fixture.app.close();
      await sandbox.close();
    },
  };

  async function openApp(start: boolean): Promise<AppSide> {
    const ledger = createLedger({ dir, timeZone: 'UTC' });
    const logger = memoryLogger();
    const logs = logger.lines;
    let listener: WebhookListener | null = null;
    const service = createPaymentsService({
      ledger,
      config: () => ({ mode: 'sandbox', destination, endpoint: options.endpoint ?? sandbox.endpoint }),
      webhookUrl: () => {
        const base = fixture.webhookBase;
        if (base.kind === 'none') return null;
        if (base.kind === 'fixed') return base.url;
        return listener ? `${listener.localUrl}${listener.webhookPath}` : null;
      },
      timing: { ...FAST_TIMING, ...options.timing },
      ...(options.sequencerTimeoutMs ? { sequencerTimeoutMs: options.sequencerTimeoutMs } : {}),
      logger,
    });
    const handler = createWebhookHandler({ ledger, mode: () => 'sandbox', keyFor: () => key.publicKey, recordProof: service.recordProof, logger });
    listener = await createWebhookListener({ pathSecret, onWebhook: handler, logger });
    const updates: SaleUpdate[] = [];
    service.subscribe((u) => updates.push(u));
    if (start) service.start();
    let closed = false;
    return {
      ledger,
      service,
      listener,
      updates,
      logs,
      async close() {
        if (closed) return;
        closed = true;
        await service.stop();
        await listener!.close();
        ledger.close();
      },
    };
  }

  fixture.app = await openApp(options.start ?? true);
  return fixture;
}

/** Resolves once `predicate` holds, polling every 10 ms; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function saleIs(ledger: Ledger, id: number, status: Sale['status']): Sale | null {
  const sale = ledger.getSale(id);
  return sale.status === status ? sale : null;
}
