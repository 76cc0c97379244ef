/**
 * The one contract between the renderer and the main process: method names,
 * argument schemas, result types and pushed events. Main validates every
 * argument with these schemas; the preload and the browser-preview bridge
 * expose exactly these methods; the renderer imports types only.
 */
import { z } from 'zod';
import { API_METHOD_NAMES } from './api-methods';
import { salesFilterShape as salesFilterInput } from '../core/ledger/sales-filter';
import type { ChartBucket, CurrencyTotals, DaySummary } from '../core/ledger/sales-reports';
import type { SalesFilter, SalesPage } from '../core/ledger/types';
import type { Mode, PaymentEvent, Sale } from '../core/ledger/types';
import { tunnelModeSchema } from '../core/tunnel/tunnel-mode';
import type { TunnelMode, TunnelState } from './tunnel-types';

export type { ChartBucket, CurrencyTotals, DaySummary, Mode, PaymentEvent, Sale, SalesFilter, SalesPage, TunnelMode, TunnelState };

const saleId = z.number().int().positive();

export const settingsPatch = z
  .object({
    mode: z.enum(['live', 'sandbox']),
    depositAddress: z.string().trim().max(100).nullable(),
    currency: z.string().trim().max(8),
    shopName: z.string().trim().max(80),
    tunnel: tunnelModeSchema,
  })
  .partial()
  .strict();

/** Argument schemas, one per method. `z.undefined()` methods take no argument. */
export const API_ARGS = {
  getStatus: z.undefined(),
  getSettings: z.undefined(),
  updateSettings: settingsPatch,
  charge: z.object({ amount: z.number(), currency: z.string().optional() }).strict(),
  cancelSale: z.object({ saleId }).strict(),
  focusSale: z.object({ saleId: saleId.nullable() }).strict(),
  /** The sale the till last showed, to show it again after a reload or a restart; null when the till was idle. */
  currentSale: z.undefined(),
  simulatePayment: z.object({ saleId }).strict(),
  simulateCancel: z.object({ saleId }).strict(),
  reportButtonEvent: z.object({ saleId, event: z.enum(['invoke', 'success', 'cancel', 'error']), message: z.string().max(500).optional() }).strict(),
  getSale: z.object({ saleId }).strict(),
  recentSales: z.object({ limit: z.number().int().min(1).max(100) }).strict(),
  /** Downloads cloudflared when none is found (the tunnel state says binary-missing). */
  installCloudflared: z.undefined(),
  listSales: z.object({ filter: salesFilterInput, cursor: z.string().max(64).nullish(), limit: z.number().int().min(1).max(200).optional() }).strict(),
  salesTotals: z.object({ filter: salesFilterInput }).strict(),
  salesChart: z.object({ filter: salesFilterInput }).strict(),
  daySummary: z.object({ date: z.string().max(10), mode: z.enum(['live', 'sandbox', 'all']).optional() }).strict(),
  /** Writes the filtered sales as CSV: a file the user picks in the app, a download in the preview. */
  exportCsv: z.object({ filter: salesFilterInput }).strict(),
  /** Saves the receipt on screen as a PDF (the app only; the preview uses the browser's print dialog). */
  saveReceiptPdf: z.object({ saleId }).strict(),
} as const;

export type ApiMethod = keyof typeof API_ARGS;
export const API_METHODS = Object.keys(API_ARGS) as ApiMethod[];
export type ApiArgs<M extends ApiMethod> = z.input<(typeof API_ARGS)[M]>;
export type ApiArgsParsed<M extends ApiMethod> = z.output<(typeof API_ARGS)[M]>;

export interface Settings {
  mode: Mode;
  depositAddress: string | null;
  /** Lower-case currency code the till charges in. */
  currency: string;
  shopName: string;
  tunnel: TunnelMode;
}

export interface AppStatus {
  mode: Mode;
  shopName: string;
  currency: string;
  depositAddressSet: boolean;
  tunnel: TunnelState;
  tunnelMode: TunnelMode['kind'];
  /** Where webhooks for a sale created now would go; null means status polling only. */
  webhookUrl: string | null;
  listener: { localUrl: string; healthy: boolean };
  lastEvent: { at: number; text: string } | null;
  /** The shop's IANA time zone: dates in the sales log and receipts are shown in it. */
  timeZone: string;
}

export interface ChargeView {
  saleId: number;
  intentId: string;
  clientSecret: string;
  /** Code's decimal amount, as the payment button takes it. */
  amount: number;
  currency: string;
  destination: string;
  mode: Mode;
  webhookUrl: string | null;
}

export interface ApiResults {
  getStatus: AppStatus;
  getSettings: Settings;
  updateSettings: Settings;
  charge: ChargeView;
  cancelSale: Sale;
  focusSale: null;
  currentSale: { charge: ChargeView; sale: Sale } | null;
  simulatePayment: Sale;
  simulateCancel: Sale;
  reportButtonEvent: null;
  getSale: { sale: Sale; events: PaymentEvent[] };
  recentSales: Sale[];
  installCloudflared: { path: string };
  listSales: SalesPage;
  salesTotals: CurrencyTotals[];
  salesChart: { unit: 'hour' | 'day'; buckets: ChartBucket[] };
  daySummary: DaySummary;
  exportCsv: ExportResult;
  saveReceiptPdf: { saved: false } | { saved: true; path: string };
}

export type ExportResult =
  | { kind: 'saved'; path: string; rows: number }
  | { kind: 'download'; url: string; rows: number }
  | { kind: 'cancelled' };

export interface ApiError {
  /** Machine-readable: 'invalid-input', 'invalid-settings', 'below-minimum', 'sequencer-unreachable', … */
  code: string;
  /** Meant to be shown to the cashier as is. */
  message: string;
  /** Per-field messages for forms (settings). */
  fields?: Record<string, string>;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type SaleEventCause = 'created' | 'credited' | 'duplicate' | 'late' | 'cancelled' | 'expired' | 'failed';

/** Pushed from main to the renderer. */
export type CounterEvent =
  | { type: 'sale'; sale: Sale; cause: SaleEventCause }
  | { type: 'status'; status: AppStatus }
  | { type: 'export'; written: number; total: number; done: boolean }
  | { type: 'tunnel-install'; received: number; total?: number };

/** What the preload exposes as `window.counter`, and the preview bridge implements. */
export type CounterApi = {
  [M in ApiMethod]: (args: ApiArgs<M>) => Promise<Envelope<ApiResults[M]>>;
} & {
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: CounterEvent) => void): () => void;
};

export { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from './api-methods';

// The plain list the preload uses must name exactly the contract's methods.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodListMatches: Same<(typeof API_METHOD_NAMES)[number], ApiMethod> = true;
void methodListMatches;
