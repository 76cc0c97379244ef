import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_CSV_HEADER, writeAuditCsv } from '../../electron/core/export/audit-csv';
import { createLedger } from '../../electron/core/ledger/ledger';
import { DEFAULT_PRINTER_SETTINGS } from '../../electron/shared/domain/printer';
import { bridgeCall, peopleThrough, signInThrough, startApiCore, startShopWithPeople, startStubPreview, tableCall, valueOf } from '../support/api-core';
import { tempDir } from '../support/temp-dir';

// The audit log: append-only in the file itself (triggers refuse UPDATE and
// DELETE), read newest first in pages, settings changes kept as old and new
// with the tunnel token never written, the till's audited actions (cancel,
// No sale, exports), and the owner's CSV export through the preview's
// one-time download.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function ledgerAt(start = Date.UTC(2026, 10, 30, 9)) {
  let t = start;
  const ledger = createLedger({ dir: tempDir(), timeZone: 'Europe/Lisbon', now: () => t });
  cleanups.push(() => ledger.close());
  return { ledger, tick: (ms = 1_000) => (t += ms) };
}

const TOKEN = 'eyJhIjoiY2FmZSIsInQiOiJ0dW5uZWwtdG9rZW4tZm9yLWNvdW50ZXIifQ';

describe('the audit log in the ledger', () => {
  it('refuses UPDATE and DELETE in the file itself, whoever asks', () => {
    const { ledger } = ledgerAt();
    ledger.audit.append({ action: 'export', actor: null, summary: 'Sales CSV exported (0 sales)' });
    const db = ledger.database;
    expect(() => db.prepare(`UPDATE audit_log SET summary = 'nothing happened'`).run()).toThrow(/audit_log is append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/audit_log is append-only/);
    expect(() => db.prepare(`UPDATE audit_log SET person_name = 'Someone else' WHERE id = 1`).run()).toThrow(/append-only/);
    expect(ledger.audit.page().entries).toMatchObject([{ id: 1, summary: 'Sales CSV exported (0 sales)' }]);
  });

  it('pages newest first, optionally one action, and refuses a cursor it did not issue', () => {
    const { ledger, tick } = ledgerAt();
    for (let n = 1; n <= 120; n++) {
      ledger.audit.append({ action: n % 3 === 0 ? 'sign-in' : 'export', actor: null, summary: `entry ${n}` });
      tick();
    }
    const seen: number[] = [];
    let page = ledger.audit.page({ limit: 50 });
    const sizes = [page.entries.length];
    seen.push(...page.entries.map((e) => e.id));
    while (page.nextCursor) {
      page = ledger.audit.page({ limit: 50, cursor: page.nextCursor });
      sizes.push(page.entries.length);
      seen.push(...page.entries.map((e) => e.id));
    }
    expect(sizes).toEqual([50, 50, 20]);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 120 - i));
    const signIns = ledger.audit.page({ action: 'sign-in', limit: 100 }).entries;
    expect(signIns).toHaveLength(40);
    expect(signIns.every((e) => e.action === 'sign-in')).toBe(true);
    expect(() => ledger.audit.page({ cursor: "1'; DROP TABLE audit_log" })).toThrow(/not a cursor/);
  });
});

const ownerShop = () => startShopWithPeople(cleanups);

describe('settings changes in the audit log', () => {
  it('keeps only the keys that changed, old and new, with who; the tunnel token is never written', async () => {
    const { call, core } = await ownerShop();
    valueOf(await call('updateSettings', { shopName: 'Corner Café', currency: 'usd', tunnel: { kind: 'named', token: TOKEN, publicUrl: 'https://till.example.com' } }));
    const [entry] = core.ledger.audit.page({ action: 'settings-changed' }).entries;
    expect(entry).toMatchObject({ personName: 'Ana', summary: 'Ana changed the settings: shop name, tunnel' });
    expect(entry!.detail).toEqual({
      changes: {
        shopName: { from: 'My shop', to: 'Corner Café' },
        tunnel: { from: { kind: 'quick' }, to: { kind: 'named', token: '[hidden]', publicUrl: 'https://till.example.com' } },
      },
    });

    // A new token alone still shows as a change, with neither side written.
    valueOf(await call('updateSettings', { tunnel: { kind: 'named', token: `${TOKEN}x`, publicUrl: 'https://till.example.com' } }));
    expect(core.ledger.audit.page({ action: 'settings-changed' }).entries[0]!.detail).toEqual({
      changes: { tunnel: { from: { kind: 'named', token: '[hidden]', publicUrl: 'https://till.example.com' }, to: { kind: 'named', token: '[hidden]', publicUrl: 'https://till.example.com' } } },
    });
    // Nothing changed: nothing written.
    valueOf(await call('updateSettings', { shopName: 'Corner Café' }));
    expect(core.ledger.audit.page({ action: 'settings-changed' }).entries).toHaveLength(2);

    const file = JSON.stringify(core.ledger.database.prepare('SELECT * FROM audit_log').all());
    expect(file).not.toContain(TOKEN);
    expect(file).not.toContain('dHVubmVs');
  });

  it('records the idle lock and the printer as they were and became', async () => {
    const { call, core } = await ownerShop();
    const printer = { ...DEFAULT_PRINTER_SETTINGS, kind: 'network' as const, host: '127.0.0.1', port: 9 };
    valueOf(await call('updateSettings', { lockAfterMinutes: 2, printer }));
    expect(core.ledger.audit.page({ action: 'settings-changed' }).entries[0]!.detail).toEqual({
      changes: { lockAfterMinutes: { from: 5, to: 2 }, printer: { from: DEFAULT_PRINTER_SETTINGS, to: printer } },
    });
    // The session follows the new idle time at once.
    expect(valueOf(await call('sessionState')).lockAfterMs).toBe(120_000);
  });

  it('a change made before the owner exists (set-up, tests) names nobody', async () => {
    const started = await startApiCore();
    cleanups.push(() => started.core.close());
    await started.core.updateSettings({ shopName: 'Corner Café' });
    expect(started.core.ledger.audit.page().entries).toMatchObject([{ action: 'settings-changed', personId: null, personName: null, summary: 'Setup changed the settings: shop name' }]);
  });

  it('a refused change writes no entry', async () => {
    const { call, core } = await ownerShop();
    const count = core.ledger.audit.page({ limit: 1000 }).entries.length;
    expect(await call('updateSettings', { shopName: '' })).toMatchObject({ ok: false, error: { code: 'invalid-settings' } });
    expect(core.ledger.audit.page({ limit: 1000 }).entries).toHaveLength(count);
  });
});

describe('the till’s audited actions', () => {
  it('a cancel is recorded with its sale; a refused cancel (the sale partly paid) writes no entry and leaves the sale open', async () => {
    const { call, core } = await ownerShop();
    await core.updateSettings({ sandboxPaymentService: false });
    valueOf(await call('openShift', { float: 0 }));
    const open = valueOf(await call('charge', { amount: 700 })).sale;
    const partly = valueOf(await call('charge', { amount: 900 })).sale;
    valueOf(await call('takeOther', { saleId: partly.id, amount: 100, label: 'Card' }));
    const count = () => core.ledger.audit.page({ action: 'sale-cancelled', limit: 100 }).entries.length;

    expect(await call('cancelSale', { saleId: partly.id })).toMatchObject({ ok: false, error: { code: 'partly-paid' } });
    expect(count()).toBe(0);
    expect(core.ledger.getSale(partly.id).status).toBe('partly_paid');

    valueOf(await call('cancelSale', { saleId: open.id }));
    expect(core.ledger.audit.page({ action: 'sale-cancelled' }).entries).toMatchObject([
      { personName: 'Ana', saleId: open.id, summary: `Sale #${open.id} ($7.00) cancelled by Ana`, detail: { saleId: open.id, amount: 700, currency: 'usd' } },
    ]);
    expect(core.ledger.getSale(open.id)).toMatchObject({ status: 'cancelled', closedBy: { name: 'Ana' } });
  });

  it('No sale, a sales export and an audit export are recorded with who did them', async () => {
    const { call, core, cleo } = await ownerShop();
    valueOf(await call('updateSettings', { printer: { ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: '127.0.0.1', port: 9, drawerOnCash: false } }));
    await signInThrough(call, cleo);
    const opening = valueOf(await call('openDrawer'));
    valueOf(await call('exportCsv', { filter: { mode: 'all' } }));
    expect(core.ledger.audit.page({ limit: 2 }).entries).toMatchObject([
      { action: 'export', personName: 'Cleo', summary: 'Sales CSV exported (0 sales)', detail: { what: 'sales', rows: 0, to: 'download', filter: { mode: 'all' } } },
      { action: 'drawer-opened', personName: 'Cleo', summary: 'Drawer opened (No sale) by Cleo', detail: { reason: 'no-sale', openingId: opening.id } },
    ]);
    // The opening itself names her too, in the same transaction as its audit entry.
    expect(core.ledger.database.prepare('SELECT person_id FROM drawer_openings WHERE id = ?').get(opening.id)).toEqual({ person_id: cleo.id });
  });

  it('a cancelled export (the owner closed the dialog) is not recorded', async () => {
    const started = await startApiCore({}, { exportCsv: async () => ({ kind: 'cancelled' }), exportAudit: async () => ({ kind: 'cancelled' }) });
    cleanups.push(() => started.core.close());
    const call = tableCall(started.api);
    await peopleThrough(call);
    const count = started.core.ledger.audit.page({ limit: 1000 }).entries.length;
    expect(valueOf(await call('exportCsv', { filter: { mode: 'all' } }))).toEqual({ kind: 'cancelled' });
    expect(valueOf(await call('exportAudit'))).toEqual({ kind: 'cancelled' });
    expect(started.core.ledger.audit.page({ limit: 1000 }).entries).toHaveLength(count);
  });

  it('the owner reads it through the API, page by page; nobody else does', async () => {
    const { call, ben } = await ownerShop();
    const first = valueOf(await call('auditLog', { limit: 2 }));
    expect(first.entries.map((e) => e.action)).toEqual(['person-added', 'person-added']);
    const rest = valueOf(await call('auditLog', { cursor: first.nextCursor, limit: 200 }));
    expect(rest.entries.map((e) => e.action)).toEqual(['owner-created']);
    expect(rest.nextCursor).toBeNull();
    expect(valueOf(await call('auditLog', { action: 'owner-created' })).entries).toHaveLength(1);
    expect(await call('auditLog', { limit: 500 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    await signInThrough(call, ben);
    expect(await call('auditLog', {})).toEqual({ ok: false, error: { code: 'forbidden', message: 'The audit log needs the owner.' } });
  });
});

describe('the audit CSV', () => {
  it('is RFC 4180 with the shop’s offset, JSON detail, and typed text that cannot run as a formula', async () => {
    const { ledger, tick } = ledgerAt();
    // A name is typed by someone: this one would run in a spreadsheet.
    const person = ledger.people.insert({ name: '=HYPERLINK("x")', role: 'owner', pinHash: 'scrypt$not-checked-here', at: 0 }, () => null);
    ledger.audit.append({ action: 'export', actor: { id: person.id, name: person.name, role: 'owner' }, summary: 'Sales CSV exported (3 sales)', detail: { rows: 3 } });
    tick(60_000);
    ledger.audit.append({ action: 'sale-cancelled', actor: null, summary: 'Sale #1, "big" one, cancelled', detail: {} });
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const rows = await writeAuditCsv(ledger.audit.iterate(), ledger.timeZone, sink);
    sink.end();
    expect(rows).toBe(2);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      AUDIT_CSV_HEADER.join(','),
      `1,2026-11-30T09:00:00.000+00:00,1,"'=HYPERLINK(""x"")",export,Sales CSV exported (3 sales),"{""rows"":3}",,`,
      '2,2026-11-30T09:01:00.000+00:00,,,sale-cancelled,"Sale #1, ""big"" one, cancelled",{},,',
      '',
    ]);
  });

  it('downloads once from the preview, with the preview’s token, and the export itself is recorded', async () => {
    const preview = await startStubPreview(cleanups, 'counter-audit-test-');
    const call = bridgeCall(preview);
    await peopleThrough(call);
    const answer = valueOf(await call('exportAudit'));
    expect(answer).toMatchObject({ kind: 'download', rows: 3, url: expect.stringMatching(/^\/export\/[A-Za-z0-9_-]+\.csv$/) });
    if (answer.kind !== 'download') return;
    expect(answer.url).not.toContain(preview.token);
    const base = `http://127.0.0.1:${preview.port}${answer.url}`;
    expect((await fetch(base)).status).toBe(401);
    const res = await fetch(`${base}?token=${preview.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="counter-audit-\d{4}-\d\d-\d\d\.csv"$/);
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_HEADER.join(','));
    // The log as it was when the link was offered: this export's own entry comes after it.
    expect(lines.slice(1).map((l) => l.split(',')[4])).toEqual(['owner-created', 'person-added', 'person-added']);
    expect((await fetch(`${base}?token=${preview.token}`)).status).toBe(404);
    expect(preview.core.ledger.audit.page({ limit: 1 }).entries).toMatchObject([{ action: 'export', personName: 'Ana', summary: 'Audit log exported (3 entries)', detail: { what: 'audit', rows: 3, to: 'download' } }]);
  });
});
