// The browser preview's bridge as the pages see it: a POST per call that
// answers an envelope, and a stream of server-sent events that reopens after
// a refusal. The till's API client (api.ts) and the customer display's
// (customer/customer-api.ts) are both built on it, each with its own routes
// and token, so neither page carries the other's.
import type { ApiError, Envelope } from '../../../electron/shared/contract/envelope';

/** EventSource retries by itself after a dropped stream, but gives up for good on a refused one (e.g. HTTP 403). */
const EVENTS_REOPEN_MS = 3_000;

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: { message?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error === 'object' && v.error !== null && typeof v.error.message === 'string';
}

export interface BridgeCall {
  url: string;
  headers: Record<string, string>;
  args: unknown;
  timeoutMs: number;
  /** What to say when the bridge does not answer at all. */
  unreachable: ApiError;
  /** What to say when it answers something that is not an envelope. */
  badAnswer: (status: number) => string;
}

/** One call: the bridge answers an envelope for 4xx too; only a body that is not one is a surprise. */
export async function callBridge(call: BridgeCall): Promise<Envelope<unknown>> {
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...call.headers },
      body: JSON.stringify(call.args === undefined ? {} : { args: call.args }),
      cache: 'no-store',
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch {
    return { ok: false, error: call.unreachable };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isEnvelope(body)) return body;
  return { ok: false, error: { code: 'bridge-bad-answer', message: call.badAnswer(response.status) } };
}

/**
 * Pushed messages from `url`, each parsed and shape-checked by `accept`
 * before any listener sees it. Opened with the first listener; after the
 * stream was lost, `onReconnect` runs once it is back (what was sent
 * meanwhile is gone, so the page catches up by asking).
 */
export function pushStream<T>(options: { url: string; accept: (value: unknown) => value is T; onReconnect: (dispatch: (message: T) => void) => void }) {
  const listeners = new Set<(message: T) => void>();
  let source: EventSource | null = null;
  let lostContact = false;

  const dispatch = (message: T) => {
    for (const listener of [...listeners]) listener(message);
  };

  function open(): void {
    const es = new EventSource(options.url);
    source = es;
    es.onmessage = (message: MessageEvent<string>) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return;
      }
      if (options.accept(parsed)) dispatch(parsed);
    };
    es.onopen = () => {
      if (!lostContact) return;
      lostContact = false;
      options.onReconnect(dispatch);
    };
    es.onerror = () => {
      lostContact = true;
      if (es.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(() => {
          if (!source && listeners.size > 0) open();
        }, EVENTS_REOPEN_MS);
      }
    };
  }

  return {
    subscribe(listener: (message: T) => void): () => void {
      listeners.add(listener);
      if (!source) open();
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
