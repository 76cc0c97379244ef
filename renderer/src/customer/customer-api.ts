// The customer display's one way to reach Counter: its own small API
// (customerView, chooseTip, pushed views), never the till's. In Electron
// the customer window's preload exposes `window.counterCustomer`; in the
// browser preview the same CustomerApi is served over HTTP under the
// customer token from the page's address (X-Counter-Customer-Token), with
// the views as server-sent events. Types only from the contract: its values
// pull zod; the method list comes from customer-methods.ts, which imports nothing.
import { CUSTOMER_API_METHOD_NAMES } from '../../../electron/shared/contract/customer-methods';
import type { CustomerApi, CustomerApiMethod } from '../../../electron/shared/contract/customer-api';
import type { ApiError, Envelope } from '../../../electron/shared/contract/envelope';
import { callBridge, pushStream } from '../common/http-bridge';
import { isCustomerView } from './customer-view-shape';
import type { CustomerView } from '../../../electron/shared/domain/customer-view';

declare global {
  interface Window {
    counterCustomer?: CustomerApi;
  }
}

/** A tip choice or the first view waits at most this long: the display then says it lost contact instead of hanging. */
const CALL_TIMEOUT_MS = 30_000;

const UNREACHABLE: ApiError = { code: 'bridge-unreachable', message: 'This screen lost contact with the till.' };

let instance: CustomerApi | null = null;

export function getCustomerApi(): CustomerApi {
  if (!instance) {
    const bridged = typeof window !== 'undefined' ? window.counterCustomer : undefined;
    instance = bridged && typeof bridged.customerView === 'function' ? bridged : createHttpCustomerApi(readToken());
  }
  return instance;
}

function readToken(): string {
  return new URLSearchParams(location.search).get('token') ?? '';
}

/** Every answer that should hold a view is checked: a view of the wrong shape is refused, never drawn half. */
function asViewEnvelope(answer: Envelope<unknown>): Envelope<CustomerView> {
  if (!answer.ok || isCustomerView(answer.value)) return answer as Envelope<CustomerView>;
  return { ok: false, error: { code: 'bridge-bad-answer', message: 'Counter sent something this screen cannot show.' } };
}

export function createHttpCustomerApi(token: string): CustomerApi {
  const call = async (method: CustomerApiMethod, args: unknown): Promise<Envelope<CustomerView>> =>
    asViewEnvelope(
      await callBridge({
        url: `/customer-api/${method}`,
        headers: { 'X-Counter-Customer-Token': token },
        args,
        timeoutMs: CALL_TIMEOUT_MS,
        unreachable: UNREACHABLE,
        badAnswer: (status) => `Counter gave an answer this screen cannot read (HTTP ${status}).`,
      }),
    );

  const views = pushStream({
    url: `/customer-events?token=${encodeURIComponent(token)}`,
    accept: isCustomerView,
    // Views sent while the stream was down are gone: read the current one.
    onReconnect: (dispatch) =>
      void call('customerView', undefined).then((answer) => {
        if (answer.ok) dispatch(answer.value);
      }),
  });

  const api: Record<string, unknown> = {};
  for (const method of CUSTOMER_API_METHOD_NAMES) {
    api[method] = (args: unknown) => call(method, args);
  }
  api.onView = (listener: (view: CustomerView) => void) => views.subscribe(listener);
  return api as CustomerApi;
}
