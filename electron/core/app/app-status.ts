/**
 * What the status bar shows (mode, tunnel, where webhooks go, listener
 * health, whether Code takes payments, the last payment event, the receipt
 * printer), pushed to the screens on every change.
 */
import type { AppStatus } from '../../shared/contract';
import { formatMoney } from '../../shared/domain/money';
import type { PrinterStatus } from '../../shared/domain/printer';
import type { RailHealth } from '../../shared/domain/rail';
import type { SyncStatusView } from '../../shared/domain/shop-database';
import { totalDue, type Sale } from '../../shared/domain/sale';
import type { SaleUpdate } from '../payments/payments-service';
import type { SettingsStore } from '../settings/settings-store';
import type { TunnelSupervisor } from '../tunnel/tunnel-supervisor';
import type { WebhookListener } from '../webhook/webhook-listener';
import type { EventBus } from './event-bus';
import type { Logger } from './logger';

/** The status bar's words for a sale's change, or null when it is not worth a line there. */
function causeText({ sale, cause }: SaleUpdate): string | null {
  switch (cause) {
    case 'credited':
      return sale.status === 'paid' ? 'paid' : 'Code payment received, partly paid';
    case 'tendered':
      return sale.status === 'paid' ? 'paid' : 'partly paid';
    case 'late':
      return 'paid after it was closed';
    case 'cancelled':
      return sale.status === 'cancelled' ? 'cancelled' : null;
    case 'expired':
      return sale.status === 'expired' ? 'expired unpaid' : null;
    case 'failed':
      return 'Code payment request refused';
    default:
      return null;
  }
}

export interface AppStatusSource {
  status(): AppStatus;
  /** Pushes the status to the screens now (after a settings change). */
  push(): void;
  /** Notes a sale's change as the last event, when it is one worth showing. */
  noteSale(update: SaleUpdate): void;
  close(): void;
}

export interface AppStatusOptions {
  settings: SettingsStore;
  tunnel: TunnelSupervisor;
  listener: WebhookListener;
  /** Where webhooks for a sale created now would go. */
  webhookUrl: () => string | null;
  /** Whether the payment rail of the app's mode takes payment requests. */
  rail: () => RailHealth;
  /** The receipt printer as the print queue sees it (off when none is chosen); the queue calls push() when it changes. */
  printer: () => PrinterStatus;
  /** The sync to the shop database ({ state: 'off' } without one); the core calls push() when it changes. */
  sync?: () => SyncStatusView;
  timeZone: string;
  logFile: string | null;
  bus: EventBus;
  logger: Logger;
  /** How often the listener checks its own health route (default 15 s). */
  listenerCheckMs?: number;
  now?: () => number;
}

export function createAppStatus(options: AppStatusOptions): AppStatusSource {
  const { settings, tunnel, listener, bus } = options;
  const log = options.logger.child('app-status');
  const now = options.now ?? Date.now;
  let lastEvent: AppStatus['lastEvent'] = null;
  let listenerHealthy = true;

  const status = (): AppStatus => {
    const s = settings.get();
    return {
      mode: s.mode,
      shopName: s.shopName,
      currency: s.currency,
      depositAddressSet: s.depositAddress !== null,
      tunnel: tunnel.state(),
      tunnelMode: s.tunnel.kind,
      webhookUrl: options.webhookUrl(),
      listener: { localUrl: listener.localUrl, healthy: listenerHealthy },
      lastEvent,
      timeZone: options.timeZone,
      logFile: options.logFile,
      confirmAbove: s.confirmAbove,
      receiptDetails: s.receiptDetails,
      rail: options.rail(),
      codeLimits: settings.codeRange(s.currency) ?? { min: s.codeMaximum.minimum, max: s.codeMaximum.amount },
      paidSound: s.paidSound,
      tipsEnabled: s.tips.enabled,
      customerDisplay: s.customerDisplay,
      printer: options.printer(),
      sync: options.sync?.() ?? { state: 'off' },
    };
  };
  const push = () => bus.publish({ type: 'status', status: status() });
  const unsubscribe = tunnel.subscribe(push);

  const healthTimer = setInterval(() => {
    void checkListener(listener).then((healthy) => {
      if (healthy === listenerHealthy) return;
      listenerHealthy = healthy;
      log[healthy ? 'info' : 'error'](`webhook listener ${healthy ? 'healthy again' : 'not answering its health check'}`);
      push();
    });
  }, options.listenerCheckMs ?? 15_000);
  healthTimer.unref();

  return {
    status,
    push,
    noteSale(update) {
      const { sale } = update;
      const text = causeText(update);
      if (!text) return;
      lastEvent = { at: now(), text: describeSale(sale, text) };
      push();
    },
    close() {
      clearInterval(healthTimer);
      unsubscribe();
    },
  };
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
  const proof = sale.firstProof && sale.status === 'paid' ? ` (${sale.firstProof.replace('_', ' ')})` : '';
  const tip = sale.tipAmount > 0 ? ` (tip ${formatMoney(sale.tipAmount, sale.currency, 'en')})` : '';
  return `Sale #${sale.id}, ${formatMoney(totalDue(sale), sale.currency, 'en')}${tip}, ${what}${proof}`;
}
