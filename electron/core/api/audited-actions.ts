import type { ApiArgsParsed, ApiResults } from '../../shared/contract';
import { formatMoney } from '../../shared/domain/money';
import { hasRole, type Actor } from '../../shared/domain/people';
import type { Sale } from '../../shared/domain/sale';
import type { CounterCore } from '../app/counter-core';
import { AccessError } from './access-guard';
import type { ApiHost } from './api-handlers';

/**
 * The till's actions that the audit log records besides doing them: a
 * cancelled sale (and who may cancel whose), a No-sale drawer opening, a
 * sales export. Where the action is one ledger write, its entry is written
 * in the same transaction.
 */

/**
 * A cashier cancels only an open sale they rang up; a manager or the owner
 * any open sale (recorded as cancelled by them). In setup (no owner) nobody
 * is named and any open sale may be cancelled, as before people existed.
 */
export function cancelSaleAs(core: Pick<CounterCore, 'ledger' | 'payments'>, saleId: number, actor: Actor | null): Sale {
  const sale = core.ledger.getSale(saleId);
  if (actor && !hasRole(actor.role, 'manager') && sale.soldBy?.id !== actor.id) {
    throw new AccessError('forbidden', 'Only a manager can cancel another person’s sale.');
  }
  // The entry first, the cancel last: the cancel tells the screens at once, so nothing that could still
  // fail may follow it. A refused cancel throws and takes the entry back with the transaction.
  return core.ledger.together(() => {
    core.ledger.audit.append({
      action: 'sale-cancelled',
      actor,
      summary: `Sale #${sale.id} (${formatMoney(sale.amount, sale.currency, 'en')}) cancelled${actor ? ` by ${actor.name}` : ''}`,
      detail: { saleId: sale.id, amount: sale.amount, currency: sale.currency, soldBy: sale.soldBy?.name ?? null },
      saleId: sale.id,
      shiftId: sale.shiftId ?? null,
    });
    return core.payments.cancel(saleId, actor);
  });
}

/** "No sale": the drawer opens through the printer, and the audit log says who opened it. */
export function openDrawerAs(core: Pick<CounterCore, 'ledger' | 'printing' | 'shifts'>, actor: Actor | null): ApiResults['openDrawer'] {
  return core.ledger.together(() => {
    const opening = core.printing.openDrawer('no-sale', actor);
    core.ledger.audit.append({
      action: 'drawer-opened',
      actor,
      summary: `Drawer opened (No sale)${actor ? ` by ${actor.name}` : ''}`,
      detail: { reason: 'no-sale', openingId: opening.id },
      shiftId: core.shifts.current()?.id ?? null,
    });
    return opening;
  });
}

/** The sales CSV, and an audit entry when it was saved or offered as a download (not when the owner cancelled the dialog). */
export async function exportSalesCsv(
  core: Pick<CounterCore, 'ledger'>,
  host: Pick<ApiHost, 'exportCsv'>,
  filter: ApiArgsParsed<'exportCsv'>['filter'],
  actor: Actor | null,
): Promise<ApiResults['exportCsv']> {
  const result = await host.exportCsv(filter);
  if (result.kind !== 'cancelled') {
    core.ledger.audit.append({
      action: 'export',
      actor,
      summary: `Sales CSV exported (${result.rows} ${result.rows === 1 ? 'sale' : 'sales'})`,
      detail: { what: 'sales', rows: result.rows, to: result.kind, filter },
    });
  }
  return result;
}
