import { randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import { expect } from 'vitest';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import type { Mode, Sale } from '../../electron/shared/domain/sale';
import { createPaymentsService, type PaymentsConfig, type PaymentsService, type SaleUpdate } from '../../electron/core/payments/payments-service';
import { PaymentsError } from '../../electron/core/payments/errors';
import type { ReconcilerTiming } from '../../electron/core/payments/reconciler';
import { createCodeRail } from '../../electron/core/rails/code-rail';
import type { PaymentRail } from '../../electron/core/rails/payment-rail';
import { createSandboxRail } from '../../electron/core/rails/sandbox-rail';
import { loadOrCreateSandboxKey, type SandboxKey } from '../../electron/core/sandbox/sandbox-key';
import { createSandboxSequencer, type SandboxSequencer } from '../../electron/core/sandbox/sandbox-sequencer';
import { createSettingsStore, type SettingsStore } from '../../electron/core/settings/settings-store';
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
  settings: SettingsStore;
  rails: Record<Mode, PaymentRail>;
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
  /** The sandbox sequencer: the sandbox rail's. */
  sandbox: SandboxSequencer;
  /** A second sandbox sequencer with its own key, standing in for Code's production sequencer: the live rail's. */
  live: SandboxSequencer;
  liveKey: SandboxKey;
  /** The app's mode: new sales are rung up in it. */
  mode: Mode;
  app: AppSide;
  /** What the webhook URL for new Code payments is: the listener's loopback URL (default), a fixed string, or none. */
  webhookBase: { kind: 'listener' } | { kind: 'fixed'; url: string } | { kind: 'none' };
  /** The sequencer of a sale's mode. */
  sequencerOf(mode: Mode): SandboxSequencer;
  /** Closes the app side only (ledger, service, listener), as a crash or quit would; the sequencers stay up. */
  restartApp(options?: { start?: boolean }): Promise<AppSide>;
  /** A payments service over this fixture's ledger, rails and settings with another configuration. */
  serviceWith(config: () => PaymentsConfig): PaymentsService;
  close(): Promise<void>;
}

export interface FixtureOptions {
  timing?: Partial<ReconcilerTiming>;
  /** Start the reconciliation loop (default true). */
  start?: boolean;
  /** Points the sandbox rail at another sequencer (a fake one). */
  endpoint?: string;
  railTimeoutMs?: number;
  healthTimeoutMs?: number;
  /** The per-payment maximum both sequencers enforce, decimal (default: Code's table); null for none. */
  sequencerMaximum?: number | null;
  /** The till's configured maximum for USD, hundredths (default: Code's table, 1.00). */
  codeMaximum?: number;
}

export async function startPaymentsFixture(options: FixtureOptions = {}): Promise<PaymentsFixture> {
  const dir = tempDir();
  const key = loadOrCreateSandboxKey(dir);
  const liveKey = loadOrCreateSandboxKey(tempDir());
  const maximumFor = options.sequencerMaximum !== undefined ? { maximumFor: () => options.sequencerMaximum ?? null } : {};
  // Retries on a millisecond scale, but a real 1 s wait per attempt so a slow CI machine does not time out every delivery.
  const sandbox = await createSandboxSequencer({ signingKey: key.privateKey, timeScale: 0.001, webhookTimeoutMs: 1_000, ...maximumFor });
  const live = await createSandboxSequencer({ signingKey: liveKey.privateKey, timeScale: 0.001, webhookTimeoutMs: 1_000, ...maximumFor });
  const destination = randomAddress();
  const pathSecret = base64url.encode(randomBytes(18));
  const railTiming = {
    ...(options.railTimeoutMs ? { timeoutMs: options.railTimeoutMs } : {}),
    ...(options.healthTimeoutMs ? { healthTimeoutMs: options.healthTimeoutMs } : {}),
  };

  const fixture: PaymentsFixture = {
    dir,
    destination,
    key,
    sandbox,
    live,
    liveKey,
    mode: 'sandbox',
    webhookBase: { kind: 'listener' },
    app: undefined as unknown as AppSide,
    sequencerOf: (mode) => (mode === 'live' ? live : sandbox),
    async restartApp(restart = {}) {
      await fixture.app.close();
      fixture.app = await openApp(restart.start ?? options.start ?? true);
      return fixture.app;
    },
    serviceWith(config) {
      return createPaymentsService({ ledger: fixture.app.ledger, config, rails: fixture.app.rails, limits: fixture.app.settings, webhookUrl: () => null });
    },
    async close() {
      await fixture.app.close();
      await sandbox.close();
      await live.close();
    },
  };

  async function openApp(start: boolean): Promise<AppSide> {
    const ledger = createLedger({ dir, timeZone: 'UTC' });
    const settings = createSettingsStore(ledger);
    if (options.codeMaximum !== undefined && settings.get().codeMaximum.source === 'code-table') settings.update({ codeMaximum: options.codeMaximum });
    const logger = memoryLogger();
    const logs = logger.lines;
    const rails: Record<Mode, PaymentRail> = {
      live: createCodeRail({ mode: 'live', endpoint: () => live.endpoint, webhookKey: liveKey.publicKey, ...railTiming, logger }),
      sandbox: createSandboxRail({ endpoint: options.endpoint ?? sandbox.endpoint, webhookKey: key.publicKey, ...railTiming, logger }),
    };
    let listener: WebhookListener | null = null;
    const service = createPaymentsService({
      ledger,
      // The tips as the settings hold them, read at every charge, as the app does.
      config: () => ({ mode: fixture.mode, destination, tips: settings.get().tips }),
      rails,
      limits: settings,
      webhookUrl: () => {
        const base = fixture.webhookBase;
        if (base.kind === 'none') return null;
        if (base.kind === 'fixed') return base.url;
        return listener ? `${listener.localUrl}${listener.webhookPath}` : null;
      },
      timing: { ...FAST_TIMING, ...options.timing },
      logger,
    });
    const handler = createWebhookHandler({
      ledger,
      mode: () => fixture.mode,
      keyFor: (mode) => rails[mode].webhookKey,
      recordProof: service.recordProof,
      logger,
    });
    listener = await createWebhookListener({ pathSecret, onWebhook: handler, logger });
    const updates: SaleUpdate[] = [];
    service.subscribe((u) => updates.push(u));
    if (start) service.start();
    let closed = false;
    return {
      ledger,
      settings,
      rails,
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

/** Expects `work` (a promise, or a call that may throw or reject) to fail with a PaymentsError of `code` (and `message`). */
export async function expectPaymentsError(work: Promise<unknown> | (() => unknown), code: PaymentsError['code'], message?: RegExp): Promise<void> {
  const error = await (typeof work === 'function' ? Promise.resolve().then(work) : work).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a PaymentsError').toBeInstanceOf(PaymentsError);
  expect((error as PaymentsError).code).toBe(code);
  if (message) expect((error as PaymentsError).message).toMatch(message);
}
