import type { z } from 'zod';
import { CUSTOMER_API_ARGS, type CustomerApiMethod, type CustomerApiResults } from '../../shared/contract/customer-api';
import type { Envelope } from '../../shared/contract';
import { envelopeTable } from '../api/envelope-table';
import type { Logger } from '../app/logger';
import type { Redactor } from '../app/redactor';
import type { CustomerDisplay } from './customer-display';

/**
 * The customer display's handler table, served by Electron's IPC to the
 * customer window only and by the preview bridge under the customer token
 * only. Same envelopes as the till's (api-handlers.ts), over a much smaller
 * contract: the view, and the tip for the sale on the display.
 */
export type CustomerHandlers = { [M in CustomerApiMethod]: (args: unknown) => Promise<Envelope<CustomerApiResults[M]>> };

type Parsed<M extends CustomerApiMethod> = z.output<(typeof CUSTOMER_API_ARGS)[M]>;
type Implementations = { [M in CustomerApiMethod]: (args: Parsed<M>) => Promise<CustomerApiResults[M]> | CustomerApiResults[M] };

export function createCustomerHandlers(core: {
  customerDisplay: Pick<CustomerDisplay, 'view' | 'chooseTip'>;
  redactor: Redactor;
  logger: Logger;
}): CustomerHandlers {
  const log = core.logger.child('customer-api');
  const impl: Implementations = {
    customerView: () => core.customerDisplay.view(),
    chooseTip: ({ saleId, choice }) => core.customerDisplay.chooseTip(saleId, choice),
  };

  return envelopeTable(CUSTOMER_API_ARGS, impl, { redactor: core.redactor, log, label: 'customer' }) as CustomerHandlers;
}
