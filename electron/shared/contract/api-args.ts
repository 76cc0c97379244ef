// The argument schema of every API method. Main validates every argument with
// these before anything runs; the renderer only ever sends what they admit.
import { z } from 'zod';
import { MAX_AMOUNT_HUNDREDTHS } from '../domain/money';
import { salesFilterShape } from '../domain/sales-filter';
import { MAX_RECEIPT_LINE_LENGTH, MAX_RECEIPT_TEXT_LINES, PAPER_WIDTHS, PRINTER_KINDS, PRINTER_MODELS } from '../domain/printer';
import { MAX_TIP_PERCENT, MAX_TIP_PRESETS } from '../domain/tip';
import { tunnelModePatchSchema } from '../domain/tunnel';
import { AUDIT_ACTIONS } from '../domain/audit';
import { MAX_PERSON_NAME, PIN_MAX_DIGITS } from '../domain/people';
import { MAX_REFUND_NOTE, REFUND_METHODS } from '../domain/refund';
import { CONTROL_CHARACTER, MAX_TILL_NAME } from '../domain/shop-view';

const saleId = z.number().int().positive();
/** Integer hundredths: no decimal amount crosses the boundary. */
const hundredths = z.number().int('must be a whole number of hundredths').min(0).max(MAX_AMOUNT_HUNDREDTHS);
const tipPercent = z.number().int('must be a whole percent').min(1, 'at least 1 %').max(MAX_TIP_PERCENT, `at most ${MAX_TIP_PERCENT} %`);

/** A tip choice as it crosses the boundary (from the till or the customer display); the core checks it against the sale. */
export const tipChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), percent: tipPercent }).strict(),
  z.object({ kind: z.literal('amount'), amount: hundredths }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);

/** A printed line the owner writes (header, footer): printable characters only, no control bytes reach the printer. */
const receiptTextLine = z
  .string()
  .max(MAX_RECEIPT_LINE_LENGTH, `at most ${MAX_RECEIPT_LINE_LENGTH} characters a line`)
  // eslint-disable-next-line no-control-regex
  .refine((line) => !/[\u0000-\u001f\u007f-\u009f]/.test(line), 'letters, digits and punctuation only');

export const printerSettingsSchema = z
  .object({
    kind: z.enum(PRINTER_KINDS),
    host: z.string().trim().max(253),
    port: z.number().int().min(1).max(65535),
    model: z.enum(PRINTER_MODELS),
    systemName: z.string().trim().max(200),
    paperWidth: z.union(PAPER_WIDTHS.map((w) => z.literal(w)) as [z.ZodLiteral<58>, z.ZodLiteral<80>]),
    autoPrint: z.boolean(),
    copies: z.object({ customer: z.boolean(), shop: z.boolean() }).strict(),
    header: z.array(receiptTextLine).max(MAX_RECEIPT_TEXT_LINES),
    footer: z.array(receiptTextLine).max(MAX_RECEIPT_TEXT_LINES),
    drawerOnCash: z.boolean(),
  })
  .strict();

export const tipSettingsSchema = z
  .object({
    enabled: z.boolean(),
    presets: z
      .array(tipPercent)
      .max(MAX_TIP_PRESETS, `at most ${MAX_TIP_PRESETS} presets`)
      .refine((list) => new Set(list).size === list.length, 'each preset once'),
    custom: z.boolean(),
  })
  .strict();

export const settingsPatch = z
  .object({
    mode: z.enum(['live', 'sandbox']),
    depositAddress: z.string().trim().max(100).nullable(),
    currency: z.string().trim().max(8),
    shopName: z.string().trim().max(80),
    /** This till's own name in the shop view ("Front counter"); empty: none, its id tells it apart. */
    tillName: z
      .string()
      .trim()
      .max(MAX_TILL_NAME, `at most ${MAX_TILL_NAME} characters`)
      .refine((name) => !CONTROL_CHARACTER.test(name), 'letters, digits and punctuation only, no tabs or line breaks'),
    tunnel: tunnelModePatchSchema,
    confirmAbove: hundredths,
    receiptDetails: z.boolean(),
    /** The largest single Code payment in the shop's currency, in hundredths; null goes back to Code's table. */
    codeMaximum: hundredths.nullable(),
    /** Sandbox only: false makes the sandbox answer as a sequencer without Code's payment service (rehearsing an outage). */
    sandboxPaymentService: z.boolean(),
    /** Whether the till asks for a tip, and what it offers. */
    tips: tipSettingsSchema,
    /** Whether the customer display opens (full screen on a second display when one is connected). */
    customerDisplay: z.boolean(),
    /** A short sound on the till when a payment is confirmed. */
    paidSound: z.boolean(),
    /** The receipt printer and what it prints. */
    printer: printerSettingsSchema,
    /**
     * The shop's PostgreSQL database: its URL without the password (null: none),
     * and the password apart (omitted: keep the saved one; null: forget it).
     */
    shopDatabase: z
      .object({ url: z.string().trim().max(500).nullable(), password: z.string().max(200).nullable().optional() })
      .strict(),
    /** The till locks after this many minutes without use (0: only on demand). */
    lockAfterMinutes: z.number().int('whole minutes').min(0).max(240, 'at most 240 minutes'),
  })
  .partial()
  .strict();
export type SettingsPatch = z.input<typeof settingsPatch>;

/**
 * What updateSettings takes through the API: every setting but the deposit
 * address and the live/sandbox switch, which go through changePaymentSetup
 * with the owner's PIN and a confirmation.
 */
export const apiSettingsPatch = settingsPatch.omit({ mode: true, depositAddress: true });

/**
 * A PIN as typed: only its shape here (a string of at most 8 characters);
 * the core says what is wrong with it in words (digits only, 4 to 8, not
 * 1111 or 1234) and never echoes it.
 */
const pin = z.string().max(PIN_MAX_DIGITS + 8);
const personId = z.number().int().positive();
const recordId = z.number().int().positive();
const personName = z.string().trim().min(1, 'give a name').max(MAX_PERSON_NAME, `at most ${MAX_PERSON_NAME} characters`);
/** One till of the shop database (its id); absent or null: every till. */
const shopTillId = z.string().uuid('is not a till id').nullish();
const note = z.string().trim().min(1).max(MAX_REFUND_NOTE, `at most ${MAX_REFUND_NOTE} characters`);

/** Argument schemas, one per method. `z.undefined()` methods take no argument. */
export const API_ARGS = {
  getStatus: z.undefined(),
  getSettings: z.undefined(),
  updateSettings: apiSettingsPatch,
  /** Rings up a sale and, when Code can take it, its first Code payment. */
  charge: z.object({ amount: hundredths, currency: z.string().max(8).optional() }).strict(),
  /** The tip of a sale waiting for one, chosen by the cashier; then its first Code payment starts. */
  chooseTip: z.object({ saleId, choice: tipChoiceSchema }).strict(),
  /** Shows the customer display: the app opens (or brings back) its window; the preview answers the page's address. */
  openCustomerDisplay: z.undefined(),
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
  /** Prints a sale's receipt on the receipt printer (a reprint from the log): the settings' copies unless told. */
  printReceipt: z.object({ saleId, copy: z.enum(['customer', 'shop', 'both']).optional() }).strict(),
  /** Prints the end-of-day report of a shop-time date on the receipt printer. */
  printDaySummary: z.object({ date: z.string().max(10), mode: z.enum(['live', 'sandbox', 'all']).optional() }).strict(),
  /** Prints a test receipt with the saved printer settings. */
  printTest: z.undefined(),
  /** "No sale": opens the cash drawer through the printer, recorded in the day's log. */
  openDrawer: z.undefined(),
  /** Sends a failed print job again (the same job: a retry prints once). */
  retryPrint: z.object({ jobId: saleId }).strict(),
  /** The print queue: jobs waiting or failed, and the latest printed. */
  printJobs: z.object({ limit: z.number().int().min(1).max(100) }).strict(),
  /** Saves the receipt on screen as a PDF (the app only; the preview uses the browser's print dialog). */
  saveReceiptPdf: z.object({ saleId }).strict(),
  /** Opens the folder of the log file in the system's file manager (the app); the preview answers the path. */
  openLogFolder: z.undefined(),

  /** Who is signed in, whether the till is locked, and whether roles apply yet (setup). */
  sessionState: z.undefined(),
  /** The active people the lock screen offers (names and roles only). */
  signInChoices: z.undefined(),
  /** Signs a person in with their PIN (delays and a lockout after failed tries). */
  signIn: z.object({ personId, pin }).strict(),
  /** Locks the till at once (signs the person out). */
  lockTill: z.undefined(),
  /** The till is in use (a key or a tap): pushes the idle lock back. */
  touchSession: z.undefined(),
  /** The first step of going live or changing a setting: the owner, who is signed in at once. Only while there is none. */
  createOwner: z.object({ name: personName, pin }).strict(),
  listPeople: z.undefined(),
  addPerson: z.object({ name: personName, role: z.enum(['cashier', 'manager']), pin }).strict(),
  /** Renames a person, changes a cashier or manager's role, or removes them (inactive: they stay on their records). */
  updatePerson: z
    .object({ personId, name: personName.optional(), role: z.enum(['cashier', 'manager']).optional(), active: z.boolean().optional() })
    .strict(),
  /** The owner sets a person's PIN (and lifts a lockout). */
  setPin: z.object({ personId, pin }).strict(),
  /** Anyone signed in changes their own PIN, giving the current one. */
  changeOwnPin: z.object({ currentPin: pin, newPin: pin }).strict(),
  /**
   * The deposit address and the live/sandbox switch: the owner's PIN again,
   * and, when the address payments go to changes or the till goes live, the
   * last four characters of that address typed back.
   */
  changePaymentSetup: z
    .object({
      mode: z.enum(['live', 'sandbox']),
      depositAddress: z.string().trim().max(100).nullable(),
      ownerPin: pin,
      lastFour: z.string().trim().max(8).optional(),
    })
    .strict(),
  /** The audit log, newest first, optionally one action. */
  auditLog: z
    .object({ cursor: z.string().max(64).nullish(), limit: z.number().int().min(1).max(200).optional(), action: z.enum(AUDIT_ACTIONS).optional() })
    .strict(),
  /** Writes the whole audit log as CSV: a file the owner picks in the app, a download in the preview. */
  exportAudit: z.undefined(),

  /** The open shift with its live Z-report; null when none is open. */
  currentShift: z.undefined(),
  /** Opens a shift with the counted float. */
  openShift: z.object({ float: hundredths }).strict(),
  /** Closes the open shift with the counted cash: answers its Z-report, kept and printed when a printer is set. */
  closeShift: z.object({ countedCash: hundredths }).strict(),
  shiftReport: z.object({ shiftId: recordId }).strict(),
  /** Shifts, newest first (the managers' list of kept Z-reports). */
  listShifts: z.object({ limit: z.number().int().min(1).max(100), beforeId: recordId.optional() }).strict(),
  printShiftReport: z.object({ shiftId: recordId }).strict(),
  /** Records money handed back against a paid sale: full or partial. */
  refundSale: z
    .object({ saleId, amount: hundredths.refine((n) => n > 0, 'must be more than zero'), method: z.enum(REFUND_METHODS), note: note.optional() })
    .strict(),
  /** Closes an open sale as a manager: one a cashier may not cancel, or a partly paid one, with what it took handed back. */
  voidSale: z.object({ saleId, reason: note, method: z.enum(REFUND_METHODS).optional(), note: note.optional() }).strict(),
  printRefund: z.object({ refundId: recordId }).strict(),
  /** Connects to a shop database (upgrading its schema as any connect does) and says what it found; saves nothing. Without a password, the saved one. */
  testShopDatabase: z.object({ url: z.string().trim().min(1, 'give the address').max(500), password: z.string().max(200).nullable().optional() }).strict(),
  /** The tills that have sent their sales to the shop database. */
  shopTills: z.undefined(),
  /** The sales log across tills (or one, `tillId`), read from the shop database: the same filter and keyset pages as listSales. */
  shopSales: z.object({ filter: salesFilterShape, tillId: shopTillId, cursor: z.string().max(128).nullish(), limit: z.number().int().min(1).max(200).optional() }).strict(),
  shopTotals: z.object({ filter: salesFilterShape, tillId: shopTillId }).strict(),
  shopChart: z.object({ filter: salesFilterShape, tillId: shopTillId }).strict(),
  shopDaySummary: z.object({ date: z.string().max(10), mode: z.enum(['live', 'sandbox', 'all']).optional(), tillId: shopTillId }).strict(),
  /** One sale of any till, read from the shop database as that till's getSale answers it: the owner's read-only detail. */
  shopSale: z.object({ tillId: z.string().uuid('is not a till id'), saleId }).strict(),
  /** This till starts hosting the shop database on `port` (its own PostgreSQL, on the shop's network, TLS, a generated password), or stops (null). */
  hostShopDatabase: z.object({ port: z.number().int().min(1024, 'a port from 1024 to 65535').max(65535, 'a port from 1024 to 65535').nullable() }).strict(),
  /** The hosted shop database's state, and what the other tills type to join it (null when this till hosts none). */
  shopHost: z.undefined(),
} as const;
