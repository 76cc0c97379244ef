import { ROLE_WORDS, ROLES, type Role } from '../../shared/domain/people';
import type { AuditEntry } from '../../shared/domain/audit';
import type { Ledger } from '../ledger/ledger';

/**
 * What a person reads at sign-in before anything else: every change of the
 * deposit address or of live/sandbox since they last signed in ("Deposit
 * address changed at 30 Nov 2026, 15:40 by Ana (owner): …ABCD → …WXYZ").
 * A changed address is how a till's takings are stolen, so everyone who
 * uses the till hears of it, in the shop's time zone.
 */

const PAGE = 100;

const formats = new Map<string, Intl.DateTimeFormat>();

/** "30 Nov 2026, 15:40" on the shop's clock, whatever the computer's language. */
export function noticeTime(ms: number, timeZone: string): string {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    formats.set(timeZone, f);
  }
  const part = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  return `${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute}`;
}

/** The end of an address, which is what the owner typed back to confirm it. */
export const addressTail = (address: unknown): string => (typeof address === 'string' && address ? `…${address.slice(-4)}` : 'none');

const modeWords = (mode: unknown) => (mode === 'live' ? 'live' : 'sandbox (practice)');

interface Change {
  from: unknown;
  to: unknown;
}

const changeOf = (detail: Record<string, unknown>, key: string): Change | null => {
  const c = detail[key] as Partial<Change> | undefined;
  return c && typeof c === 'object' && c.from !== c.to ? { from: c.from, to: c.to } : null;
};

/** One payment-setup entry in words. */
export function paymentSetupNotice(entry: AuditEntry, timeZone: string, role: Role | null): string {
  const by = `${entry.personName ?? 'someone'}${role ? ` (${ROLE_WORDS[role].toLowerCase()})` : ''}`;
  const when = noticeTime(entry.at, timeZone);
  const address = changeOf(entry.detail, 'depositAddress');
  const mode = changeOf(entry.detail, 'mode');
  if (address) {
    const then = mode ? `; payments are now ${modeWords(mode.to)}` : '';
    return `Deposit address changed at ${when} by ${by}: ${addressTail(address.from)} → ${addressTail(address.to)}${then}`;
  }
  if (mode) return `Payments switched to ${modeWords(mode.to)} at ${when} by ${by}`;
  return `Payment setup confirmed at ${when} by ${by}`;
}

/** Every deposit-address and mode change after `since`, oldest first, in words. */
export function paymentSetupNotices(ledger: Pick<Ledger, 'audit' | 'timeZone'>, since: number, roleOf: (personId: number) => Role | null): string[] {
  const found: AuditEntry[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = ledger.audit.page({ action: 'payment-setup-changed', limit: PAGE, cursor });
    const newer = page.entries.filter((e) => e.at > since);
    found.push(...newer);
    if (newer.length < page.entries.length || !page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return found.reverse().map((entry) => {
    const stated = entry.detail.role;
    const role = typeof stated === 'string' && (ROLES as readonly string[]).includes(stated) ? (stated as Role) : entry.personId ? roleOf(entry.personId) : null;
    return paymentSetupNotice(entry, ledger.timeZone, role);
  });
}
