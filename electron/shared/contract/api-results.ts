// What each API method answers. Amounts are integer hundredths throughout.
import type { RailHealth } from '../domain/rail';
import type { ScanCodeView } from '../domain/scan-code';
import type { Mode, PaymentEvent, Sale } from '../domain/sale';
import type { DrawerOpening, PrinterSettings, PrinterStatus, PrintJob } from '../domain/printer';
import type { TipPrompt, TipSettings } from '../domain/tip';
import type { DaySummary, CurrencyTotals, SalesChart, SalesPage } from '../domain/totals';
import type { TunnelModeView, TunnelState } from '../domain/tunnel';
import type { AuditPage } from '../domain/audit';
import type { Person, SessionView, SignInChoice, SignInResult } from '../domain/people';
import type { Refund } from '../domain/refund';
import type { Shift, ShiftReport } from '../domain/shift';
import type { ShopDatabaseSettings, ShopDatabaseTest, ShopHostView, SyncStatusView } from '../domain/shop-database';
import type { ShopSale, ShopSalesPage, ShopTill } from '../domain/shop-view';

export interface Settings {
  mode: Mode;
  depositAddress: string | null;
  /** Lower-case currency code the till charges in. */
  currency: string;
  shopName: string;
  /** This till's own name, telling it apart in the shop view ("Front counter"); '' when it has none. */
  tillName: string;
  /** The tunnel mode, without a named tunnel's token (the till never shows it). */
  tunnel: TunnelModeView;
  /** A charge above this many hundredths asks the cashier to confirm first; 0 never asks. */
  confirmAbove: number;
  /** Whether receipts carry the Kin amount, exchange rate and intent id in a detail block. */
  receiptDetails: boolean;
  /** The largest single Code payment in `currency`, and where that figure came from. */
  codeMaximum: CodeMaximumView;
  /** Sandbox: whether the sandbox answers as a sequencer with Code's payment service (true) or without it. */
  sandboxPaymentService: boolean;
  /** Tips: off by default; presets in percent, a custom amount, or none. */
  tips: TipSettings;
  /** Whether the customer display opens (on by default). */
  customerDisplay: boolean;
  /** A short sound on the till when a payment is confirmed (on by default). */
  paidSound: boolean;
  /** The receipt printer (none by default) and what it prints. */
  printer: PrinterSettings;
  /** The till locks after this many minutes without use; 0 only on demand. */
  lockAfterMinutes: number;
  /** The shop's PostgreSQL database this till syncs to (none by default). */
  shopDatabase: ShopDatabaseSettings;
}

/**
 * One Code payment's maximum in the shop's currency, in hundredths.
 * `code-table`: Code's published table; `sequencer`: learned from a refusal
 * that named it (at `at`); `owner`: set in Settings.
 */
export interface CodeMaximumView {
  amount: number;
  source: 'code-table' | 'sequencer' | 'owner';
  at: number | null;
  /** Code's table figure, for "reset". */
  tableAmount: number;
  /** Code's minimum for one payment, in hundredths. */
  minimum: number;
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
  /** Whether the payment rail of the app's mode takes payment requests. */
  rail: RailHealth;
  /** One Code payment's range in the shop's currency, in hundredths (max as configured). */
  codeLimits: { min: number; max: number };
  /** Whether the till chimes when a payment is confirmed. */
  paidSound: boolean;
  /** Whether the till asks for tips (the options come with each sale's TillSale). */
  tipsEnabled: boolean;
  /** Whether the customer display is on. */
  customerDisplay: boolean;
  /** The receipt printer: off, ready (with jobs waiting), printing, or the last fault in words. */
  printer: PrinterStatus;
  /** The sync to the shop database: off, synced, n waiting, or the error. */
  sync: SyncStatusView;
}

/** What the till needs to show one Code payment of a sale. */
export interface CodePaymentView {
  saleId: number;
  tenderId: number;
  intentId: string;
  clientSecret: string;
  /** This payment's amount, integer hundredths of `currency` (a part of the sale's amount when it is split). */
  amount: number;
  currency: string;
  destination: string;
  mode: Mode;
  /** Where Code delivers this payment's webhook (null: status polling alone proves it); its secret path segment hidden on screens. */
  webhookUrl: string | null;
  /** "Code payment 2 of 3": this payment's place among the sale's Code payments, and how many it takes as planned now. */
  index: number;
  count: number;
}

/** The sale on the till, with the Code payment the customer can pay now. */
export interface TillSale {
  sale: Sale;
  /** The Code payment waiting for the customer, or null. */
  codePayment: CodePaymentView | null;
  /** Why no Code payment is offered (Code unavailable, below Code's minimum, the request refused), to show as is; null otherwise. */
  codeNote: string | null;
  /** While the sale waits for its tip (sale.awaitingTip): what is offered; null otherwise. */
  tipPrompt: TipPrompt | null;
}

/** Where the customer display is: the app opened its window; the preview gives the page's address (with its own token). */
export type CustomerDisplayOpened = { kind: 'window'; fullScreen: boolean } | { kind: 'url'; url: string } | { kind: 'off' };

export type ExportResult =
  | { kind: 'saved'; path: string; rows: number }
  | { kind: 'download'; url: string; rows: number }
  | { kind: 'cancelled' };

export interface ApiResults {
  getStatus: AppStatus;
  getSettings: Settings;
  updateSettings: Settings;
  charge: TillSale;
  chooseTip: TillSale;
  openCustomerDisplay: CustomerDisplayOpened;
  requestCodePayment: TillSale;
  scanCode: ScanCodeView;
  takeCash: TillSale;
  takeOther: TillSale;
  cancelSale: Sale;
  focusSale: null;
  currentSale: TillSale | null;
  simulatePayment: Sale;
  simulateCancel: Sale;
  reportButtonEvent: null;
  getSale: { sale: Sale; events: PaymentEvent[]; refunds: Refund[] };
  recentSales: Sale[];
  installCloudflared: { path: string };
  checkRail: RailHealth;
  listSales: SalesPage;
  salesTotals: CurrencyTotals[];
  salesChart: SalesChart;
  daySummary: DaySummary;
  exportCsv: ExportResult;
  printReceipt: PrintJob[];
  printDaySummary: PrintJob;
  printTest: PrintJob;
  openDrawer: DrawerOpening;
  retryPrint: PrintJob;
  printJobs: PrintJob[];
  saveReceiptPdf: { saved: false } | { saved: true; path: string };
  openLogFolder: { opened: boolean; path: string | null };
  sessionState: SessionView;
  signInChoices: SignInChoice[];
  signIn: SignInResult;
  lockTill: SessionView;
  touchSession: null;
  createOwner: SignInResult;
  listPeople: Person[];
  addPerson: Person;
  updatePerson: Person;
  setPin: Person;
  changeOwnPin: null;
  changePaymentSetup: Settings;
  auditLog: AuditPage;
  exportAudit: ExportResult;
  currentShift: ShiftReport | null;
  openShift: Shift;
  closeShift: ShiftReport;
  shiftReport: ShiftReport;
  listShifts: Shift[];
  printShiftReport: PrintJob;
  refundSale: { sale: Sale; refund: Refund; printJobs: PrintJob[] };
  voidSale: { sale: Sale; refunds: Refund[] };
  printRefund: PrintJob;
  testShopDatabase: ShopDatabaseTest;
  shopTills: ShopTill[];
  shopSales: ShopSalesPage;
  shopTotals: CurrencyTotals[];
  shopChart: SalesChart;
  shopDaySummary: DaySummary;
  /** The same shapes as getSale's, the sale saying its till. */
  shopSale: { sale: ShopSale; events: PaymentEvent[]; refunds: Refund[] };
  hostShopDatabase: Settings;
  shopHost: ShopHostView | null;
}
