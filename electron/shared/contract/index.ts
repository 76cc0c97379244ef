/**
 * The one contract between the renderer and the main process: method names,
 * argument schemas, result types and pushed events. Main validates every
 * argument with these schemas; the preload and the browser-preview bridge
 * expose exactly these methods; the renderer imports types and the method list.
 */
import type { z } from 'zod';
import type { API_ARGS } from './api-args';
import type { API_METHOD_NAMES } from './api-methods';
import type { ApiResults } from './api-results';
import type { Envelope } from './envelope';
import type { CounterEvent } from './events';

export { API_ARGS, apiSettingsPatch, printerSettingsSchema, settingsPatch, tipChoiceSchema, tipSettingsSchema, type SettingsPatch } from './api-args';
export { API_METHOD_NAMES, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from './api-methods';
export type { ApiResults, AppStatus, CodeMaximumView, CodePaymentView, CustomerDisplayOpened, ExportResult, Settings, TillSale } from './api-results';
export type { ApiError, Envelope } from './envelope';
export type { CounterEvent, SaleEventCause } from './events';
export type { EventOutcome, EventSource, Mode, PaymentEvent, ProofSource, Sale, SaleStatus, Tender, TenderKind, TenderStatus } from '../domain/sale';
export type { RailHealth } from '../domain/rail';
export type { ScanCodeDrawing, ScanCodeView } from '../domain/scan-code';
export type { TipChoice, TipOption, TipPrompt, TipSettings } from '../domain/tip';
export type { DrawerOpening, PaperWidth, PrinterKind, PrinterModel, PrinterSettings, PrinterStatus, PrintJob, PrintJobKind, PrintJobReason, PrintJobState, ReceiptCopy } from '../domain/printer';
export type { ReceiptDoc, ReceiptLine } from '../domain/receipt-doc';
export type { CustomerAmounts, CustomerView, CustomerViewState } from '../domain/customer-view';
export type { SalesFilter } from '../domain/sales-filter';
export type { ChartBucket, CurrencyTotals, DaySummary, SalesChart, SalesPage, TenderAmounts } from '../domain/totals';
export type { TunnelMode, TunnelModeView, TunnelState } from '../domain/tunnel';
export type { AuditAction, AuditEntry, AuditPage } from '../domain/audit';
export type { Actor, Person, PersonRef, Role, SessionView, SignInChoice, SignInResult } from '../domain/people';
export type { Refund, RefundMethod } from '../domain/refund';
export type { Shift, ShiftReport } from '../domain/shift';
export type { ShopDatabaseSettings, ShopDatabaseTest, ShopHostView, SyncStatusView } from '../domain/shop-database';
export type { ShopSale, ShopSaleTill, ShopSalesPage, ShopTill } from '../domain/shop-view';
export { METHOD_ACCESS, type MethodAccess } from './access';

export type ApiMethod = keyof typeof API_ARGS;
export type ApiArgs<M extends ApiMethod> = z.input<(typeof API_ARGS)[M]>;
export type ApiArgsParsed<M extends ApiMethod> = z.output<(typeof API_ARGS)[M]>;

/** What the preload exposes as `window.counter`, and the preview bridge implements. */
export type CounterApi = {
  [M in ApiMethod]: (args: ApiArgs<M>) => Promise<Envelope<ApiResults[M]>>;
} & {
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: CounterEvent) => void): () => void;
};

// The plain list the preload uses must name exactly the contract's methods,
// and every method must have a result type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodListMatches: Same<(typeof API_METHOD_NAMES)[number], ApiMethod> = true;
const resultsMatch: Same<keyof ApiResults, ApiMethod> = true;
void methodListMatches;
void resultsMatch;
