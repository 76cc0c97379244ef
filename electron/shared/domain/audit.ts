// The audit log: who did what and when. Append-only in the ledger.

export const AUDIT_ACTIONS = [
  'owner-created',
  'sign-in',
  'sign-out',
  'pin-failed',
  'pin-locked-out',
  'person-added',
  'person-changed',
  'pin-changed',
  'settings-changed',
  'payment-setup-changed',
  'sale-cancelled',
  'sale-voided',
  'refund',
  'drawer-opened',
  'shift-opened',
  'shift-closed',
  'export',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  at: number;
  /** Who did it; null before the owner existed, or for a failed PIN of an unknown person. */
  personId: number | null;
  /** Their name as it was then. */
  personName: string | null;
  action: AuditAction;
  /** One line in words ("Refund $2.00 cash on sale #14"). */
  summary: string;
  /** The facts, secrets redacted: for a settings change { changes: { key: { from, to } } }. */
  detail: Record<string, unknown>;
  saleId: number | null;
  shiftId: number | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass back as `cursor` for the next (older) page; null on the last. */
  nextCursor: string | null;
}
