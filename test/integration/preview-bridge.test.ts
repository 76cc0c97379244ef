import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import { startPreviewServer } from '../../electron/preview/preview-server';
import type { ApiHandlers } from '../../electron/core/api/api-handlers';
import type { CustomerHandlers } from '../../electron/core/customer/customer-handlers';
import { RENDERER_CSP } from '../../electron/shared/content-security-policy';
import type { CustomerView } from '../../electron/shared/contract';
import { rawRequest } from '../support/http';
import { FAST_TIMING } from '../support/payments-fixture';

let preview: Preview;
let rendererDir: string;
let root: string;
beforeAll(async () => {
  // Not tempDir(): that one is emptied after each test, and this preview serves them all.
  root = mkdtempSync(join(tmpdir(), 'counter-preview-test-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Counter</title>');
  writeFileSync(join(rendererDir, 'customer.html'), '<!doctype html><title>Counter customer display</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
  preview = await startPreview({
    dataDir: join(root, 'data'),
    rendererDir,
    tunnel: { binary: { envPath: '' } },
    reconcilerTiming: FAST_TIMING,
  });
});
afterAll(async () => {
  await preview.close();
  rmSync(root, { recursive: true, force: true });
});

const call = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  rawRequest(preview.port, {
    path: `/api/${method}`,
    headers: { 'content-type': 'application/json', host: `127.0.0.1:${preview.port}`, 'x-counter-token': preview.token, ...headers },
    body: JSON.stringify(body),
  });

const customerToken = () => new URL(preview.customerUrl).searchParams.get('token')!;

const customerCall = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  rawRequest(preview.port, {
    path: `/customer-api/${method}`,
    headers: { 'content-type': 'application/json', host: `127.0.0.1:${preview.port}`, 'x-counter-customer-token': customerToken(), ...headers },
    body: JSON.stringify(body),
  });

/** Reads server-sent `data:` lines as JSON until one passes `wanted`; the first ones read are returned too. */
async function readEvents<T>(reader: ReadableStreamDefaultReader<Uint8Array>, wanted: (value: T) => boolean): Promise<T[]> {
  const seen: T[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the event stream ended');
    buffer += new TextDecoder().decode(value);
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of frame.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const event = JSON.parse(line.slice(6)) as T;
        seen.push(event);
        if (wanted(event)) return seen;
      }
    }
  }
}

describe('preview bridge', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(preview.url).toBe(`http://127.0.0.1:${preview.port}/?token=${preview.token}`);
    expect(preview.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers API calls that carry the token with the handler envelope', async () => {
    const res = await call('getStatus', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { mode: 'sandbox' } });
    const bad = await call('charge', { args: { amount: 'lots' } });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    for (const token of [undefined, '', 'x'.repeat(preview.token.length), preview.token.slice(1)]) {
      const headers: Record<string, string> = { 'content-type': 'application/json', host: `127.0.0.1:${preview.port}` };
      if (token !== undefined) headers['x-counter-token'] = token;
      const res = await rawRequest(preview.port, { path: '/api/charge', headers, body: JSON.stringify({ args: { amount: 500 } }) });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect(preview.core.reports.listSales({ mode: 'all' }).sales).toEqual([]);
  });

  it('refuses other hosts (DNS rebinding) and other sites (Origin)', async () => {
    expect((await call('getStatus', {}, { host: 'evil.example:80' })).status).toBe(421);
    expect((await call('getStatus', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('getStatus', {}, { origin: `http://127.0.0.1:${preview.port}` })).status).toBe(200);
  });

  it('refuses unknown methods, wrong verbs and non-JSON bodies', async () => {
    expect((await call('dropTables', {})).status).toBe(404);
    expect((await call('__proto__', {})).status).toBe(404);
    expect((await rawRequest(preview.port, { method: 'GET', path: '/api/getStatus', headers: { host: `127.0.0.1:${preview.port}`, 'x-counter-token': preview.token } })).status).toBe(405);
    expect((await call('getStatus', {}, { 'content-type': 'text/plain' })).status).toBe(415);
    const garbage = await rawRequest(preview.port, {
      path: '/api/getStatus',
      headers: { host: `127.0.0.1:${preview.port}`, 'x-counter-token': preview.token, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(garbage.status).toBe(400);
  });

  it('streams events only with the token', async () => {
    const denied = await fetch(`http://127.0.0.1:${preview.port}/events`);
    expect(denied.status).toBe(401);
    const stream = await fetch(`http://127.0.0.1:${preview.port}/events?token=${preview.token}`);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = stream.body!.getReader();
    await call('charge', { args: { amount: 700 } });
    let text = '';
    while (!text.includes('"type":"sale"')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const event = JSON.parse(text.split('\n').find((l) => l.startsWith('data: ') && l.includes('"type":"sale"'))!.slice(6));
    expect(event).toMatchObject({ type: 'sale', cause: 'created', sale: { amount: 700, status: 'pending' } });
  });

  it('exports CSV as a one-time download link that needs the token', async () => {
    await call('charge', { args: { amount: 1234 } });
    const answer = JSON.parse((await call('exportCsv', { args: { filter: { mode: 'all' } } })).body);
    expect(answer).toMatchObject({ ok: true, value: { kind: 'download', rows: expect.any(Number) } });
    // The answer never carries the token; the page adds its own.
    expect(answer.value.url).not.toContain(preview.token);
    const base = `http://127.0.0.1:${preview.port}${answer.value.url}`;
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(`${base}?token=wrong`)).status).toBe(401);
    const url = `${base}?token=${preview.token}`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="counter-sales-\d{4}-\d\d-\d\d\.csv"$/);
    const rows = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toMatch(/^sale_id,created_at,status/);
    expect(rows.length - 1).toBe(answer.value.rows);
    expect(rows.some((r) => r.includes(',12.34,0.00,') && r.includes(',USD,'))).toBe(true); // rung up 12.34, pending: nothing taken yet
    expect((await fetch(url)).status).toBe(404);
  });

  it('answers sales-log calls, and refuses a search it cannot read', async () => {
    const page = JSON.parse((await call('listSales', { args: { filter: { mode: 'all', search: '12.34' } } })).body);
    expect(page).toMatchObject({ ok: true, value: { sales: [{ amount: 1234 }] } });
    const bad = JSON.parse((await call('listSales', { args: { filter: { search: 'drop table' } } })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/amount.*intent id/) } });
    const pdf = JSON.parse((await call('saveReceiptPdf', { args: { saleId: page.value.sales[0].id } })).body);
    expect(pdf).toMatchObject({ ok: false, error: { code: 'unsupported', message: expect.stringMatching(/Save as PDF/) } });
  });

  it('serves the renderer with its CSP, and nothing outside it', async () => {
    const index = await fetch(`http://127.0.0.1:${preview.port}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(RENDERER_CSP).toContain('frame-src https://sdk.getcode.com');
    expect((await fetch(`http://127.0.0.1:${preview.port}/assets/app.js`)).status).toBe(200);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/%2e%2e%2fsecret.txt']) {
      const res = await rawRequest(preview.port, { method: 'GET', path, headers: { host: `127.0.0.1:${preview.port}` } });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('outside the renderer');
    }
  });
});

describe('preview bridge: the customer display', () => {
  const base = () => `http://127.0.0.1:${preview.port}`;

  it('has an address of its own, with a token that is not the till’s', () => {
    expect(preview.customerUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${preview.port}/customer\\?token=[A-Za-z0-9_-]{32,}$`));
    expect(customerToken()).not.toBe(preview.token);
  });

  it('serves the customer page with its token, with the renderer’s CSP', async () => {
    const page = await fetch(preview.customerUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('Counter customer display');
  });

  it('refuses the customer page without its token, with a wrong one, with the till’s, or as a plain file', async () => {
    for (const path of [
      '/customer',
      '/customer?token=',
      `/customer?token=${'x'.repeat(customerToken().length)}`,
      `/customer?token=${customerToken().slice(1)}`,
      `/customer?token=${preview.token}`,
      '/customer.html',
      `/customer.html?token=${customerToken()}`,
    ]) {
      const res = await fetch(`${base()}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-security-policy'), path).toBe(RENDERER_CSP);
      const text = await res.text();
      expect(text, path).toMatch(/not valid/);
      expect(text, path).not.toContain('Counter customer display');
    }
  });

  it('answers the customer API with its token only; the till’s token opens none of it', async () => {
    const view = await customerCall('customerView', {});
    expect(view.status).toBe(200);
    expect(JSON.parse(view.body)).toMatchObject({ ok: true, value: { state: expect.any(String), shopName: 'My shop', mode: 'sandbox' } });
    const wrong: Array<Record<string, string>> = [
      { 'x-counter-customer-token': preview.token },
      { 'x-counter-customer-token': '' },
      { 'x-counter-token': preview.token, 'x-counter-customer-token': 'wrong' },
    ];
    for (const headers of wrong) {
      const refused = await customerCall('customerView', {}, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it('the customer’s token opens none of the till’s routes', async () => {
    const before = preview.core.reports.listSales({ mode: 'all' }).sales.length;
    for (const method of ['charge', 'getSettings', 'updateSettings', 'chooseTip']) {
      const res = await call(method, { args: { amount: 500 } }, { 'x-counter-token': customerToken() });
      expect(res.status, method).toBe(401);
    }
    expect((await fetch(`${base()}/events?token=${customerToken()}`)).status).toBe(401);
    expect(preview.core.reports.listSales({ mode: 'all' }).sales).toHaveLength(before);
  });

  it('checks the customer API’s requests as the till’s: method, verb, body, host, origin', async () => {
    expect((await customerCall('charge', {})).status).toBe(404);
    expect((await customerCall('__proto__', {})).status).toBe(404);
    const get = await rawRequest(preview.port, {
      method: 'GET',
      path: '/customer-api/customerView',
      headers: { host: `127.0.0.1:${preview.port}`, 'x-counter-customer-token': customerToken() },
    });
    expect(get.status).toBe(405);
    expect((await customerCall('customerView', {}, { 'content-type': 'text/plain' })).status).toBe(415);
    const garbage = await rawRequest(preview.port, {
      path: '/customer-api/customerView',
      headers: { host: `127.0.0.1:${preview.port}`, 'x-counter-customer-token': customerToken(), 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(garbage.status).toBe(400);
    const huge = await customerCall('chooseTip', { args: { saleId: 1, choice: { kind: 'none' }, pad: 'x'.repeat(70 * 1024) } });
    expect(huge.status).toBe(413);
    expect((await customerCall('customerView', {}, { host: 'evil.example:80' })).status).toBe(421);
    expect((await customerCall('customerView', {}, { origin: 'https://evil.example' })).status).toBe(403);
    const bad = await customerCall('chooseTip', { args: { saleId: 'one', choice: { kind: 'none' } } });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/^Invalid request to chooseTip: saleId/) } });
  });

  it('streams the current view first, then every new one, with its token only', async () => {
    for (const token of ['', 'wrong', preview.token]) {
      expect((await fetch(`${base()}/customer-events?token=${token}`)).status, token).toBe(401);
    }
    const stream = await fetch(`${base()}/customer-events?token=${customerToken()}`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = stream.body!.getReader();
    const [first] = await readEvents<CustomerView>(reader, () => true);
    expect(first).toEqual(preview.core.customerDisplay.view());
    const charged = JSON.parse((await call('charge', { args: { amount: 345 } })).body);
    expect(charged).toMatchObject({ ok: true });
    const seen = await readEvents<CustomerView>(reader, (view) => view.state === 'code' && view.saleId === charged.value.sale.id);
    await reader.cancel();
    expect(seen.at(-1)).toMatchObject({ state: 'code', amount: 345, payment: { intentId: charged.value.codePayment.intentId } });
  });

  it('the till opens the customer page by a relative address carrying the customer’s token; off, it says so', async () => {
    const opened = JSON.parse((await call('openCustomerDisplay', {})).body);
    expect(opened).toEqual({ ok: true, value: { kind: 'url', url: `/customer?token=${customerToken()}` } });
    expect((await fetch(`${base()}${opened.value.url}`)).status).toBe(200);
    // Settings are the owner's, and this preview stays a fresh install (no owner): the switch is set on the core.
    expect(JSON.parse((await call('updateSettings', { args: { customerDisplay: false } })).body)).toMatchObject({ ok: false, error: { code: 'owner-needed' } });
    await preview.core.updateSettings({ customerDisplay: false });
    try {
      expect(JSON.parse((await call('openCustomerDisplay', {})).body)).toEqual({ ok: true, value: { kind: 'off' } });
    } finally {
      await preview.core.updateSettings({ customerDisplay: true });
    }
  });
});

describe('preview bridge: without a customer display', () => {
  const bare = { handlers: {} as ApiHandlers, onEvent: () => () => undefined, token: 'till-token-till-token-till-token' };

  it('serves no customer route at all', async () => {
    const server = await startPreviewServer({ ...bare, rendererDir });
    try {
      expect(server.customerUrl).toBeNull();
      const host = `127.0.0.1:${server.port}`;
      expect((await fetch(`http://${host}/customer?token=anything`)).status).toBe(401);
      expect((await fetch(`http://${host}/customer-events?token=anything`)).status).toBe(404);
      const api = await rawRequest(server.port, {
        path: '/customer-api/customerView',
        headers: { host, 'content-type': 'application/json', 'x-counter-customer-token': 'anything' },
        body: '{}',
      });
      expect(api.status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('refuses to start with the till’s token as the customer’s', async () => {
    const customer = { token: bare.token, handlers: {} as CustomerHandlers, view: () => ({ state: 'idle' as const, shopName: 'x', mode: 'sandbox' as const }), onView: () => () => undefined };
    await expect(startPreviewServer({ ...bare, rendererDir, customer })).rejects.toThrow(/token of its own/);
  });
});

