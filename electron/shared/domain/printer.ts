// The receipt printer (SPEC §8): a network ESC/POS printer on TCP (port 9100
// as a rule; Epson-compatible or Star), or a system printer through
// Electron's silent print. Receipts print from a durable queue, so a printer
// fault never touches a sale: the receipt waits for a retry or a reprint.

export const PAPER_WIDTHS = [58, 80] as const;
export type PaperWidth = (typeof PAPER_WIDTHS)[number];
/** Characters per line in the printer's standard font (12×24 dots): 384 dots on 58 mm paper, 576 on 80 mm. */
export const PAPER_COLUMNS: Record<PaperWidth, number> = { 58: 32, 80: 48 };

export const PRINTER_KINDS = ['none', 'network', 'system'] as const;
export type PrinterKind = (typeof PRINTER_KINDS)[number];
/** The command set a network printer speaks: Epson's ESC/POS (and its many compatibles) or Star's. */
export const PRINTER_MODELS = ['epson', 'star'] as const;
export type PrinterModel = (typeof PRINTER_MODELS)[number];

export const MAX_RECEIPT_TEXT_LINES = 4;
export const MAX_RECEIPT_LINE_LENGTH = 48;

export interface PrinterSettings {
  kind: PrinterKind;
  /** Network printer: host name or IP address, and TCP port (9100 unless told). */
  host: string;
  port: number;
  model: PrinterModel;
  /** System printer: the device name as the operating system lists it. */
  systemName: string;
  paperWidth: PaperWidth;
  /** Print the receipt when a sale is paid (off by default). */
  autoPrint: boolean;
  /** Which copies a sale's receipt prints: the customer's, the shop's, or both. */
  copies: { customer: boolean; shop: boolean };
  /** Lines printed under the shop name, and at the foot of every receipt. */
  header: string[];
  footer: string[];
  /** Kick the cash drawer (through the printer, ESC p) when a cash tender is taken. */
  drawerOnCash: boolean;
}

export const DEFAULT_PRINTER_SETTINGS: PrinterSettings = {
  kind: 'none',
  host: '',
  port: 9100,
  model: 'epson',
  systemName: '',
  paperWidth: 80,
  autoPrint: false,
  copies: { customer: true, shop: false },
  header: [],
  footer: ['Thank you!'],
  drawerOnCash: true,
};

/**
 * What one print job is: a sale's receipt (one copy), the end-of-day report,
 * a test receipt, a drawer kick with nothing printed, a refund's receipt, or
 * a shift's Z-report.
 */
export const PRINT_JOB_KINDS = ['receipt', 'day-summary', 'test', 'drawer', 'refund', 'shift-report'] as const;
export type PrintJobKind = (typeof PRINT_JOB_KINDS)[number];
/** Why it was queued: automatic (a sale paid with auto-print on, a refund or a shift's close with a printer set), asked for (reprint, test, end of day), a cash tender (drawer), No sale (drawer). */
export const PRINT_JOB_REASONS = ['auto', 'manual', 'cash', 'no-sale'] as const;
export type PrintJobReason = (typeof PRINT_JOB_REASONS)[number];
export const PRINT_JOB_STATES = ['queued', 'printing', 'printed', 'failed'] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];
export type ReceiptCopy = 'customer' | 'shop';

export interface PrintJob {
  id: number;
  kind: PrintJobKind;
  reason: PrintJobReason;
  saleId: number | null;
  copy: ReceiptCopy | null;
  /** End of day: the shop-time date it reports. */
  date: string | null;
  /** A refund's receipt: the refund. */
  refundId: number | null;
  /** A Z-report: the shift. */
  shiftId: number | null;
  state: PrintJobState;
  attempts: number;
  /** The last failure, in the cashier's words ("The printer at 192.168.1.50:9100 is out of paper."). */
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  printedAt: number | null;
}

/** The printer as the status bar and the till see it. */
export type PrinterStatus =
  | { state: 'off' }
  | { state: 'ready'; queued: number }
  | { state: 'printing'; queued: number }
  | { state: 'error'; message: string; queued: number; failed: number };

/** A drawer opening: for a cash tender (with its sale) or "No sale", recorded with the time, who opened it and the shift. */
export interface DrawerOpening {
  id: number;
  at: number;
  reason: 'cash' | 'no-sale';
  saleId: number | null;
  /** Who opened it (for cash: who took the tender); null before the owner existed. */
  personId: number | null;
  /** The shift open at the time, or null. */
  shiftId: number | null;
}
