import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import { RENDERER_CSP } from '../../electron/shared/content-security-policy';
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
