import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createApiHandlers, type ApiHandlers, type ApiHost } from '../../electron/core/api/api-handlers';
import { createCounterCore, type CounterCore, type CounterCoreOptions } from '../../electron/core/app/counter-core';
import type { ApiMethod, ApiResults, CounterEvent, Envelope } from '../../electron/shared/contract';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import type { Actor } from '../../electron/shared/domain/people';
import { rawRequest } from './http';
import { FAST_TIMING } from './payments-fixture';
import { tempDir } from './temp-dir';

/** Nothing listens here: the live rail finds Code "offline" instead of asking Code's real sequencer from a test. */
export const NO_CODE = 'http://127.0.0.1:9/v1';

/** A host that writes no file: exports answer a download link, as the preview's do. */
export const TEST_HOST: ApiHost = {
  exportCsv: async () => ({ kind: 'download', url: '/export/test.csv', rows: 0 }),
  saveReceiptPdf: async () => ({ saved: false }),
  openLogFolder: async () => ({ opened: false, path: null }),
  openCustomerDisplay: async () => ({ kind: 'url', url: 'http://127.0.0.1:1/customer?token=t' }),
  exportAudit: async () => ({ kind: 'download', url: '/export/audit.csv', rows: 0 }),
};

export interface ApiCore {
  core: CounterCore;
  api: ApiHandlers;
  events: CounterEvent[];
  dir: string;
}

/** The real core (ledger, sandbox, listener, payments, no cloudflared) with its handler table. */
export async function startApiCore(extra: Partial<CounterCoreOptions> = {}, host: Partial<ApiHost> = {}): Promise<ApiCore> {
  const dir = extra.dataDir ?? tempDir();
  const core = await createCounterCore({
    dataDir: dir,
    timeZone: 'UTC',
    tunnel: { binary: { envPath: '' } },
    sandbox: { timeScale: 0.001, webhookTimeoutMs: 1_000 },
    rails: { liveEndpoint: NO_CODE },
    ...extra,
  });
  const events: CounterEvent[] = [];
  core.onEvent((e) => events.push(e));
  return { core, api: createApiHandlers(core, { ...TEST_HOST, ...host }), events, dir };
}

/** The envelope's value, or the test fails with the envelope's error. */
export function valueOf<T>(answer: Envelope<T>): T {
  if (!answer.ok) expect.fail(`expected ok, got ${answer.error.code}: ${answer.error.message}`);
  return answer.value;
}

/** Any transport to the till's API: the handler table, or the preview bridge over HTTP. */
export type ApiCall = <M extends ApiMethod>(method: M, args?: unknown) => Promise<Envelope<ApiResults[M]>>;

export const tableCall =
  (api: ApiHandlers): ApiCall =>
  (method, args) =>
    api[method](args) as never;

/**
 * The preview (the bridge over HTTP on the real core, UTC, fast reconciling)
 * serving a stub renderer, in a fresh folder `prefix…` under the system's
 * temp directory. Closed, then the folder removed, by `cleanups`.
 */
export async function startStubPreview(cleanups: { push(...cleanups: Array<() => Promise<void>>): unknown }, prefix: string): Promise<Preview> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(async () => rmSync(root, { recursive: true, force: true }));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Counter</title>');
  writeFileSync(join(rendererDir, 'customer.html'), '<!doctype html><title>Counter customer display</title>');
  const preview = await startPreview({ dataDir: join(root, 'data'), rendererDir, tunnel: { binary: { envPath: '' } }, reconcilerTiming: FAST_TIMING, timeZone: 'UTC' });
  cleanups.push(() => preview.close());
  return preview;
}

/** The till's API through the preview bridge over HTTP, with the preview's token; every answer is an envelope with HTTP 200. */
export const bridgeCall =
  (preview: Preview): ApiCall =>
  async (method, args) => {
    const res = await rawRequest(preview.port, {
      path: `/api/${method}`,
      headers: { 'content-type': 'application/json', host: `127.0.0.1:${preview.port}`, 'x-counter-token': preview.token },
      body: JSON.stringify(args === undefined ? {} : { args }),
    });
    expect(res.status, method).toBe(200);
    return JSON.parse(res.body) as never;
  };

/**
 * The owner Ana (PIN 2580), a cashier Ben (1357) and a manager Cleo (8642),
 * created through the API; Ana stays signed in.
 */
export async function peopleThrough(call: ApiCall): Promise<{ ana: Actor; ben: Actor; cleo: Actor }> {
  const created = valueOf(await call('createOwner', { name: 'Ana', pin: '2580' }));
  const ana = created.session.person!;
  const ben = valueOf(await call('addPerson', { name: 'Ben', role: 'cashier', pin: '1357' }));
  const cleo = valueOf(await call('addPerson', { name: 'Cleo', role: 'manager', pin: '8642' }));
  return { ana, ben: { id: ben.id, name: ben.name, role: ben.role }, cleo: { id: cleo.id, name: cleo.name, role: cleo.role } };
}

export const PINS: Record<string, string> = { Ana: '2580', Ben: '1357', Cleo: '8642' };

/**
 * The real core with its handler table, and the owner Ana, the cashier Ben
 * and the manager Cleo created through it (peopleThrough: Ana stays signed
 * in); the core is closed by `cleanups`.
 */
export async function startShopWithPeople(cleanups: { push(...cleanups: Array<() => Promise<void>>): unknown }) {
  const started = await startApiCore();
  cleanups.push(() => started.core.close());
  const call = tableCall(started.api);
  const people = await peopleThrough(call);
  return { ...started, call, ...people };
}

/** Signs `who` in through the API. */
export async function signInThrough(call: ApiCall, who: Actor): Promise<void> {
  valueOf(await call('signIn', { personId: who.id, pin: PINS[who.name] }));
}
