import { pendingCodeTender } from '../../shared/domain/sale';
import { PaymentsError } from '../payments/errors';
import { envelopeTable } from './envelope-table';
import { API_ARGS, type ApiArgsParsed, type ApiMethod, type ApiResults, type Envelope } from '../../shared/contract';
import type { CounterCore } from '../app/counter-core';
import { createAccessGuard } from './access-guard';
import type { Implementations } from './implementations';
import { cancelSaleAs, exportSalesCsv, openDrawerAs } from './audited-actions';
import { explainPaymentSetupKeys, peopleHandlers } from './people-handlers';
import { refundHandlers } from './refund-handlers';
import { shiftHandlers } from './shift-handlers';
import { shopDbHandlers } from './shop-db-handlers';

/**
 * The handler table both Electron's IPC and the browser preview's bridge
 * serve: every argument arrives as `unknown`, is validated against the
 * contract, and every answer is an envelope, so the renderer shows a clear
 * message and never meets an unhandled rejection.
 */
export type ApiHandlers = { [M in ApiMethod]: (args: unknown) => Promise<Envelope<ApiResults[M]>> };

/** What differs between the Electron app and the browser preview: where files go, how a folder is shown. */
export interface ApiHost {
  exportCsv(filter: ApiArgsParsed<'exportCsv'>['filter']): Promise<ApiResults['exportCsv']>;
  saveReceiptPdf(saleId: number): Promise<ApiResults['saveReceiptPdf']>;
  openLogFolder(): Promise<ApiResults['openLogFolder']>;
  /** Shows the customer display: the app's second window, or the preview's page address. */
  openCustomerDisplay(): Promise<ApiResults['openCustomerDisplay']>;
  /** Writes the audit log as CSV: a file the owner picks (the app), a one-time download link (the preview). */
  exportAudit(): Promise<ApiResults['exportAudit']>;
}

export { HostError } from './api-errors';

export function createApiHandlers(core: CounterCore, host: ApiHost): ApiHandlers {
  const log = core.logger.child('api');
  const sandboxOnly = () => {
    if (core.settings.get().mode !== 'sandbox') {
      throw new PaymentsError('invalid-input', 'Simulated payments exist only in sandbox mode.');
    }
  };
  /** The sale's Code payment waiting for the customer: what the sandbox's simulation controls act on. */
  const waitingIntentOf = (saleId: number) => {
    const sale = core.ledger.getSale(saleId);
    if (sale.mode !== 'sandbox') throw new PaymentsError('invalid-input', `Sale #${saleId} is a live sale: only the customer can pay it.`);
    const waiting = pendingCodeTender(sale);
    if (!waiting?.intentId) throw new PaymentsError('invalid-transition', `Sale #${saleId} has no Code payment waiting to simulate.`);
    return waiting.intentId;
  };

  const impl: Implementations = {
    getStatus: () => core.status(),
    getSettings: () => core.settings.get(),
    updateSettings: (patch, ctx) => core.updateSettings(patch, { actor: ctx.actor }),
    charge: async ({ amount, currency }, ctx) => {
      const till = await core.payments.charge({ amount, currency: currency ?? core.settings.get().currency }, ctx.actor);
      core.tillFocus.set(till.sale.id);
      return till;
    },
    // The cashier chose on the till; the customer display has its own API and names itself.
    chooseTip: ({ saleId, choice }, ctx) => core.payments.chooseTip(saleId, choice, 'cashier', ctx.actor),
    openCustomerDisplay: () => host.openCustomerDisplay(),
    requestCodePayment: ({ saleId }, ctx) => core.payments.requestCodePayment(saleId, ctx.actor),
    scanCode: ({ saleId, tenderId }) => core.payments.scanCode(saleId, tenderId),
    takeCash: ({ saleId, tendered }, ctx) => core.payments.takeCash(saleId, tendered, ctx.actor),
    takeOther: ({ saleId, amount, label }, ctx) => core.payments.takeOther(saleId, amount, label, ctx.actor),
    cancelSale: ({ saleId }, ctx) => cancelSaleAs(core, saleId, ctx.actor),
    focusSale: ({ saleId }) => {
      core.tillFocus.set(saleId);
      return null;
    },
    currentSale: () => core.tillFocus.current(),
    simulatePayment: async ({ saleId }) => {
      sandboxOnly();
      await core.sandbox.simulatePayment(waitingIntentOf(saleId));
      return core.ledger.getSale(saleId);
    },
    simulateCancel: ({ saleId }) => {
      sandboxOnly();
      // The customer declines in the Code app: the sequencer refuses a later
      // payment of that request, and the till cancels it (and the sale, when
      // nothing has paid it yet).
      core.sandbox.simulateCancel(waitingIntentOf(saleId));
      return core.payments.cancelCodePayment(saleId);
    },
    reportButtonEvent: async ({ saleId, event, message }) => {
      log.info(`Code button ${event} for sale ${saleId}${message ? `: ${message}` : ''}`, { saleId, event });
      // A browser event is never proof of payment; a "success" only makes the
      // reconciler ask Code right away.
      if (event === 'success') await core.payments.reconcileNow();
      return null;
    },
    getSale: ({ saleId }) => ({ ...core.ledger.getSaleWithEvents(saleId), refunds: core.refunds.refundsOf(saleId) }),
    recentSales: ({ limit }) => core.reports.listSales({ mode: 'all' }, { limit }).sales,
    installCloudflared: async () => ({ path: await core.installCloudflared() }),
    checkRail: () => core.checkRail(),
    listSales: ({ filter, cursor, limit }) => core.reports.listSales(filter, { cursor: cursor ?? null, ...(limit ? { limit } : {}) }),
    salesTotals: ({ filter }) => core.reports.rangeTotals(filter),
    salesChart: ({ filter }) => core.reports.chart(filter),
    daySummary: ({ date, mode }) => core.reports.daySummary(date, mode ?? 'live'),
    exportCsv: ({ filter }, ctx) => exportSalesCsv(core, host, filter, ctx.actor),
    // Printing only queues: the answer comes at once, and each job's progress (and any fault) follows as a 'print-job' event.
    printReceipt: ({ saleId, copy }) => core.printing.enqueueReceipt(saleId, copy, 'manual'),
    printDaySummary: ({ date, mode }) => core.printing.enqueueDaySummary(date, mode ?? 'live'),
    printTest: () => core.printing.enqueueTest(),
    openDrawer: (_args, ctx) => openDrawerAs(core, ctx.actor),
    retryPrint: ({ jobId }) => core.printing.retry(jobId),
    printJobs: ({ limit }) => core.printing.jobs(limit),
    saveReceiptPdf: ({ saleId }) => {
      core.ledger.getSale(saleId);
      return host.saveReceiptPdf(saleId);
    },
    openLogFolder: () => host.openLogFolder(),
    ...peopleHandlers(core, host),
    ...shiftHandlers(core),
    ...refundHandlers(core),
    ...shopDbHandlers(core),
  };

  const handlers = envelopeTable(API_ARGS, impl, {
    redactor: core.redactor,
    log,
    guard: createAccessGuard(core),
    // The hosted shop database's generated password, which the owner (only: METHOD_ACCESS) reads to type into the other tills.
    reveals: ['shopHost'],
  }) as ApiHandlers;
  handlers.updateSettings = explainPaymentSetupKeys(handlers.updateSettings);
  return handlers;
}
