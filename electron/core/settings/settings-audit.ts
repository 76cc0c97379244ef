import type { Actor } from '../../shared/domain/people';
import type { AuditInput } from '../ledger/audit-store';
import type { StoredSettings } from './settings-store';

/**
 * A settings change as the audit log keeps it: only the keys that changed,
 * each { from, to }, with the tunnel token never written (a change of token
 * shows as a change, both sides "[hidden]"). The deposit address and the
 * live/sandbox switch made through the owner's confirmation are their own
 * entry ('payment-setup-changed'), which the next sign-in reads.
 */

export const HIDDEN = '[hidden]';

/** Who changed the settings, and whether it was the payment setup (address and mode) with the owner's PIN. */
export interface SettingsChangeBy {
  actor: Actor | null;
  paymentSetup?: boolean;
}

/** Kept for the print queue's own use, not a setting anyone chose: left out of the log. */
const INTERNAL = new Set<keyof StoredSettings>(['autoPrintSince']);
/** Secrets: a change shows as a change, both sides "[hidden]" (null stays null: "none saved" is no secret). */
const SECRET = new Set<keyof StoredSettings>(['shopDatabasePassword']);

const SETTING_WORDS: Partial<Record<keyof StoredSettings, string>> = {
  mode: 'live/sandbox',
  depositAddress: 'deposit address',
  currency: 'currency',
  shopName: 'shop name',
  tillName: 'till name',
  tunnel: 'tunnel',
  confirmAbove: 'confirmation amount',
  receiptDetails: 'receipt details',
  codeMaximum: 'Code maximum',
  sandboxPaymentService: 'sandbox payment service',
  tips: 'tips',
  customerDisplay: 'customer display',
  paidSound: 'paid sound',
  printer: 'printer',
  lockAfterMinutes: 'idle lock',
  shopDatabase: 'shop database',
  shopDatabasePassword: 'shop database password',
};

function redacted(key: keyof StoredSettings, value: unknown): unknown {
  if (SECRET.has(key)) return value === null || value === undefined ? null : HIDDEN;
  if (key === 'tunnel' && value && typeof value === 'object' && 'token' in value) return { ...value, token: HIDDEN };
  return value;
}

export type SettingsChanges = Record<string, { from: unknown; to: unknown }>;

/** The keys whose stored value differs, secrets hidden. */
export function settingsChanges(before: StoredSettings, after: StoredSettings): SettingsChanges {
  const changes: SettingsChanges = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as Array<keyof StoredSettings>);
  for (const key of keys) {
    if (INTERNAL.has(key)) continue;
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    changes[key] = { from: redacted(key, before[key]) ?? null, to: redacted(key, after[key]) ?? null };
  }
  return changes;
}

const tail = (address: string | null) => (address ? `…${address.slice(-4)}` : 'none');

/** The audit entry of a settings write, or null when nothing changed. */
export function settingsAuditEntry(before: StoredSettings, after: StoredSettings, by: SettingsChangeBy): AuditInput | null {
  const changes = settingsChanges(before, after);
  const keys = Object.keys(changes) as Array<keyof StoredSettings>;
  if (!keys.length) return null;
  const who = by.actor?.name ?? 'Setup';
  if (by.paymentSetup) {
    const parts = [
      before.depositAddress !== after.depositAddress ? `deposit address ${tail(before.depositAddress)} → ${tail(after.depositAddress)}` : null,
      before.mode !== after.mode ? `payments ${after.mode === 'live' ? 'live' : 'in sandbox'}` : null,
    ].filter(Boolean);
    return {
      action: 'payment-setup-changed',
      actor: by.actor,
      summary: `${who} changed the payment setup: ${parts.join(', ')}`,
      detail: {
        mode: { from: before.mode, to: after.mode },
        depositAddress: { from: before.depositAddress, to: after.depositAddress },
        ...(by.actor ? { role: by.actor.role } : {}),
      },
    };
  }
  return {
    action: 'settings-changed',
    actor: by.actor,
    summary: `${who} changed the settings: ${keys.map((k) => SETTING_WORDS[k] ?? k).join(', ')}`,
    detail: { changes },
  };
}
