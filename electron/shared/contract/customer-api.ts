/**
 * The contract between the customer display and the main process (SPEC §7):
 * it reads what to show and chooses a tip for the sale it is showing, nothing
 * more. Main validates every argument with these schemas; the customer
 * preload and the preview bridge's customer routes expose exactly these
 * methods, under a credential of their own (never the till's).
 */
import { z } from 'zod';
import type { CustomerView } from '../domain/customer-view';
import { tipChoiceSchema } from './api-args';
import type { CUSTOMER_API_METHOD_NAMES } from './customer-methods';
import type { Envelope } from './envelope';

export const CUSTOMER_API_ARGS = {
  /** What the display shows now. */
  customerView: z.undefined(),
  /** The customer's tip for the sale on the display; refused unless that sale is waiting for its tip. */
  chooseTip: z.object({ saleId: z.number().int().positive(), choice: tipChoiceSchema }).strict(),
} as const;

export interface CustomerApiResults {
  customerView: CustomerView;
  chooseTip: CustomerView;
}

export type CustomerApiMethod = keyof typeof CUSTOMER_API_ARGS;
export type CustomerApiArgs<M extends CustomerApiMethod> = z.input<(typeof CUSTOMER_API_ARGS)[M]>;

/** What the customer preload exposes as `window.counterCustomer`, and the preview's customer routes implement. */
export type CustomerApi = {
  [M in CustomerApiMethod]: (args: CustomerApiArgs<M>) => Promise<Envelope<CustomerApiResults[M]>>;
} & {
  /** Every new view, pushed; returns the unsubscribe function. */
  onView(listener: (view: CustomerView) => void): () => void;
};

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodListMatches: Same<(typeof CUSTOMER_API_METHOD_NAMES)[number], CustomerApiMethod> = true;
const resultsMatch: Same<keyof CustomerApiResults, CustomerApiMethod> = true;
void methodListMatches;
void resultsMatch;
