// The audit log in words: each action's name, and an entry's detail as
// plain lines ("shopName: Corner Café → Corner Café & Co").
import type { AuditAction } from '../../../electron/shared/domain/audit';

export const ACTION_WORDS: Record<AuditAction, string> = {
  'owner-created': 'Owner created',
  'sign-in': 'Signed in',
  'sign-out': 'Locked the till',
  'pin-failed': 'Wrong PIN',
  'pin-locked-out': 'Locked out (PIN)',
  'person-added': 'Person added',
  'person-changed': 'Person changed',
  'pin-changed': 'PIN changed',
  'settings-changed': 'Settings changed',
  'payment-setup-changed': 'Deposit address / mode changed',
  'sale-cancelled': 'Sale cancelled',
  'sale-voided': 'Sale voided',
  refund: 'Refund',
  'drawer-opened': 'Drawer opened',
  'shift-opened': 'Shift opened',
  'shift-closed': 'Shift closed',
  export: 'Export',
};

/** Actions the owner reads with care: money handed back, the address payments go to, failed PINs. */
export const WATCHED_ACTIONS: ReadonlySet<AuditAction> = new Set(['payment-setup-changed', 'pin-failed', 'pin-locked-out', 'refund', 'sale-voided']);

export interface DetailLine {
  key: string;
  value: string;
}

/** A value on one line: text as is, a { from, to } change as "from → to", anything else as compact JSON. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isChange(value)) return `${valueText(value.from)} → ${valueText(value.to)}`;
  return JSON.stringify(value);
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 2 && 'from' in value && 'to' in value;
}

/**
 * An entry's detail as lines, nested objects flattened with dotted keys; a
 * settings change's `changes` lists each setting by its own name.
 */
export function detailLines(detail: Record<string, unknown>): DetailLine[] {
  const lines: DetailLine[] = [];
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isChange(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    } else lines.push({ key: prefix, value: valueText(value) });
  };
  for (const [k, v] of Object.entries(detail)) walk(k === 'changes' ? '' : k, v);
  return lines.filter((l) => l.key !== '');
}
