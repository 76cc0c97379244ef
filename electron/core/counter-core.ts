import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResults, AppStatus, CounterEvent, Settings } from '../shared/ipc-contract';
import { createLedger, type Ledger } from './ledger/ledger';
import { createSalesReports, type SalesReports } from './ledger/sales-reports';
import type { Sale } from './ledger/types';
import { hundredthsToDecimalString } from './money';
import { createPaymentsService, type PaymentsService, type SaleUpdate } from './payments/payments-service';
import type { ReconcilerTiming } from './payments/reconciler';
import { webhookUrlSource } from './payments/webhook-url-source';
import { loadOrCreateSandboxKey } from './sandbox/sandbox-key';
import { createSandboxSequencer, type SandboxSequencer } from './sandbox/sandbox-sequencer';
import { createSettingsStore, type SettingsStore } from './settings/settings-store';
import { createTunnelSupervisor, type TunnelSupervisor, type TunnelSupervisorOptions } from './tunnel/tunnel-supervisor';
import { CODE_PRODUCTION_WEBHOOK_KEY, ed25519PublicKeyFromBase58 } from './webhook/code-keys';
import { createWebhookHandler } from './webhook/webhook-handler';
import { createWebhookListener, type WebhookListener } from './webhook/webhook-listener';

/**
 * Everything the main process runs, composed once: the ledger, settings, the
 * sandbox sequencer, the webhook listener, the tunnel and the payments
 * service. Electron's main process and the browser preview both start it;
 * neither adds logic of its own.
 */

export interface CounterCoreOptions {
  /** Electron's userData in the app; any directory in the preview and tests. */
  dataDir: string;
  log?: (line: string) => void;
  timeZone?: string;
  /** The cloudflared shipped with the installer (process.resourcesPath in the app). */
  bundledCloudflared?: string;
  /** Test and preview hooks into the supervisor (stand-in binary, timings, fetch). */
  tunnel?: Partial<Pick<TunnelSupervisorOptions, 'binary' | 'fetchImpl' | 'timing' | 'backoff' | 'spawn'>>;
  sandbox?: { timeScale?: number; webhookTimeoutMs?: number };
  reconcilerTiming?: Partial<ReconcilerTiming>;
  /** How often the listener checks its own health route (default 15 s). */
  listenerCheckMs?: number;
}

export interface CounterCore {
  ledger: Ledger;
  reports: SalesReports;
  settings: SettingsStore;
  sandbox: SandboxSequencer;
  listener: WebhookListener;
  tunnel: TunnelSupervisor;
  payments: PaymentsService;
  status(): AppStatus;
  /** The sale on the till's screen: polled about once a second, and remembered across restarts. */
  focus(saleId: number | null): void;
  currentSale(): ApiResults['currentSale'];
  updateSettings(patch: unknown): Promise<Settings>;
  installCloudflared(): Promise<string>;
  onEvent(listener: (event: CounterEvent) => void): () => void;
  /** Pushes an event to every listener (the hosts use it for export progress). */
  publish(event: CounterEvent): void;
  close(): Promise<void>;
}

/** How long after a sale ended the till still brings it back on screen after a restart. */
const OUTCOME_SHOWN_AGAIN_MS = 10 * 60_000;

const CAUSE_TEXT: Record<SaleUpdate['cause'], string | null> = {
  created: null,
  credited: 'paid',
  duplicate: null,
  late: 'paid after it was closed',
  cancelled: 'cancelled',
  expired: 'expired unpaid',
  failed: 'could not be sent to Code',
};

export async function createCounterCore(options: CounterCoreOptions): Promise<CounterCore> {
  const log = options.log ?? ((line: string) => console.log(line));
  const listeners = new Set<(event: CounterEvent) => void>();
  const emit = (event: CounterEvent) => {
    for (const fn of listeners) {
      try {
        fn(event);
      } catch (error) {
        log(`counter-core: an event listener failed: ${(error as Error).message}`);
      }
    }
  };

  // 1. The ledger and the settings it holds.
  const ledger = createLedger({ dir: options.dataDir, ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
  const cleanups: Array<() => Promise<void> | void> = [() => ledger.close()];
  try {
    const settings = createSettingsStore(ledger);

    // 2. The sandbox sequencer runs whatever the mode, so switching to sandbox is instant.
    const sandboxKey = loadOrCreateSandboxKey(options.dataDir);
    const sandbox = await createSandboxSequencer({
      signingKey: sandboxKey.privateKey,
      ...(options.sandbox?.timeScale ? { timeScale: options.sandbox.timeScale } : {}),
      ...(options.sandbox?.webhookTimeoutMs ? { webhookTimeoutMs: options.sandbox.webhookTimeoutMs } : {}),
      log,
    });
    cleanups.unshift(() => sandbox.close());

    // 3. Payments, then the listener that feeds it webhooks.
    const productionKey = ed25519PublicKeyFromBase58(CODE_PRODUCTION_WEBHOOK_KEY);
    let listener: WebhookListener | null = null;
    let tunnel: TunnelSupervisor | null = null;
    const webhookUrl = () =>
      listener && tunnel ? webhookUrlSource({ mode: () => settings.get().mode, tunnelState: () => tunnel!.state(), listener })() : null;
    const payments = createPaymentsService({
      ledger,
      config: () => ({
        mode: settings.get().mode,
        destination: settings.destination(),
        ...(settings.get().mode === 'sandbox' ? { endpoint: sandbox.endpoint } : {}),
      }),
      webhookUrl,
      ...(options.reconcilerTiming ? { timing: options.reconcilerTiming } : {}),
      log,
    });
    const handler = createWebhookHandler({
      ledger,
      mode: () => settings.get().mode,
      keyFor: (mode) => (mode === 'live' ? productionKey : sandboxKey.publicKey),
      recordProof: payments.recordProof,
      log,
    });
    listener = await listen(settings.secrets.listenerPort, settings.secrets.webhookPathSecret, handler, log);
    const activeListener = listener;
    cleanups.unshift(() => activeListener.close());

    // 4. The tunnel, pointed at the listener.
    const installedCloudflared = join(options.dataDir, 'bin', process.platform === 'win32' ? 'cloudflared.exe' : 'cloudflared');
    tunnel = createTunnelSupervisor({
      mode: settings.get().tunnel,
      localPort: listener.port,
      healthPath: listener.healthPath,
      binary: {
        ...(options.bundledCloudflared ? { bundledPath: options.bundledCloudflared } : {}),
        ...(existsSync(installedCloudflared) ? { configuredPath: installedCloudflared } : {}),
        ...options.tunnel?.binary,
      },
      ...(options.tunnel?.fetchImpl ? { fetchImpl: options.tunnel.fetchImpl } : {}),
      ...(options.tunnel?.timing ? { timing: options.tunnel.timing } : {}),
      ...(options.tunnel?.backoff ? { backoff: options.tunnel.backoff } : {}),
      ...(options.tunnel?.spawn ? { spawn: options.tunnel.spawn } : {}),
      log,
    });
    const activeTunnel = tunnel;
    cleanups.unshift(() => activeTunnel.stop());

    // 5. What the status bar shows, pushed on every change.
    let lastEvent: AppStatus['lastEvent'] = null;
    let listenerHealthy = true;
    const status = (): AppStatus => {
      const s = settings.get();
      return {
        mode: s.mode,
        shopName: s.shopName,
        currency: s.currency,
        depositAddressSet: s.depositAddress !== null,
        tunnel: activeTunnel.state(),
        tunnelMode: s.tunnel.kind,
        webhookUrl: webhookUrl(),
        listener: { localUrl: activeListener.localUrl, healthy: listenerHealthy },
        lastEvent,
        timeZone: ledger.timeZone,
      };
    };
    const pushStatus = () => emit({ type: 'status', status: status() });
    activeTunnel.subscribe(pushStatus);
    payments.subscribe(({ sale, cause }) => {
      const text = CAUSE_TEXT[cause];
      if (text) lastEvent = { at: Date.now(), text: describeSale(sale, text) };
      emit({ type: 'sale', sale, cause });
      if (text) pushStatus();
    });

    const healthTimer = setInterval(() => {
      void checkListener(activeListener).then((healthy) => {
        if (healthy === listenerHealthy) return;
        listenerHealthy = healthy;
        log(`counter-core: webhook listener ${healthy ? 'healthy again' : 'not answering its health check'}`);
        pushStatus();
      });
    }, options.listenerCheckMs ?? 15_000);
    healthTimer.unref();
    cleanups.unshift(() => clearInterval(healthTimer));

    // The till's sale survives a restart: polled at once, shown again on request.
    const TILL_FOCUS_KEY = 'tillFocus';
    const savedFocus = ledger.getSetting(TILL_FOCUS_KEY);
    let focused = typeof savedFocus === 'number' && Number.isSafeInteger(savedFocus) ? savedFocus : null;
    payments.focus(focused);
    const focus = (saleId: number | null) => {
      payments.focus(saleId);
      if (saleId === focused) return;
      focused = saleId;
      ledger.setSetting(TILL_FOCUS_KEY, saleId);
    };
    const currentSale = (): ApiResults['currentSale'] => {
      if (focused === null) return null;
      try {
        const sale = ledger.getSale(focused);
        // An outcome is worth showing again only while the customer may still be at the counter.
        if (sale.status !== 'pending' && Date.now() - sale.updatedAt > OUTCOME_SHOWN_AGAIN_MS) return null;
        return { charge: payments.resume(focused), sale };
      } catch (error) {
        log(`counter-core: the till's sale ${focused} cannot be shown again: ${(error as Error).message}`);
        return null;
      }
    };

    payments.start();
    cleanups.unshift(() => payments.stop());
    activeTunnel.start();

    let closing: Promise<void> | null = null;
    return {
      ledger,
      reports: createSalesReports(ledger),
      settings,
      sandbox,
      listener: activeListener,
      tunnel: activeTunnel,
      payments,
      status,
      focus,
      currentSale,
      async updateSettings(patch) {
        const before = settings.get();
        const after = settings.update(patch);
        if (JSON.stringify(before.tunnel) !== JSON.stringify(after.tunnel)) await activeTunnel.setMode(after.tunnel);
        pushStatus();
        return after;
      },
      installCloudflared: () =>
        activeTunnel.installBinary(join(options.dataDir, 'bin'), (p) =>
          emit({ type: 'tunnel-install', received: p.received, ...(p.total !== undefined ? { total: p.total } : {}) }),
        ),
      onEvent(fn) {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
      publish: emit,
      // Graceful quit, in order: reconciliation and tunnel first, then the
      // listener and the sandbox, the ledger last.
      close() {
        closing ??= runCleanups(cleanups, log);
        return closing;
      },
    };
  } catch (error) {
    await runCleanups(cleanups, log);
    throw error;
  }
}

async function runCleanups(cleanups: Array<() => Promise<void> | void>, log: (line: string) => void): Promise<void> {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      log(`counter-core: shutdown step failed: ${(error as Error).message}`);
    }
  }
}

/** The saved port when it is free, any free port when it is not (the tunnel follows it either way). */
async function listen(
  port: number,
  pathSecret: string,
  onWebhook: Parameters<typeof createWebhookListener>[0]['onWebhook'],
  log: (line: string) => void,
): Promise<WebhookListener> {
  try {
    return await createWebhookListener({ port, pathSecret, onWebhook, log });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    log(`counter-core: port ${port} is taken; the webhook listener uses another one (a named or fixed tunnel must follow it)`);
    return createWebhookListener({ port: 0, pathSecret, onWebhook, log });
  }
}

async function checkListener(listener: WebhookListener): Promise<boolean> {
  try {
    const res = await fetch(`${listener.localUrl}${listener.healthPath}`, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

function describeSale(sale: Sale, what: string): string {
  const amount = `${hundredthsToDecimalString(sale.amount)} ${sale.currency.toUpperCase()}`;
  const proof = sale.firstProof && sale.status === 'paid' ? ` (${sale.firstProof.replace('_', ' ')})` : '';
  return `Sale #${sale.id}, ${amount}, ${what}${proof}`;
}
