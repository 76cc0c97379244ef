// The argument schema of every API method. Main validates every argument with
// these before anything runs; the renderer only ever sends what they admit.
import { z } from 'zod';
import { MAX_AMOUNT_HUNDREDTHS } from '../domain/money';
import { salesFilterShape } from '../domain/sales-filter';
import { tunnelModePatchSchema } from '../domain/tunnel';

const saleId = z.number().int().positive();
/** Integer hundredths: no decimal amount crosses the boundary. */
const hundredths = z.number().int('must be a whole number of hundredths').min(0).max(MAX_AMOUNT_HUNDREDTHS);

export const settingsPatch = z
  .object({
    mode: z.enum(['live', 'sandbox']),
    depositAddress: z.string().trim().max(100).nullable(),
    currency: z.string().trim().max(8),
    shopName: z.string().trim().max(80),
    tunnel: tunnelModePatchSchema,
    confirmAbove: hundredths,
    receiptDetails: z.boolean(),
    /** The largest single Code payment in the shop's currency, in hundredths; null goes back to Code's table. */
    codeMaximum: hundredths.nullable(),
    /** Sandbox only: false makes the sandbox answer as a sequencer without Code's payment service (rehearsing an outage). */
    sandboxPaymentService: z.boolean(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.input<typeof settingsPatch>;

/** Argument schemas, one per method. `z.undefined()` methods take no argument. */
export const API_ARGS = {
  getStatus: z.undefined(),
  getSettings: z.undefined(),
  updateSettings: settingsPatch,
  /** Rings up a sale and, when Code can take it, its first Code payment. */
  charge: z.object({ amount: hundredths, currency: z.string().max(8).optional() }).strict(),
  /** The sale's next Code payment ("2 of 3"), or the one already waiting. */
  requestCodePayment: z.object({ saleId }).strict(),
  /** The scan code of the sale's waiting Code payment, to draw on the till. */
  scanCode: z.object({ saleId, tenderId: saleId }).strict(),
  /** Cash handed over: pays up to what the sale still owes, the rest is change. A waiting Code payment is cancelled first. */
  takeCash: z.object({ saleId, tendered: hundredths.refine((n) => n > 0, 'must be more than zero') }).strict(),
  /** A labelled manual tender (a card on a separate terminal) for up to what the sale still owes. */
  takeOther: z
    .object({ saleId, amount: hundredths.refine((n) => n > 0, 'must be more than zero'), label: z.string().trim().min(1, 'say what it was').max(40) })
    .strict(),
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
  /** Asks the payment rail of the app's mode now whether it takes payment requests. */
  checkRail: z.undefined(),
  listSales: z.object({ filter: salesFilterShape, cursor: z.string().max(64).nullish(), limit: z.number().int().min(1).max(200).optional() }).strict(),
  salesTotals: z.object({ filter: salesFilterShape }).strict(),
  salesChart: z.object({ filter: salesFilterShape }).strict(),
  daySummary: z.object({ date: z.string().max(10), mode: z.enum(['live', 'sandbox', 'all']).optional() }).strict(),
  /** Writes the filtered sales as CSV: a file the user picks in the app, a download in the preview. */
  exportCsv: z.object({ filter: salesFilterShape }).strict(),
  /** Saves the receipt on screen as a PDF (the app only; the preview uses the browser's print dialog). */
  saveReceiptPdf: z.object({ saleId }).strict(),
  /** Opens the folder of the log file in the system's file manager (the app); the preview answers the path. */
  openLogFolder: z.undefined(),
} as const;
