import { METHOD_ACCESS, type ApiMethod } from '../../shared/contract';
import { hasRole, type Actor, type Role } from '../../shared/domain/people';
import type { CounterCore } from '../app/counter-core';
import { CounterError } from '../app/errors';
import type { CallContext } from './call-context';

/**
 * Who may call what (shared/contract/access.ts), enforced on every call of
 * the till's API, Electron's IPC and the preview bridge alike, before the
 * arguments are even read: a refused call runs nothing and writes nothing.
 *
 * - Setup (no owner yet): cashier and manager methods are open, as on a
 *   fresh install, with no one named (actor null); owner methods and those
 *   that always name a person (refunds, voids, shifts, one's own PIN) wait
 *   for the owner.
 * - Then: a locked till answers only the lock screen's calls; a person below
 *   the method's role is told who may; a sale needs an open shift.
 * An allowed call counts as using the till (the idle lock starts again).
 */
export class AccessError extends CounterError {
  override readonly name = 'AccessError';
}

/** What a refused method is, with its verb, for "Refunds need a manager or the owner." */
const METHOD_WORDS: Partial<Record<ApiMethod, string>> = {
  updateSettings: 'Settings need',
  installCloudflared: 'Installing the tunnel needs',
  listSales: 'The sales log needs',
  salesTotals: 'Sales totals need',
  salesChart: 'The sales chart needs',
  daySummary: 'The end of day needs',
  exportCsv: 'Exporting sales needs',
  printDaySummary: 'Printing the end of day needs',
  printTest: 'A test print needs',
  openDrawer: 'Opening the drawer (No sale) needs',
  openLogFolder: 'The log folder needs',
  listPeople: 'The list of people needs',
  addPerson: 'Adding a person needs',
  updatePerson: 'Changing a person needs',
  setPin: 'Setting someone’s PIN needs',
  changePaymentSetup: 'The deposit address and live payments need',
  auditLog: 'The audit log needs',
  exportAudit: 'Exporting the audit log needs',
  listShifts: 'The list of shifts needs',
  refundSale: 'Refunds need',
  voidSale: 'Voids need',
  testShopDatabase: 'The shop database needs',
  shopTills: 'The shop view needs',
  shopSales: 'The shop view needs',
  shopTotals: 'The shop view needs',
  shopChart: 'The shop view needs',
  shopDaySummary: 'The shop view needs',
  shopSale: 'The shop view needs',
  hostShopDatabase: 'Hosting the shop database needs',
  shopHost: 'The hosted shop database needs',
};

const WHO: Record<Role, string> = { cashier: 'someone signed in', manager: 'a manager or the owner', owner: 'the owner' };

/** "Refunds need a manager or the owner.", "The audit log needs the owner." */
export function forbiddenMessage(method: ApiMethod, role: Role): string {
  return `${METHOD_WORDS[method] ?? 'This needs'} ${WHO[role]}.`;
}

const LOCKED = 'The till is locked: sign in with your PIN.';
const PERSON_IN_SETUP = 'Refunds, voids and shifts are always someone’s: create the owner first (Settings → Owner), then sign in.';

/**
 * Who is calling, in a method that always names a person (METHOD_ACCESS
 * `person`, or the owner's). The guard below lets no one else through to
 * it; this holds the line if it ever did, with the guard's own refusal.
 */
export function personOf(ctx: CallContext, core: Pick<CounterCore, 'people'>): Actor {
  if (ctx.actor) return ctx.actor;
  if (!core.people.hasOwner()) throw new AccessError('owner-needed', PERSON_IN_SETUP);
  throw new AccessError('locked', LOCKED);
}

export function createAccessGuard(core: Pick<CounterCore, 'session' | 'people' | 'shifts'>): (method: ApiMethod) => CallContext {
  return (method) => {
    const access = METHOD_ACCESS[method];
    // The status bar and the lock screen's own calls; they do not count as use, or a polled status would keep the till awake.
    if (access.role === 'anyone') return { actor: core.session.actor() };

    if (!core.people.hasOwner()) {
      if (access.role === 'owner') {
        throw new AccessError('owner-needed', `${forbiddenMessage(method, 'owner')} Create the owner first (Settings → Owner); from then on everyone signs in with a PIN.`);
      }
      if (access.person) {
        throw new AccessError('owner-needed', PERSON_IN_SETUP);
      }
      return { actor: null };
    }

    const actor = core.session.actor();
    if (!actor) throw new AccessError('locked', LOCKED);
    if (access.role !== 'cashier' && !hasRole(actor.role, access.role)) throw new AccessError('forbidden', forbiddenMessage(method, access.role));
    if (access.shift && !core.shifts.current()) throw new AccessError('no-shift', 'Open a shift first: count the float.');
    core.session.touch();
    return { actor };
  };
}
