// What each API method answers. Amounts are integer hundredths throughout.
import type { Mode, PaymentEvent, Sale } from '../domain/sale';
import type { DaySummary, CurrencyTotals, SalesChart, SalesPage } from '../domain/totals';
import type { TunnelModeView, TunnelState } from '../domain/tunnel';

export interface Settings {
  mode: Mode;
  depositAddress: string | null;
  /** Lower-case currency code the till charges in. */
  currency: string;
  shopName: string;
  /** The tunnel mode, without a named tunnel's token (the till never shows it). */
  tunnel: TunnelModeView;
  /** A charge above this many hundredths asks the cashier to confirm first; 0 never asks. */
  confirmAbove: number;
  /** Whether receipts carry the Kin amount, exchange rate and intent id in a detail block. */
  receiptDetails: boolean;
}

export interface AppStatus {
  mode: Mode;
  shopName: string;
  currency: string;
  depositAddressSet: boolean;
  tunnel: TunnelState;
  tunnelMode: TunnelModeView['kind'];
  /** Where webhooks for a sale created now would go, its secret path segment hidden; null means status polling only. */
  webhookUrl: string | null;
  listener: { localUrl: string; healthy: boolean };
  lastEvent: { at: number; text: string } | null;
  /** The shop's IANA time zone: dates in the sales log and receipts are shown in it. */
  timeZone: string;
  /** Where the log file is, for a support call. */
  logFile: string | null;
  /** A charge above this many hundredths asks the cashier to confirm first; 0 never asks. */
  confirmAbove: number;
  /** Whether receipts carry the Kin amount, exchange rate and intent id. */
  receiptDetails: boolean;
}

export interface ChargeView {
  saleId: number;
  intentId: string;
  clientSecret: string;
  /** Integer hundredths of `currency`. */
  amount: number;
  currency: string;
  destination: string;
  mode: Mode;
  /** Where Code delivers this sale's webhook (null: status polling alone proves it); its secret path segment hidden on screens. */
  webhookUrl: string | null;
}

export type ExportResult =
  | { kind: 'saved'; path: string; rows: number }
  | { kind: 'download'; url: string; rows: number }
  | { kind: 'cancelled' };

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
  salesChart: SalesChart;
  daySummary: DaySummary;
  exportCsv: ExportResult;
  saveReceiptPdf: { saved: false } | { saved: true; path: string };
  openLogFolder: { opened: boolean; path: string | null };
}
