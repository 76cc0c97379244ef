// The settings form as plain data: what the owner typed, the patch of what
// changed, and the checks that can run before anything is sent. The main
// process checks everything again and its per-field messages win.
import type { ApiArgs, Settings, TunnelModeView } from '../../../electron/shared/contract';
import { currencyDecimals, formatMoney, hundredthsToDecimalString, parseAmountText } from '../../../electron/shared/domain/money';
import { defaultConfirmAbove } from '../../../electron/shared/domain/payment-limits';
import { MAX_RECEIPT_LINE_LENGTH, MAX_RECEIPT_TEXT_LINES, type PaperWidth, type PrinterKind, type PrinterModel, type PrinterSettings } from '../../../electron/shared/domain/printer';
import { tillNameProblem } from '../../../electron/shared/domain/shop-view';
import { MAX_TIP_PERCENT, MAX_TIP_PRESETS } from '../../../electron/shared/domain/tip';
import { tunnelModePatchSchema, type TunnelModePatch } from '../../../electron/shared/domain/tunnel';
import { fullTime } from '../common/shop-time';

export interface SettingsForm {
  currency: string;
  shopName: string;
  /** This till's name as typed ("Front counter"); empty: none. */
  tillName: string;
  tunnelKind: TunnelModeView['kind'];
  /** A new named-tunnel token; empty keeps the saved one (the till never shows it). */
  tunnelToken: string;
  /** The named tunnel's public URL, or the fixed URL: one input serves both. */
  tunnelUrl: string;
  /** The idle lock in whole minutes as typed ("5"; "0" locks only on demand). */
  lockAfterMinutes: string;
  /** The large-amount threshold as typed, in units of `currency` ("1000", "0" to turn it off). */
  confirmAbove: string;
  receiptDetails: boolean;
  /** The largest single Code payment as typed, in units of the saved currency ("1", "5.00"). */
  codeMaximum: string;
  /** "Use Code's table" was pressed: the save sends codeMaximum null, and the main process goes back to the table. */
  codeMaximumTable: boolean;
  /** Sandbox: whether it answers as Code with its payment service (false rehearses an outage). */
  sandboxPaymentService: boolean;
  /** Tips: whether the till asks for one. */
  tipsEnabled: boolean;
  /** The presets as typed, one slot each (MAX_TIP_PRESETS slots; an empty slot is no preset): "15". */
  tipPresets: string[];
  /** Whether the customer (or the cashier) may type another amount. */
  tipCustom: boolean;
  customerDisplay: boolean;
  paidSound: boolean;
  /** The receipt printer: none, a network printer (address, port, model) or a system printer (its name). */
  printerKind: PrinterKind;
  printerHost: string;
  /** The port as typed ("9100"). */
  printerPort: string;
  printerModel: PrinterModel;
  printerSystemName: string;
  printerPaperWidth: PaperWidth;
  printerAutoPrint: boolean;
  printerCopyCustomer: boolean;
  printerCopyShop: boolean;
  /** The header and footer lines as typed, one line of the text a printed line. */
  printerHeader: string;
  printerFooter: string;
  printerDrawerOnCash: boolean;
  /** The shop database's address as typed (postgres://user@host:port/database); empty: none. */
  shopDatabaseUrl: string;
  /** A new password for it; empty keeps the saved one (the till never shows it). */
  shopDatabasePassword: string;
}

/** The settings keys the main process reports `fields` under; each has an error slot `field-error-<key>`. */
export type SettingsField =
  | 'currency'
  | 'shopName'
  | 'tillName'
  | 'tunnel'
  | 'lockAfterMinutes'
  | 'confirmAbove'
  | 'receiptDetails'
  | 'codeMaximum'
  | 'sandboxPaymentService'
  | 'tips'
  | 'customerDisplay'
  | 'paidSound'
  /** The printer section: its kind, and what no other slot takes. */
  | 'printer'
  | 'printerAddress'
  | 'printerSystemName'
  | 'printerCopies'
  | 'printerHeader'
  | 'printerFooter'
  /** The shop database: `shopDatabase.url` and `shopDatabase.password` from the main process. */
  | 'shopDatabaseUrl'
  | 'shopDatabasePassword';
export type FieldErrors = Partial<Record<SettingsField, string>>;
export const SETTINGS_FIELDS: readonly SettingsField[] = [
  'currency',
  'shopName',
  'tillName',
  'lockAfterMinutes',
  'confirmAbove',
  'receiptDetails',
  'tips',
  'customerDisplay',
  'paidSound',
  'codeMaximum',
  'sandboxPaymentService',
  'tunnel',
  'printer',
  'printerAddress',
  'printerSystemName',
  'printerCopies',
  'printerHeader',
  'printerFooter',
  'shopDatabaseUrl',
  'shopDatabasePassword',
];

/** 100000 → "1000"; 125050 → "1250.50"; 10000000 (yen) → "100000": an amount as the owner would type it. */
export function amountText(hundredths: number): string {
  return hundredthsToDecimalString(hundredths).replace(/\.00$/, '');
}

/** What the threshold field shows for `currency` before the owner types in it: the saved value, or the new currency's default. */
function untouchedConfirmText(currency: string, saved: Settings): string {
  return amountText(currency === saved.currency ? saved.confirmAbove : defaultConfirmAbove(currency));
}

export function formFromSettings(s: Settings): SettingsForm {
  return {
    currency: s.currency,
    shopName: s.shopName,
    tillName: s.tillName,
    tunnelKind: s.tunnel.kind,
    tunnelToken: '',
    tunnelUrl: s.tunnel.kind === 'named' ? s.tunnel.publicUrl : s.tunnel.kind === 'fixed' ? s.tunnel.url : '',
    lockAfterMinutes: String(s.lockAfterMinutes),
    confirmAbove: untouchedConfirmText(s.currency, s),
    receiptDetails: s.receiptDetails,
    codeMaximum: amountText(s.codeMaximum.amount),
    codeMaximumTable: false,
    sandboxPaymentService: s.sandboxPaymentService,
    tipsEnabled: s.tips.enabled,
    tipPresets: Array.from({ length: MAX_TIP_PRESETS }, (_, i) => (s.tips.presets[i] === undefined ? '' : String(s.tips.presets[i]))),
    tipCustom: s.tips.custom,
    customerDisplay: s.customerDisplay,
    paidSound: s.paidSound,
    ...printerFormOf(s.printer),
    shopDatabaseUrl: s.shopDatabase.url ?? '',
    shopDatabasePassword: '',
  };
}

type PrinterForm = Pick<
  SettingsForm,
  | 'printerKind'
  | 'printerHost'
  | 'printerPort'
  | 'printerModel'
  | 'printerSystemName'
  | 'printerPaperWidth'
  | 'printerAutoPrint'
  | 'printerCopyCustomer'
  | 'printerCopyShop'
  | 'printerHeader'
  | 'printerFooter'
  | 'printerDrawerOnCash'
>;

function printerFormOf(p: PrinterSettings): PrinterForm {
  return {
    printerKind: p.kind,
    printerHost: p.host,
    printerPort: String(p.port),
    printerModel: p.model,
    printerSystemName: p.systemName,
    printerPaperWidth: p.paperWidth,
    printerAutoPrint: p.autoPrint,
    printerCopyCustomer: p.copies.customer,
    printerCopyShop: p.copies.shop,
    printerHeader: p.header.join('\n'),
    printerFooter: p.footer.join('\n'),
    printerDrawerOnCash: p.drawerOnCash,
  };
}

/** The lines of a header or footer as typed: trailing spaces and empty lines at the end dropped (an empty line between two is kept: it spaces them). */
export function receiptLinesOf(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The port as typed, or NaN when it is not a whole number (checkForm says so; NaN never passes the main process). */
export function printerPortOf(form: Pick<SettingsForm, 'printerPort'>): number {
  const t = form.printerPort.trim();
  return /^\d{1,5}$/.test(t) ? Number(t) : Number.NaN;
}

/** The printer settings the form says, in the contract's shape (whole: the main process stores the printer as one setting). */
export function printerFromForm(form: PrinterForm): PrinterSettings {
  return {
    kind: form.printerKind,
    host: form.printerHost.trim(),
    port: printerPortOf(form),
    model: form.printerModel,
    systemName: form.printerSystemName.trim(),
    paperWidth: form.printerPaperWidth,
    autoPrint: form.printerAutoPrint,
    copies: { customer: form.printerCopyCustomer, shop: form.printerCopyShop },
    header: receiptLinesOf(form.printerHeader),
    footer: receiptLinesOf(form.printerFooter),
    drawerOnCash: form.printerDrawerOnCash,
  };
}

function samePrinter(a: PrinterSettings, b: PrinterSettings): boolean {
  return (
    a.kind === b.kind &&
    a.host === b.host &&
    a.port === b.port &&
    a.model === b.model &&
    a.systemName === b.systemName &&
    a.paperWidth === b.paperWidth &&
    a.autoPrint === b.autoPrint &&
    a.copies.customer === b.copies.customer &&
    a.copies.shop === b.copies.shop &&
    a.drawerOnCash === b.drawerOnCash &&
    a.header.length === b.header.length &&
    a.header.every((l, i) => l === b.header[i]) &&
    a.footer.length === b.footer.length &&
    a.footer.every((l, i) => l === b.footer[i])
  );
}

/** The printer to save: a port typed wrong in a hidden field (the kind is not a network printer) keeps the saved one instead of blocking the save. */
function printerToSave(form: SettingsForm, saved: Settings): PrinterSettings {
  const p = printerFromForm(form);
  return p.kind !== 'network' && Number.isNaN(p.port) ? { ...p, port: saved.printer.port } : p;
}

/** Whether the printer part of the form differs from the saved printer (a test receipt prints with the saved one). */
export function printerChanged(form: SettingsForm, saved: Settings): boolean {
  return !samePrinter(printerToSave(form, saved), saved.printer);
}

/** A host name or an IP address (v4, or v6 without brackets): letters, digits, dots, hyphens, colons. */
const HOST = /^[A-Za-z0-9.:-]+$/;

/** Why a header or footer cannot be printed, in the owner's words, or null. The main process checks the same limits. */
export function receiptLinesProblem(text: string, where: 'header' | 'footer'): string | null {
  const lines = receiptLinesOf(text);
  if (lines.length > MAX_RECEIPT_TEXT_LINES) return `At most ${MAX_RECEIPT_TEXT_LINES} lines in the ${where}: this one has ${lines.length}.`;
  const long = lines.findIndex((l) => l.length > MAX_RECEIPT_LINE_LENGTH);
  if (long >= 0) return `Line ${long + 1} is ${lines[long]!.length} characters: at most ${MAX_RECEIPT_LINE_LENGTH} fit on a line.`;
  // eslint-disable-next-line no-control-regex
  const control = lines.findIndex((l) => /[\u0000-\u001f\u007f-\u009f]/.test(l));
  if (control >= 0) return `Line ${control + 1} holds a control character: letters, digits and punctuation only.`;
  return null;
}

/** The printer checks the renderer can make alone, by slot. */
function printerProblems(form: SettingsForm): FieldErrors {
  const errors: FieldErrors = {};
  const p = printerFromForm(form);
  if (p.kind === 'network') {
    const port = p.port;
    if (!p.host) errors.printerAddress = "Give the printer's network address, like 192.168.1.50 (it prints it on its self-test page).";
    else if (p.host.length > 253 || !HOST.test(p.host)) errors.printerAddress = 'An address is an IP address or a host name without spaces, like 192.168.1.50.';
    else if (!Number.isInteger(port) || port < 1 || port > 65535) errors.printerAddress = 'The port is a whole number from 1 to 65535 (receipt printers use 9100).';
  }
  if (p.kind === 'system' && !p.systemName) errors.printerSystemName = 'Give the printer’s name as this computer lists it.';
  if (p.kind !== 'none' && !p.copies.customer && !p.copies.shop) errors.printerCopies = 'Choose at least one copy to print.';
  const header = receiptLinesProblem(form.printerHeader, 'header');
  if (header) errors.printerHeader = header;
  const footer = receiptLinesProblem(form.printerFooter, 'footer');
  if (footer) errors.printerFooter = footer;
  return errors;
}

/** The settings fields whose error slots a change to these form keys clears. */
export function slotsOf(keys: readonly string[]): SettingsField[] {
  const slots = new Set<SettingsField>();
  for (const k of keys) {
    if (k.startsWith('tunnel')) slots.add('tunnel');
    else if (k.startsWith('codeMaximum')) slots.add('codeMaximum');
    else if (k.startsWith('tip')) slots.add('tips');
    else if (k.startsWith('printer')) {
      // The kind decides which fields count, so choosing another clears them all.
      const slot = printerSlotOf(k.slice('printer'.length));
      slots.add('printer');
      if (k === 'printerKind') for (const f of SETTINGS_FIELDS) if (f.startsWith('printer')) slots.add(f);
      if (slot !== 'printer') slots.add(slot);
    } else if ((SETTINGS_FIELDS as readonly string[]).includes(k)) slots.add(k as SettingsField);
  }
  return [...slots];
}

/** "Host", "Port" (the form's keys) or "host", "port", "header.2" (the main process's paths) → the slot that shows it. */
function printerSlotOf(rest: string): SettingsField {
  const part = rest.replace(/^\./, '').split('.')[0]!.toLowerCase();
  if (part === 'host' || part === 'port') return 'printerAddress';
  if (part === 'systemname') return 'printerSystemName';
  if (part === 'copies' || part === 'copycustomer' || part === 'copyshop') return 'printerCopies';
  if (part === 'header') return 'printerHeader';
  if (part === 'footer') return 'printerFooter';
  return 'printer';
}

/** The presets typed, in order, empty slots left out; null when one is not a whole number (checkForm says which). */
export function tipPresetsOf(form: Pick<SettingsForm, 'tipPresets'>): number[] | null {
  const out: number[] = [];
  for (const text of form.tipPresets) {
    const t = text.trim().replace(/\s*%$/, '');
    if (t === '') continue;
    if (!/^\d{1,3}$/.test(t)) return null;
    out.push(Number(t));
  }
  return out;
}

/** Why the tip presets cannot be saved, in the owner's words, or null. The main process checks the same rules again. */
export function tipPresetsProblem(form: Pick<SettingsForm, 'tipPresets' | 'tipsEnabled' | 'tipCustom'>): string | null {
  const presets = tipPresetsOf(form);
  if (presets === null) return `Each preset is a whole percent from 1 to ${MAX_TIP_PERCENT}, like 15.`;
  const outside = presets.find((p) => p < 1 || p > MAX_TIP_PERCENT);
  if (outside !== undefined) return `${outside} % is not a preset: each is from 1 to ${MAX_TIP_PERCENT} %.`;
  const twice = presets.find((p, i) => presets.indexOf(p) !== i);
  if (twice !== undefined) return `${twice} % is there twice: give each preset once.`;
  if (form.tipsEnabled && presets.length === 0 && !form.tipCustom) return 'Give at least one preset, or allow another amount.';
  return null;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The form with "Use Code's table" pressed: the table's figure shows, and the save hands the choice back to Code's table. */
export function withCodeTable(form: SettingsForm, saved: Settings): SettingsForm {
  return { ...form, codeMaximum: amountText(saved.codeMaximum.tableAmount), codeMaximumTable: true };
}

/** Where the maximum came from, in the owner's words. */
export function maximumSource(saved: Settings, timeZone: string): string {
  const m = saved.codeMaximum;
  if (m.source === 'code-table') return "From Code's table.";
  if (m.source === 'sequencer') return `Learned from Code${m.at !== null ? ` on ${fullTime(m.at, timeZone)}` : ''}: it refused a larger payment and named this maximum.`;
  return `Set by you. Code's table says ${formatMoney(m.tableAmount, saved.currency)}.`;
}

/** The typed maximum in hundredths, or null when the text is not an amount of the saved currency. */
export function codeMaximumOf(form: SettingsForm, saved: Settings): number | null {
  return parseAmountText(form.codeMaximum.trim(), saved.currency);
}

/**
 * The form with another currency chosen. The threshold is an amount in the
 * currency, so 1,000 dollars must not silently become 1,000 yen: a threshold
 * the owner has not edited follows the currency (to its default, about
 * US$1,000, as the main process does); one they typed stays as typed.
 */
export function withCurrency(form: SettingsForm, currency: string, saved: Settings): SettingsForm {
  const untouched = form.confirmAbove === untouchedConfirmText(form.currency, saved);
  return { ...form, currency, confirmAbove: untouched ? untouchedConfirmText(currency, saved) : form.confirmAbove };
}

/** The threshold in hundredths, or null when the text is not an amount of the currency. */
export function confirmAboveOf(form: SettingsForm): number | null {
  const text = form.confirmAbove.trim();
  return text === '' ? 0 : parseAmountText(text, form.currency);
}

export function tunnelFromForm(form: SettingsForm): TunnelModePatch {
  switch (form.tunnelKind) {
    case 'named': {
      const token = form.tunnelToken.trim();
      return token ? { kind: 'named', token, publicUrl: form.tunnelUrl.trim() } : { kind: 'named', publicUrl: form.tunnelUrl.trim() };
    }
    case 'fixed':
      return { kind: 'fixed', url: form.tunnelUrl.trim() };
    default:
      return { kind: form.tunnelKind };
  }
}

/**
 * What updateSettings takes: every setting but the deposit address and the
 * live/sandbox switch, which change only with the owner's PIN
 * (changePaymentSetup, the payment setup dialog).
 */
export type SettingsPatch = NonNullable<ApiArgs<'updateSettings'>>;

export const MAX_LOCK_MINUTES = 240;

/** The idle lock as typed: whole minutes 0–240, or null. */
export function lockAfterMinutesOf(form: Pick<SettingsForm, 'lockAfterMinutes'>): number | null {
  const t = form.lockAfterMinutes.trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n <= MAX_LOCK_MINUTES ? n : null;
}

/** Only what differs from the saved settings, so a save never rewrites what the owner did not touch. */
export function settingsPatch(form: SettingsForm, saved: Settings): SettingsPatch {
  const patch: SettingsPatch = {};
  if (form.currency !== saved.currency) patch.currency = form.currency;
  if (form.shopName.trim() !== saved.shopName) patch.shopName = form.shopName.trim();
  if (form.tillName.trim() !== saved.tillName) patch.tillName = form.tillName.trim();
  const tunnel = tunnelFromForm(form);
  const unchanged =
    tunnel.kind === saved.tunnel.kind &&
    (tunnel.kind !== 'named' || (tunnel.token === undefined && saved.tunnel.kind === 'named' && tunnel.publicUrl === saved.tunnel.publicUrl)) &&
    (tunnel.kind !== 'fixed' || (saved.tunnel.kind === 'fixed' && tunnel.url === saved.tunnel.url));
  if (!unchanged) patch.tunnel = tunnel;
  if (form.lockAfterMinutes.trim() !== String(saved.lockAfterMinutes)) {
    // Unreadable text stays in the patch as NaN, so the save stops at checkForm's message.
    patch.lockAfterMinutes = lockAfterMinutesOf(form) ?? Number.NaN;
  }
  // A threshold left as it was is not sent: with a new currency the main process sets that currency's default.
  if (form.confirmAbove !== untouchedConfirmText(form.currency, saved)) {
    const confirmAbove = confirmAboveOf(form);
    // Unreadable text stays in the patch as NaN, so the save stops at checkForm's message (and NaN never passes the main process).
    if (confirmAbove === null) patch.confirmAbove = Number.NaN;
    else if (form.currency !== saved.currency || confirmAbove !== saved.confirmAbove) patch.confirmAbove = confirmAbove;
  }
  if (form.receiptDetails !== saved.receiptDetails) patch.receiptDetails = form.receiptDetails;
  // The maximum is the saved currency's: with a new currency chosen, it waits until that one is saved.
  if (form.currency === saved.currency) {
    if (form.codeMaximumTable) {
      if (saved.codeMaximum.source !== 'code-table') patch.codeMaximum = null;
    } else if (form.codeMaximum !== amountText(saved.codeMaximum.amount)) {
      const maximum = codeMaximumOf(form, saved);
      if (maximum === null) patch.codeMaximum = Number.NaN;
      else if (maximum !== saved.codeMaximum.amount) patch.codeMaximum = maximum;
    }
  }
  if (form.sandboxPaymentService !== saved.sandboxPaymentService) patch.sandboxPaymentService = form.sandboxPaymentService;
  // Tips go as one setting: on/off, the presets and custom together, as the main process stores them.
  const presets = tipPresetsOf(form);
  if (form.tipsEnabled !== saved.tips.enabled || form.tipCustom !== saved.tips.custom || presets === null || !sameList(presets, saved.tips.presets)) {
    // Unreadable presets stay in the patch as NaN, so the save stops at checkForm's message.
    patch.tips = { enabled: form.tipsEnabled, presets: presets ?? [Number.NaN], custom: form.tipCustom };
  }
  if (form.customerDisplay !== saved.customerDisplay) patch.customerDisplay = form.customerDisplay;
  if (form.paidSound !== saved.paidSound) patch.paidSound = form.paidSound;
  // The printer goes as one setting, as the main process stores it.
  const printer = printerToSave(form, saved);
  if (!samePrinter(printer, saved.printer)) patch.printer = printer;
  const shopDatabase = shopDatabasePatch(form, saved);
  if (shopDatabase) patch.shopDatabase = shopDatabase;
  return patch;
}

/**
 * The shop database part of the patch, or null when unchanged: the address
 * (empty: none, and the saved password is forgotten with it), and a new
 * password only when one is typed (omitted keeps the saved one).
 */
export function shopDatabasePatch(form: Pick<SettingsForm, 'shopDatabaseUrl' | 'shopDatabasePassword'>, saved: Settings): NonNullable<SettingsPatch['shopDatabase']> | null {
  const url = form.shopDatabaseUrl.trim() || null;
  const password = form.shopDatabasePassword;
  if (url === null) return saved.shopDatabase.url === null && !saved.shopDatabase.passwordSaved ? null : { url: null, password: null };
  if (url === saved.shopDatabase.url && password === '') return null;
  return password === '' ? { url } : { url, password };
}

/** Why the typed address cannot be a shop database, in the owner's words, or null. The main process checks it fully (TLS unless on this computer). */
export function shopDatabaseUrlProblem(text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  if (!/^postgres(ql)?:\/\//i.test(t)) return 'The address starts with postgres://, like postgres://counter@shop-server:5432/counter.';
  if (/\s/.test(t)) return 'The address has no spaces.';
  return null;
}

/** The checks the renderer can make alone; the main process checks everything again. */
export function checkForm(form: SettingsForm, patch: SettingsPatch, saved?: Settings): FieldErrors {
  const errors: FieldErrors = {};
  if (patch.lockAfterMinutes !== undefined && Number.isNaN(patch.lockAfterMinutes)) {
    errors.lockAfterMinutes = `Whole minutes from 0 to ${MAX_LOCK_MINUTES}: 0 locks the till only when someone presses Lock.`;
  }
  if (patch.shopName !== undefined && !form.shopName.trim()) errors.shopName = 'Give the shop a name; it is printed on receipts.';
  if (patch.tillName !== undefined) {
    const problem = tillNameProblem(form.tillName);
    if (problem) errors.tillName = problem;
  }
  if (patch.confirmAbove !== undefined && confirmAboveOf(form) === null) {
    const example = formatMoney(defaultConfirmAbove(form.currency), form.currency);
    errors.confirmAbove =
      currencyDecimals(form.currency) === 0
        ? `Type a whole amount in ${form.currency.toUpperCase()} (like ${example}), or 0 to never ask.`
        : `Type an amount in ${form.currency.toUpperCase()} with at most two decimals (like ${example}), or 0 to never ask.`;
  }
  if (typeof patch.codeMaximum === 'number' && saved) {
    const { minimum } = saved.codeMaximum;
    const code = saved.currency.toUpperCase();
    if (Number.isNaN(patch.codeMaximum)) {
      errors.codeMaximum =
        currencyDecimals(saved.currency) === 0
          ? `Type a whole amount in ${code}, like ${amountText(saved.codeMaximum.tableAmount)}.`
          : `Type an amount in ${code} with at most two decimals, like ${amountText(saved.codeMaximum.tableAmount)}.`;
    } else if (patch.codeMaximum < minimum) {
      errors.codeMaximum = `At least ${formatMoney(minimum, saved.currency)}, Code's minimum for one payment.`;
    }
  }
  if (patch.tips !== undefined) {
    const problem = tipPresetsProblem(form);
    if (problem) errors.tips = problem;
  }
  if (patch.tunnel !== undefined) {
    // The rule is shared's (the main process checks with the same schema); the words are for the owner.
    const checked = tunnelModePatchSchema.safeParse(patch.tunnel);
    if (!checked.success) {
      const field = checked.error.issues[0]?.path[0];
      errors.tunnel =
        field === 'token'
          ? 'Paste the whole tunnel token from Cloudflare (a long string without spaces).'
          : patch.tunnel.kind === 'named'
            ? 'The public URL must start with https:// (the hostname routed to this tunnel).'
            : 'The public URL must be a full address starting with https:// or http://.';
    }
  }
  if (patch.printer !== undefined) Object.assign(errors, printerProblems(form));
  if (patch.shopDatabase !== undefined) {
    const problem = shopDatabaseUrlProblem(form.shopDatabaseUrl);
    if (problem) errors.shopDatabaseUrl = problem;
  }
  return errors;
}

/** Main's `fields`, sorted into the form's slots; anything else stays in the summary message. */
export function fieldErrorsFrom(fields: Record<string, string> | undefined): FieldErrors {
  const errors: FieldErrors = {};
  for (const [key, message] of Object.entries(fields ?? {})) {
    const head = key.split('.')[0]!;
    const field = (head === 'printer' ? printerSlotOf(key.slice(head.length)) : head === 'shopDatabase' ? (key === 'shopDatabase.password' ? 'shopDatabasePassword' : 'shopDatabaseUrl') : head) as SettingsField;
    if (SETTINGS_FIELDS.includes(field)) errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  }
  return errors;
}
