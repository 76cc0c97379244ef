// The renderer's one way to reach the main process. In Electron the preload
// exposes `window.counter`; in the browser preview the same CounterApi is
// served over HTTP by a token-protected bridge on loopback (SPEC §4.8).
// Types only from the contract: its values pull zod and Node-side modules.
// The method list comes from api-methods.ts, which imports nothing (the
// preload bundles it too) and which the contract checks against ApiMethod.
import { API_METHOD_NAMES } from '../../../electron/shared/contract/api-methods';
import { isCounterEvent } from './counter-event';
import { callBridge, pushStream } from './http-bridge';
import type { ApiError, ApiMethod, AppStatus, CounterApi, CounterEvent, Envelope, ExportResult } from '../../../electron/shared/contract';

declare global {
  interface Window {
    counter?: CounterApi;
  }
}

/** Long enough for a slow sequencer answer behind the bridge, short enough that the till never hangs for good. */
const CALL_TIMEOUT_MS = 60_000;

const UNREACHABLE: ApiError = { code: 'bridge-unreachable', message: 'Lost contact with Counter…' };

let instance: CounterApi | null = null;

export function getCounterApi(): CounterApi {
  if (!instance) {
    const bridged = typeof window !== 'undefined' ? window.counter : undefined;
    instance = bridged && typeof bridged.charge === 'function' ? bridged : createHttpApi(readToken());
  }
  return instance;
}

/** Whether the renderer runs in a browser through the preview's bridge (not in the Electron app): a browser cannot open folders or save files itself. */
export function inBrowserPreview(): boolean {
  const bridged = typeof window !== 'undefined' ? window.counter : undefined;
  return !(bridged && typeof bridged.charge === 'function');
}

function readToken(): string {
  return new URLSearchParams(location.search).get('token') ?? '';
}

export function createHttpApi(token: string): CounterApi {
  const call = (method: ApiMethod, args: unknown): Promise<Envelope<unknown>> =>
    callBridge({
      url: `/api/${method}`,
      headers: { 'X-Counter-Token': token },
      args,
      timeoutMs: CALL_TIMEOUT_MS,
      unreachable: UNREACHABLE,
      badAnswer: (status) => `Counter gave an answer the till cannot read (HTTP ${status}). Try again.`,
    });

  const events = pushStream({
    url: `/events?token=${encodeURIComponent(token)}`,
    accept: isCounterEvent,
    // Events sent while the stream was down are gone: catch up on the status.
    // (The till re-reads the sale on screen by itself while it waits.)
    onReconnect: (dispatch) =>
      void call('getStatus', undefined).then((answer) => {
        if (answer.ok) dispatch({ type: 'status', status: answer.value as AppStatus });
      }),
  });

  const api: Record<string, unknown> = {};
  for (const method of API_METHOD_NAMES) {
    api[method] = (args: unknown) => call(method, args);
  }
  // A download link needs the token like every other request to the bridge.
  const withToken = (method: 'exportCsv' | 'exportAudit') => async (args: unknown) => {
    const answer = (await call(method, args)) as Envelope<ExportResult>;
    if (answer.ok && answer.value.kind === 'download') {
      const url = answer.value.url;
      return { ...answer, value: { ...answer.value, url: `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` } };
    }
    return answer;
  };
  api.exportCsv = withToken('exportCsv');
  api.exportAudit = withToken('exportAudit');
  api.onEvent = (listener: (event: CounterEvent) => void) => events.subscribe(listener);
  return api as CounterApi;
}
