import { randomBytes } from 'node:crypto';
import bs58 from 'bs58';
import { z } from 'zod';
import { printerSettingsSchema, settingsPatch, tipSettingsSchema, type CodeMaximumView, type Settings } from '../../shared/contract';
import { isDepositAddress } from '../../shared/domain/deposit-address';
import { formatMoney, MAX_AMOUNT_HUNDREDTHS, normalizeCurrency } from '../../shared/domain/money';
import { codeTableRange, defaultConfirmAbove, microPaymentLimit } from '../../shared/domain/payment-limits';
import { DEFAULT_PRINTER_SETTINGS, type PrinterSettings } from '../../shared/domain/printer';
import { CONTROL_CHARACTER, MAX_TILL_NAME } from '../../shared/domain/shop-view';
import { DEFAULT_TIP_SETTINGS } from '../../shared/domain/tip';
import { tunnelModeView, type TunnelMode } from '../../shared/domain/tunnel';
import { CounterError } from '../app/errors';
import type { AuditInput, Ledger } from '../ledger/ledger';
import { parseShopDatabaseUrl } from '../shop-db/connection';
import { ShopDbError } from '../shop-db/errors';
import { parseTunnelMode } from '../tunnel/tunnel-mode';
import type { SecretBox } from './secret-box';

/**
 * The shop's settings, kept in the ledger's settings table, plus the
 * per-install secrets generated on first start (the webhook path segment,
 * the sandbox deposit address, the listener port).
 */

/** A Code per-payment maximum that is not Code's table: learned from a refusal, or set by the owner. */
export interface StoredMaximum {
  /** Hundredths of the currency. */
  amount: number;
  source: 'sequencer' | 'owner';
  at: number;
}

/**
 * The settings as stored: the tunnel mode with its token, which only the
 * supervisor sees, and the Code maximum of every currency that has one
 * (the screens see only the shop currency's, with where it came from).
 */
export interface StoredSettings extends Omit<Settings, 'tunnel' | 'codeMaximum'> {
  tunnel: TunnelMode;
  /**
   * The shop database's password, kept apart from its URL: base64 of the
   * host's SecretBox when `shopDatabase.passwordEncrypted`, else as typed;
   * null when none is saved. Never in a view, an event or the audit log.
   */
  shopDatabasePassword: string | null;
  codeMaximum: Record<string, StoredMaximum>;
  /**
   * When automatic receipts were last turned on (auto-print on with a
   * printer chosen), or null while they are off: after a restart only sales
   * paid since then are printed, so turning it on never prints old sales.
   */
  autoPrintSince: number | null;
}

export const DEFAULT_SETTINGS: StoredSettings = {
  // A fresh install has no deposit address, so it starts in sandbox mode and
  // the till works the first time it is opened.
  mode: 'sandbox',
  depositAddress: null,
  currency: 'usd',
  shopName: 'My shop',
  // No name: the shop view tells this till apart by the start of its id.
  tillName: '',
  tunnel: { kind: 'quick' },
  confirmAbove: defaultConfirmAbove('usd'),
  receiptDetails: false,
  codeMaximum: {},
  sandboxPaymentService: true,
  tips: DEFAULT_TIP_SETTINGS,
  // A customer who cannot see the code cannot pay with Code: the display is on unless the owner turns it off.
  customerDisplay: true,
  paidSound: true,
  // No printer until the owner chooses one: nothing prints, and the status bar says the printer is off.
  printer: DEFAULT_PRINTER_SETTINGS,
  // A till left alone locks itself once roles apply (after the owner is created).
  lockAfterMinutes: 5,
  autoPrintSince: null,
  // No shop database: the outbox keeps everything until the owner sets one.
  shopDatabase: { url: null, passwordSaved: false, passwordEncrypted: false, host: null },
  shopDatabasePassword: null,
};

export interface InstallSecrets {
  /** Random path segment that keeps stray internet traffic off the webhook route. */
  webhookPathSecret: string;
  /** Destination for sandbox sales while the shop has no real deposit address. */
  sandboxDestination: string;
  /** Loopback port of the webhook listener, stable so named and fixed tunnels can point at it. */
  listenerPort: number;
}

/** A settings change that was refused, with a message per field. */
export class SettingsError extends CounterError {
  override readonly name = 'SettingsError';
  constructor(fields: Record<string, string>) {
    super('invalid-settings', Object.values(fields).join(' '), { fields });
  }
}

const stored = {
  mode: z.enum(['live', 'sandbox']),
  depositAddress: z.string().nullable(),
  currency: z.string(),
  shopName: z.string(),
  tillName: z.string().trim().max(MAX_TILL_NAME).refine((name) => !CONTROL_CHARACTER.test(name)),
  confirmAbove: z.number().int().min(0).max(MAX_AMOUNT_HUNDREDTHS),
  receiptDetails: z.boolean(),
  codeMaximum: z.record(
    z.string(),
    z.object({ amount: z.number().int().positive().max(MAX_AMOUNT_HUNDREDTHS), source: z.enum(['sequencer', 'owner']), at: z.number().int().nonnegative() }),
  ),
  sandboxPaymentService: z.boolean(),
  tips: tipSettingsSchema,
  customerDisplay: z.boolean(),
  paidSound: z.boolean(),
  autoPrintSince: z.number().int().nullable(),
  lockAfterMinutes: z.number().int().min(0).max(240),
};

/** The settings' own names for the fields whose contract messages are terse ("each preset once"). */
const FIELD_LABELS: Partial<Record<string, string>> = { tips: 'Tips', tillName: 'This till’s name' };
/** The printer's fields as the settings name them, for a message about one of them ("Printer footer: at most 48 characters a line."). */
const PRINTER_FIELD_LABELS: Partial<Record<string, string>> = {
  kind: 'kind',
  host: 'address',
  port: 'port',
  model: 'model',
  systemName: 'system printer',
  paperWidth: 'paper width',
  header: 'header',
  footer: 'footer',
  copies: 'copies',
};

/** A host name or an IPv4/IPv6 address: letters, digits, dots, dashes and colons, no spaces or scheme. */
/** A shop database as a change would leave it: the URL without its password, and the password (plain) or null. */
export interface ShopDatabaseChoice {
  url: string | null;
  password: string | null;
}

/**
 * The shop database a patch (or a connection test) asks for: the URL
 * checked (postgres:// only, TLS unless loopback), a password written
 * inline moved out of it, and a password left out (or empty) meaning the
 * saved one, but only for the very database it was saved for (the same
 * user, host, port and database): the saved password is never sent to a
 * server it was not given for, whoever types the address. Throws a
 * SettingsError keyed `shopDatabase.url`.
 */
export function resolveShopDatabase(
  input: { url: string | null; password?: string | null | undefined },
  saved: { url: string | null; password: () => string | null },
): ShopDatabaseChoice {
  const raw = input.url?.trim() ?? '';
  if (!raw) return { url: null, password: null };
  let inline: string | undefined;
  let url: string;
  try {
    inline = parseShopDatabaseUrl(raw).password;
    const u = new URL(raw);
    u.password = '';
    url = u.toString();
  } catch (error) {
    throw new SettingsError({ 'shopDatabase.url': error instanceof ShopDbError ? error.message : 'The shop database URL cannot be used.' });
  }
  const typed = input.password === undefined || input.password === '' ? undefined : input.password;
  const password = inline ?? (typed === undefined ? (url === saved.url ? saved.password() : null) : typed);
  return { url, password: password || null };
}

const PRINTER_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/;

/** What a printer setting lacks to print, and the field it is about, as the settings screen shows it; null when it can print (or is off). */
export function printerProblem(p: PrinterSettings): { field: 'host' | 'systemName'; message: string } | null {
  if (p.kind === 'network') {
    if (!p.host) return { field: 'host', message: 'A network printer needs its address: the host name or IP address shown on its settings slip (e.g. 192.168.1.50).' };
    if (!PRINTER_HOST.test(p.host)) {
      return { field: 'host', message: `"${p.host}" is not a printer address: give a host name or an IP address such as 192.168.1.50, without http:// or a port.` };
    }
  }
  if (p.kind === 'system' && !p.systemName) return { field: 'systemName', message: 'Choose the system printer by its name, as the computer lists it.' };
  return null;
}

/** Automatic receipts print only when auto-print is on and a printer is chosen. */
const autoPrintActive = (p: PrinterSettings) => p.autoPrint && p.kind !== 'none';

export type SettingsStore = ReturnType<typeof createSettingsStore>;

export interface SettingsStoreOptions {
  now?: () => number;
  /** Encrypts the shop database's password where it is stored (Electron's safeStorage); without one it is stored as is. */
  secretBox?: SecretBox;
}

export function createSettingsStore(ledger: Ledger, options: SettingsStoreOptions = {}) {
  const now = options.now ?? Date.now;
  const box = options.secretBox;
  const secrets = loadSecrets(ledger);
  let current = load(ledger, now);
  const view = (s: StoredSettings): Settings => {
    const { codeMaximum: _all, autoPrintSince: _since, shopDatabasePassword: _password, tunnel, ...rest } = s;
    return { ...rest, tunnel: tunnelModeView(tunnel), codeMaximum: maximumView(s, s.currency), shopDatabase: { ...s.shopDatabase } };
  };

  /** The saved password in clear, or null (none, or encrypted with a key this host cannot use). */
  function shopDatabasePassword(): string | null {
    const stored = current.shopDatabasePassword;
    if (stored === null) return null;
    if (!current.shopDatabase.passwordEncrypted) return stored;
    try {
      return box?.available() ? box.decrypt(stored) : null;
    } catch {
      return null;
    }
  }

  /** The stored form of a password: encrypted when the host can, else as is. */
  function storePassword(password: string | null): { stored: string | null; encrypted: boolean } {
    if (password === null) return { stored: null, encrypted: false };
    if (box?.available()) return { stored: box.encrypt(password), encrypted: true };
    return { stored: password, encrypted: false };
  }

  /** The shop database part of the settings for a choice (and hosting): the same password is not encrypted again, so the stored bytes (and the audit) stay as they were. */
  function withShopDatabase(choice: ShopDatabaseChoice, host: { port: number } | null): Pick<StoredSettings, 'shopDatabase' | 'shopDatabasePassword'> {
    const samePassword = choice.password === shopDatabasePassword() && choice.password !== null;
    const { stored: password, encrypted } = samePassword
      ? { stored: current.shopDatabasePassword, encrypted: current.shopDatabase.passwordEncrypted }
      : storePassword(choice.password);
    return { shopDatabase: { url: choice.url, passwordSaved: password !== null, passwordEncrypted: encrypted, host }, shopDatabasePassword: password };
  }

  /**
   * This till starts (`host` set, with its own loopback address and the
   * generated password as its shop database) or stops hosting the shop
   * database (`host` null: no shop database). The core starts and stops
   * the server; this only keeps the choice, audited like any setting.
   */
  function setShopHost(host: { port: number } | null, choice: ShopDatabaseChoice, audit?: (before: StoredSettings, after: StoredSettings) => AuditInput | null): Settings {
    const next: StoredSettings = { ...current, ...withShopDatabase(host ? choice : { url: null, password: null }, host) };
    ledger.together(() => {
      ledger.setSettings({ shopDatabase: next.shopDatabase, shopDatabasePassword: next.shopDatabasePassword });
      const entry = audit?.(current, next);
      if (entry) ledger.audit.append(entry);
    });
    current = next;
    return view(current);
  }

  /** Code's range for one payment in `currency`, with the maximum as configured; undefined for a currency Code does not take. */
  function codeRange(currency: string): { min: number; max: number } | undefined {
    const table = codeTableRange(currency);
    if (!table) return undefined;
    return { min: table.min, max: current.codeMaximum[currency]?.amount ?? table.max };
  }

  /**
   * The maximum a sequencer's refusal named: used for every later payment in
   * that currency, until the owner sets another or resets it to Code's table.
   * Ignored below Code's minimum (no payment could then be made at all).
   */
  function recordLearnedMaximum(currency: string, hundredths: number): boolean {
    const table = codeTableRange(currency);
    if (!table || !Number.isSafeInteger(hundredths) || hundredths < table.min) return false;
    const next: StoredSettings = { ...current, codeMaximum: { ...current.codeMaximum, [currency]: { amount: hundredths, source: 'sequencer', at: now() } } };
    ledger.setSettings({ codeMaximum: next.codeMaximum });
    current = next;
    return true;
  }

  /**
   * Applies a patch, all of it or none. `audit` names the change for the
   * audit log from the stored settings before and after (the tunnel token
   * included, so it must hide it); its entry is written in the same
   * transaction as the settings.
   */
  function update(patch: unknown, audit?: (before: StoredSettings, after: StoredSettings) => AuditInput | null): Settings {
    const parsed = settingsPatch.safeParse(patch);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'settings');
        // A printer field's message goes beside that field (printer.port, printer.header.0).
        const key = field === 'printer' && issue.path.length > 1 ? issue.path.map(String).join('.') : field;
        const label = field === 'printer' ? printerLabel(issue.path[1]) : FIELD_LABELS[field];
        fields[key] ??= label ? `${label}: ${issue.message}.` : issue.message;
      }
      throw new SettingsError(fields);
    }
    const p = parsed.data;
    const next: StoredSettings = { ...current };
    const fields: Record<string, string> = {};
    if (p.depositAddress !== undefined) {
      const address = p.depositAddress === null || p.depositAddress === '' ? null : p.depositAddress;
      if (address !== null && !isDepositAddress(address)) {
        fields.depositAddress = 'This is not a Code deposit address: it must be a base58 key of 32 bytes. Copy it again from the Code app.';
      }
      next.depositAddress = address;
    }
    if (p.currency !== undefined) {
      const code = normalizeCurrency(p.currency);
      if (!code || !microPaymentLimit(code)) fields.currency = `Code does not take payments in "${p.currency}".`;
      else {
        // A large amount in one currency is small change in another: unless
        // the owner sets one, the confirmation follows the new currency.
        if (code !== current.currency && p.confirmAbove === undefined) next.confirmAbove = defaultConfirmAbove(code);
        next.currency = code;
      }
    }
    if (p.shopName !== undefined) {
      if (!p.shopName) fields.shopName = 'Give the shop a name; it is printed on receipts.';
      else next.shopName = p.shopName;
    }
    if (p.tillName !== undefined) next.tillName = p.tillName;
    if (p.tunnel !== undefined) {
      const t = p.tunnel;
      // A named tunnel sent without a token keeps the saved one: the screens never see it.
      const token = t.kind === 'named' ? (t.token ?? (current.tunnel.kind === 'named' ? current.tunnel.token : undefined)) : undefined;
      if (t.kind === 'named' && token === undefined) {
        fields.tunnel = 'Paste the tunnel token from Cloudflare.';
      } else {
        try {
          next.tunnel = parseTunnelMode(t.kind === 'named' ? { ...t, token } : t);
        } catch (error) {
          fields.tunnel = (error as Error).message.replace(/^tunnel-supervisor: /, '');
        }
      }
    }
    if (p.codeMaximum !== undefined) {
      // Applies to the currency as patched, so "switch to EUR with a 2.00 maximum" is one change.
      const table = codeTableRange(next.currency);
      const { [next.currency]: _old, ...others } = current.codeMaximum;
      if (p.codeMaximum === null) next.codeMaximum = others;
      else if (table && p.codeMaximum < table.min) {
        fields.codeMaximum = `One Code payment cannot be less than ${formatMoney(table.min, next.currency, 'en')}, Code's minimum.`;
      } else next.codeMaximum = { ...others, [next.currency]: { amount: p.codeMaximum, source: 'owner', at: now() } };
    }
    if (p.sandboxPaymentService !== undefined) next.sandboxPaymentService = p.sandboxPaymentService;
    if (p.tips !== undefined) {
      // Tips on with nothing to choose but "no tip" would only slow every sale down.
      if (p.tips.enabled && !p.tips.presets.length && !p.tips.custom) fields.tips = 'Tips: offer at least one percentage or a custom amount.';
      else next.tips = { ...p.tips, presets: [...p.tips.presets] };
    }
    if (p.customerDisplay !== undefined) next.customerDisplay = p.customerDisplay;
    if (p.paidSound !== undefined) next.paidSound = p.paidSound;
    if (p.printer !== undefined) {
      const printer: PrinterSettings = { ...p.printer, copies: { ...p.printer.copies }, header: [...p.printer.header], footer: [...p.printer.footer] };
      const problem = printerProblem(printer);
      if (problem) fields[`printer.${problem.field}`] = problem.message;
      else {
        if (autoPrintActive(printer) && !autoPrintActive(current.printer)) next.autoPrintSince = now();
        if (!autoPrintActive(printer)) next.autoPrintSince = null;
        next.printer = printer;
      }
    }
    if (p.shopDatabase !== undefined) {
      try {
        if (current.shopDatabase.host) {
          throw new SettingsError({ 'shopDatabase.url': 'This till hosts the shop database: stop hosting it first, then give another address.' });
        }
        const choice = resolveShopDatabase(p.shopDatabase, { url: current.shopDatabase.url, password: shopDatabasePassword });
        Object.assign(next, withShopDatabase(choice, null));
      } catch (error) {
        if (!(error instanceof SettingsError)) throw error;
        Object.assign(fields, error.fields);
      }
    }
    if (p.confirmAbove !== undefined) next.confirmAbove = p.confirmAbove;
    if (p.receiptDetails !== undefined) next.receiptDetails = p.receiptDetails;
    if (p.lockAfterMinutes !== undefined) next.lockAfterMinutes = p.lockAfterMinutes;
    if (p.mode !== undefined) next.mode = p.mode;
    if (next.mode === 'live' && !next.depositAddress && !fields.depositAddress) {
      fields.mode = 'Set the shop’s Code deposit address before switching to live payments.';
    }
    if (Object.keys(fields).length) throw new SettingsError(fields);
    ledger.together(() => {
      ledger.setSettings({ ...next });
      const entry = audit?.(current, next);
      if (entry) ledger.audit.append(entry);
    });
    current = next;
    return view(current);
  }

  return {
    get: (): Settings => view(current),
    /** When automatic receipts were turned on (null while off): the start-up sweep prints nothing paid before it. */
    autoPrintSince: (): number | null => current.autoPrintSince,
    /** The tunnel mode with its token, for the supervisor only. */
    tunnel: (): TunnelMode => current.tunnel,
    update,
    setShopHost,
    /** The shop database to sync to, password in clear (for the worker only), or null when none is set. */
    shopDatabase(): { url: string; password: string | null } | null {
      const url = current.shopDatabase.url;
      return url === null ? null : { url, password: shopDatabasePassword() };
    },
    /** The saved password in clear, for a connection test that leaves it out. */
    shopDatabasePassword,
    codeRange,
    recordLearnedMaximum,
    secrets,
    /** The destination sales are paid to now: the shop's address, or the sandbox one while it has none. */
    destination(): string | null {
      if (current.depositAddress) return current.depositAddress;
      return current.mode === 'sandbox' ? secrets.sandboxDestination : null;
    },
  };
}

function load(ledger: Ledger, now: () => number): StoredSettings {
  const all = ledger.allSettings();
  const pick = <K extends keyof typeof stored>(key: K, fallback: StoredSettings[K]): StoredSettings[K] => {
    const parsed = stored[key].safeParse(all[key]);
    return parsed.success && parsed.data !== undefined ? (parsed.data as StoredSettings[K]) : fallback;
  };
  let tunnel = DEFAULT_SETTINGS.tunnel;
  try {
    if (all.tunnel !== undefined) tunnel = parseTunnelMode(all.tunnel);
  } catch {
    tunnel = DEFAULT_SETTINGS.tunnel;
  }
  const depositAddress = pick('depositAddress', null);
  const validAddress = depositAddress && isDepositAddress(depositAddress) ? depositAddress : null;
  const mode = pick('mode', DEFAULT_SETTINGS.mode);
  const currency = normalizeCurrency(pick('currency', DEFAULT_SETTINGS.currency)) ?? DEFAULT_SETTINGS.currency;
  const printer = loadPrinter(all.printer);
  return {
    mode: mode === 'live' && !validAddress ? 'sandbox' : mode,
    depositAddress: validAddress,
    currency,
    shopName: pick('shopName', DEFAULT_SETTINGS.shopName) || DEFAULT_SETTINGS.shopName,
    tillName: pick('tillName', DEFAULT_SETTINGS.tillName),
    tunnel,
    confirmAbove: pick('confirmAbove', defaultConfirmAbove(currency)),
    receiptDetails: pick('receiptDetails', DEFAULT_SETTINGS.receiptDetails),
    lockAfterMinutes: pick('lockAfterMinutes', DEFAULT_SETTINGS.lockAfterMinutes),
    codeMaximum: pick('codeMaximum', DEFAULT_SETTINGS.codeMaximum),
    sandboxPaymentService: pick('sandboxPaymentService', DEFAULT_SETTINGS.sandboxPaymentService),
    tips: pick('tips', DEFAULT_SETTINGS.tips),
    customerDisplay: pick('customerDisplay', DEFAULT_SETTINGS.customerDisplay),
    paidSound: pick('paidSound', DEFAULT_SETTINGS.paidSound),
    printer,
    // Auto-print found on with no time it was turned on (a file edited by hand): from now, never the backlog.
    autoPrintSince: autoPrintActive(printer) ? (pick('autoPrintSince', null) ?? now()) : null,
    ...loadShopDatabase(all.shopDatabase, all.shopDatabasePassword),
  };
}

/** The saved shop database; a URL that no longer passes the checks (edited by hand) is dropped for none. */
function loadShopDatabase(saved: unknown, password: unknown): Pick<StoredSettings, 'shopDatabase' | 'shopDatabasePassword'> {
  const none = { shopDatabase: DEFAULT_SETTINGS.shopDatabase, shopDatabasePassword: null };
  const parsed = z
    .object({ url: z.string().nullable(), passwordEncrypted: z.boolean(), host: z.object({ port: z.number().int().min(1).max(65535) }).nullish() })
    .safeParse(saved);
  if (!parsed.success || parsed.data.url === null) return none;
  try {
    parseShopDatabaseUrl(parsed.data.url);
  } catch {
    return none;
  }
  const stored = typeof password === 'string' && password ? password : null;
  return {
    shopDatabase: {
      url: parsed.data.url,
      passwordSaved: stored !== null,
      passwordEncrypted: stored !== null && parsed.data.passwordEncrypted,
      host: parsed.data.host ? { port: parsed.data.host.port } : null,
    },
    shopDatabasePassword: stored,
  };
}

/**
 * The saved printer over the defaults, so a field added by a later version
 * starts at its default; a saved printer that no longer passes the checks
 * (edited by hand) is dropped for the default, which prints nothing.
 */
function loadPrinter(saved: unknown): PrinterSettings {
  if (!saved || typeof saved !== 'object') return DEFAULT_PRINTER_SETTINGS;
  const parsed = printerSettingsSchema.safeParse({ ...DEFAULT_PRINTER_SETTINGS, ...saved });
  if (!parsed.success || printerProblem(parsed.data)) return DEFAULT_PRINTER_SETTINGS;
  return parsed.data;
}

function printerLabel(field: PropertyKey | undefined): string {
  const name = field === undefined ? undefined : PRINTER_FIELD_LABELS[String(field)];
  return name ? `Printer ${name}` : 'Printer';
}

function maximumView(s: StoredSettings, currency: string): CodeMaximumView {
  const table = codeTableRange(currency) ?? { min: 0, max: 0 };
  const saved = s.codeMaximum[currency];
  return saved
    ? { amount: saved.amount, source: saved.source, at: saved.at, tableAmount: table.max, minimum: table.min }
    : { amount: table.max, source: 'code-table', at: null, tableAmount: table.max, minimum: table.min };
}

function loadSecrets(ledger: Ledger): InstallSecrets {
  const saved = ledger.getSetting('install') as Partial<InstallSecrets> | undefined;
  if (saved && typeof saved.webhookPathSecret === 'string' && typeof saved.sandboxDestination === 'string' && Number.isInteger(saved.listenerPort)) {
    return saved as InstallSecrets;
  }
  const secrets: InstallSecrets = {
    webhookPathSecret: randomBytes(24).toString('base64url'),
    sandboxDestination: bs58.encode(randomBytes(32)),
    // Above the registered range and below the OS's ephemeral ports.
    listenerPort: 20_000 + (randomBytes(2).readUInt16BE(0) % 10_000),
  };
  ledger.setSetting('install', secrets);
  return secrets;
}
