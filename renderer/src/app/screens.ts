// Which screens the header offers: each only to whom may use it (the table
// the main process enforces decides); the main process refuses the rest
// whatever is shown.
import type { SessionView } from '../../../electron/shared/contract';
import { canUse } from '../common/access';

export type Screen = 'till' | 'shift' | 'log' | 'audit' | 'settings';

export interface ScreenTab<Id extends string> {
  id: Id;
  label: string;
  testId: string;
}

export const SCREEN_TABS: readonly ScreenTab<Screen>[] = [
  { id: 'till', label: 'Till', testId: 'till-tab' },
  { id: 'shift', label: 'Shift', testId: 'shift-tab' },
  { id: 'log', label: 'Sales log', testId: 'sales-log-tab' },
  { id: 'audit', label: 'Audit log', testId: 'audit-tab' },
  { id: 'settings', label: 'Settings', testId: 'settings-tab' },
];

/**
 * - Till: always (locked, the lock screen covers it).
 * - Shift: anyone signed in; not in setup, where shifts are not kept.
 * - Sales log: managers and the owner; everyone in setup, as on a fresh install.
 * - Audit log: the owner.
 * - Settings: the owner; in setup too, where it offers to create the owner first.
 */
export function visibleScreens(session: SessionView | null): Screen[] {
  const shown: Screen[] = ['till'];
  if (session && !session.setup && session.person && canUse(session, 'openShift')) shown.push('shift');
  if (canUse(session, 'listSales')) shown.push('log');
  if (canUse(session, 'auditLog')) shown.push('audit');
  if (session?.setup || canUse(session, 'updateSettings')) shown.push('settings');
  return shown;
}
