// A person's state in the owner's words: locked out until when, failed PINs, removed.
import type { Person } from '../../../electron/shared/contract';
import { clockTime } from '../common/shop-time';

export function personState(p: Pick<Person, 'active' | 'lockedUntil' | 'failedPins'>, now: number, timeZone: string): { text: string; tone: 'ok' | 'warn' | 'bad' | 'off' } {
  if (!p.active) return { text: 'Removed', tone: 'off' };
  if (p.lockedUntil !== null && p.lockedUntil > now) return { text: `Locked out until ${clockTime(p.lockedUntil, timeZone)}`, tone: 'bad' };
  if (p.failedPins > 0) return { text: `${p.failedPins} wrong ${p.failedPins === 1 ? 'PIN' : 'PINs'} since the last sign-in`, tone: 'warn' };
  return { text: 'Active', tone: 'ok' };
}
