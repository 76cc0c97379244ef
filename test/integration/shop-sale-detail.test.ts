import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bs58 from 'bs58';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedactor } from '../../electron/core/app/redactor';
import { LedgerError } from '../../electron/core/ledger/errors';
import type { Ledger } from '../../electron/core/ledger/ledger';
import { connectShopDatabase, type ShopDatabaseConnection } from '../../electron/core/shop-db/shop-database';
import { createShopReports, type ShopReports } from '../../electron/core/shop-db/shop-reports';
import { webhookPathFor } from '../../electron/core/webhook/listener-server';
import { API_ARGS, type PaymentEvent, type Refund, type Sale } from '../../electron/shared/contract';
import type { ShopSale } from '../../electron/shared/domain/shop-view';
import { peopleThrough, startApiCore, tableCall, valueOf } from '../support/api-core';
import { caughtLedgerError, rejectedAs } from '../support/ledger-guard';
import { pushAll, tradingTill } from '../support/shop-report-tills';
import { usePostgres } from '../support/use-postgres';

/**
 * The owner's read-only detail of any till's sale (shopSale), against a
 * real PostgreSQL server: two tills trade (Code payments and their proofs,
 * late payments, splits, cash, tips, refunds, voids) and push everything;
 * then every sale of each till reads from the shop database exactly as
 * that till's own getSale answers it, apart from the till it names.
 */

const server = usePostgres();

const TZ = 'Europe/Paris';
const SHOP = 'Corner Café';
const START = Date.parse('2026-03-02T08:00:00Z');
const SALES_PER_TILL = 90;
/** The first till's webhook path secret: in its tenders' webhook URLs, which the shop database holds. */
const PATH_SECRET = 'till-one-path-secret-0123456789';

interface Answer {
  sale: Sale;
  events: PaymentEvent[];
  refunds: Refund[];
}

let root: string;
let ledgers: Ledger[] = [];
let tillIds: string[] = [];
let url: string;
let shop: ShopDatabaseConnection;
let reports: ShopReports;

/** What the till's getSale handler answers from its own ledger (api-handlers.ts), before its redactor. */
const getSaleOf = (ledger: Ledger, saleId: number): Answer => ({ ...ledger.getSaleWithEvents(saleId), refunds: ledger.refunds.listBySale(saleId) });

/** That answer as the till's own screens show it: its path secret masked by its redactor. */
const shownByItsTill = (answer: Answer): Answer => createRedactor([PATH_SECRET]).value(answer);

const withoutTill = ({ sale: { till: _till, ...sale }, ...rest }: { sale: ShopSale; events: PaymentEvent[]; refunds: Refund[] }): Answer => ({ sale, ...rest });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'counter-shop-sale-'));
  url = await server().database();
  shop = await connectShopDatabase({ url });
  const tills = [41, 42].map((seed) => tradingTill(mkdtempSync(join(root, 'till-')), { timeZone: TZ, start: START, sales: SALES_PER_TILL, seed }));
  // On the first till, a Code payment through its tunnel (the URL ends in its path secret) whose webhook came twice, then part refunded.
  const { ledger, owner } = tills[0]!;
  const sale = ledger.createSale({ amount: 1250, currency: 'usd', mode: 'live', destination: bs58.encode(Buffer.alloc(32, 7)) });
  const { tender } = ledger.addCodeTender(sale.id, { amount: 1250, seq: 1, intentId: bs58.encode(Buffer.alloc(32, 3)) });
  ledger.setTenderWebhookUrl(tender.id, `https://counter.example${webhookPathFor(PATH_SECRET)}`);
  ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: 12_500_000, exchangeRate: 1, payload: { n: 1 } });
  ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: { n: 1 } });
  ledger.refunds.record({ saleId: sale.id, amount: 250, method: 'other', note: 'back on the card', by: { id: owner.id, name: owner.name, role: owner.role } });
  // On the second, a sale cancelled while its Code payment waited, whose payment then landed: paid late.
  const second = tills[1]!.ledger;
  const late = second.createSale({ amount: 900, currency: 'eur', mode: 'sandbox', destination: bs58.encode(Buffer.alloc(32, 8)) });
  const waiting = second.addCodeTender(late.id, { amount: 900, seq: 1, intentId: bs58.encode(Buffer.alloc(32, 4)) }).tender;
  second.cancel(late.id);
  second.recordProof({ tenderId: waiting.id, source: 'status_poll', quarks: 9_000_000, exchangeRate: 1, payload: '{}' });
  ledgers = tills.map((t) => t.ledger);
  for (const l of ledgers) await pushAll(l, shop, { shopName: SHOP, tillName: '' });
  tillIds = ledgers.map((l) => l.outbox.tillId());
  reports = createShopReports({ db: shop, timeZone: TZ, thisTillId: tillIds[0]! });
}, 60_000);

afterAll(async () => {
  await shop?.close();
  for (const ledger of ledgers) ledger.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const saleCount = (ledger: Ledger) => (ledger.database.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;

describe('the read-only detail of any till’s sale', () => {
  it('reads every sale of each till as that till’s own getSale answers it, apart from the till it names', async () => {
    const tills = await reports.tills();
    const seen: Answer[] = [];
    for (const [i, ledger] of ledgers.entries()) {
      const till = tills.find((t) => t.id === tillIds[i])!;
      for (let id = 1; id <= saleCount(ledger); id++) {
        const answer = await reports.sale(tillIds[i], id);
        const expected = shownByItsTill(getSaleOf(ledger, id));
        expect(withoutTill(answer), `sale #${id} of till ${i + 1}`).toEqual(expected);
        expect(answer.sale.till).toEqual({ id: till.id, label: till.label, thisTill: i === 0 });
        seen.push(expected);
      }
    }
    // What the comparison covered: every part of a sale's detail.
    const sales = seen.map((a) => a.sale);
    expect(seen.length).toBe(2 * SALES_PER_TILL + 2);
    expect(sales.filter((s) => s.tenders.length > 1).length).toBeGreaterThan(0);
    expect(sales.filter((s) => s.paidLate).length).toBeGreaterThan(0);
    expect(sales.filter((s) => s.voidedAt !== null).length).toBeGreaterThan(0);
    expect(sales.filter((s) => s.tipAmount > 0).length).toBeGreaterThan(0);
    expect(seen.filter((a) => a.refunds.length > 0).length).toBeGreaterThan(1);
    const events = seen.flatMap((a) => a.events);
    for (const outcome of ['credited', 'duplicate', 'late', 'cancelled'] as const) expect(events.some((e) => e.outcome === outcome), outcome).toBe(true);
    expect(events.some((e) => e.tenderId !== null) && events.some((e) => e.tenderId === null)).toBe(true);
  });

  it('never shows a till’s webhook path secret: it is masked as that till’s own screens mask it', async () => {
    const last = saleCount(ledgers[0]!);
    const { sale } = await reports.sale(tillIds[0], last);
    expect(sale.tenders[0]!.webhookUrl).toBe('https://counter.example/code-webhook/[redacted]');
    expect(JSON.stringify(await reports.listSales({ mode: 'all' }, { limit: 200 }, tillIds[0]))).not.toContain(PATH_SECRET);
  });

  it('a sale the shop database does not hold, or a till that never pushed, is the ledger’s not-found', async () => {
    const missing = saleCount(ledgers[1]!) + 1;
    const onLedger = caughtLedgerError(() => ledgers[1]!.getSale(missing));
    const onShop = await rejectedAs(LedgerError, reports.sale(tillIds[1], missing));
    expect(onShop.code).toBe(onLedger.code);
    expect(onShop.code).toBe('not-found');
    expect(onShop.message).toBe(`${onLedger.message} on till ${tillIds[1]}`);
    const nowhere = randomUUID();
    const noTill = await rejectedAs(LedgerError, reports.sale(nowhere, 1));
    expect([noTill.code, noTill.message]).toEqual(['not-found', `No till with id ${nowhere} in the shop database`]);
  });

  it('a till id that is not a UUID, or a sale id that is not a positive whole number, is refused as invalid input', async () => {
    for (const bad of ['till-1', '', null, undefined, 42, `${tillIds[0]}x`]) {
      const error = await rejectedAs(LedgerError, reports.sale(bad, 1));
      expect([error.code, error.message]).toEqual(['invalid-input', 'Invalid till: must be a till id (a UUID)']);
    }
    for (const bad of [0, -1, 1.5, '1', null]) {
      const onShop = await rejectedAs(LedgerError, reports.sale(tillIds[0], bad));
      const onLedger = caughtLedgerError(() => ledgers[0]!.getSale(bad));
      expect([onShop.code, onShop.message]).toEqual([onLedger.code, onLedger.message]);
    }
    // The contract refuses them before the core is asked; the upper-case spelling of a till id is the same till.
    expect(API_ARGS.shopSale.safeParse({ tillId: 'till-1', saleId: 1 }).success).toBe(false);
    expect(API_ARGS.shopSale.safeParse({ tillId: tillIds[0], saleId: 0 }).success).toBe(false);
    expect(API_ARGS.shopSale.safeParse({ tillId: tillIds[0], saleId: 1, extra: true }).success).toBe(false);
    expect(withoutTill(await reports.sale(tillIds[1]!.toUpperCase(), 1))).toEqual(withoutTill(await reports.sale(tillIds[1], 1)));
  });

  it('through the till’s API: the owner reads another till’s sale; a bad till id is invalid input, a missing sale not found', async () => {
    const { core, api } = await startApiCore({ shopDatabase: { url, timing: { idleMs: 20, backoff: { baseMs: 20, capMs: 200 } } } });
    try {
      const call = tableCall(api);
      await peopleThrough(call);
      for (const id of [1, 2, saleCount(ledgers[0]!)]) {
        const answer = valueOf(await call('shopSale', { tillId: tillIds[0], saleId: id }));
        expect(withoutTill(answer)).toEqual(shownByItsTill(getSaleOf(ledgers[0]!, id)));
        expect(answer.sale.till).toMatchObject({ id: tillIds[0], thisTill: false });
      }
      const bad = await call('shopSale', { tillId: 'till-1', saleId: 1 });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      if (!bad.ok) expect(bad.error.message).toMatch(/^Invalid request to shopSale: tillId/);
      const missing = await call('shopSale', { tillId: tillIds[1], saleId: saleCount(ledgers[1]!) + 1 });
      expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', message: `No sale with id ${saleCount(ledgers[1]!) + 1} on till ${tillIds[1]}` } });
    } finally {
      await core.close();
    }
  });
});
