/**
 * A till at work, for the sync tests and the bench: sales through the
 * ledger's own calls (so the outbox triggers fire as in the app), of every
 * shape the outbox carries: Code payments with their proofs (some
 * duplicated), cash with change and the drawer opening, other tenders,
 * splits, tips, cancels, voids, refunds, shifts opened and closed, people
 * added and renamed.
 */
import { randomBytes } from 'node:crypto';
import bs58 from 'bs58';
import type { Ledger } from '../../electron/core/ledger/ledger';
import { buildShiftReport } from '../../electron/core/shifts/shift-report';
import type { Person } from '../../electron/shared/domain/people';

const CURRENCY = 'usd';
/** A well-formed hash: the ledger checks its shape only, and the sync must never carry it. */
const PIN_HASH = `scrypt$${'a'.repeat(32)}$${'b'.repeat(64)}`;

export interface Till {
  ledger: Ledger;
  random: () => number;
  owner: Person;
  destination: string;
  /** Sales made so far by this seller. */
  sold: number;
}

const intentId = () => bs58.encode(randomBytes(32));

function actor(p: Person) {
  return { id: p.id, name: p.name, role: p.role };
}

/** The till's people (the owner and a cashier) and an open shift. */
export function openTill(ledger: Ledger, random: () => number): Till {
  const at = Date.now();
  const existing = ledger.people.list();
  const owner =
    existing.find((p) => p.role === 'owner') ??
    ledger.people.insert({ name: 'Owner', role: 'owner', pinHash: PIN_HASH, at }, () => null);
  if (!existing.some((p) => p.role === 'cashier')) ledger.people.insert({ name: 'Cashier', role: 'cashier', pinHash: PIN_HASH, at }, () => null);
  const till: Till = { ledger, random, owner, destination: bs58.encode(randomBytes(32)), sold: 0 };
  if (!ledger.shifts.current()) ledger.shifts.open({ mode: 'live', currency: CURRENCY, by: actor(owner), float: 10_000 });
  return till;
}

/** One sale, start to finish, in one of many shapes; now and then a shift change or a person's change too. */
export function sellOne(till: Till): void {
  const { ledger, random } = till;
  const roll = random();
  const amount = 100 + Math.floor(random() * 50_000);
  const withTip = random() < 0.15;
  const sale = ledger.createSale({ amount, currency: CURRENCY, mode: 'live', destination: till.destination, awaitingTip: withTip });
  till.sold += 1;
  // A custom tip (no percentage), so its amount is ours to choose.
  const tip = withTip ? Math.floor(amount / 10) : 0;
  if (withTip) ledger.setTip(sale.id, { amount: tip, percent: null, by: 'customer' });
  const due = amount + tip;

  if (roll < 0.45) {
    // A Code payment and its proof; a third of the time the webhook comes twice.
    const { tender } = ledger.addCodeTender(sale.id, { amount: due, seq: 1, intentId: intentId() });
    ledger.setTenderWebhookUrl(tender.id, 'https://till.example/webhook');
    ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: Math.floor(random() * 1e9), exchangeRate: 0.5 + random(), payload: { n: till.sold } });
    if (random() < 0.3) ledger.recordProof({ tenderId: tender.id, source: 'status_poll', payload: '{}' });
  } else if (roll < 0.65) {
    // Cash with change, and the drawer opening it causes.
    const { tender } = ledger.addCashTender(sale.id, { tendered: due + Math.floor(random() * 500) });
    ledger.printing.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id });
  } else if (roll < 0.75) {
    // A split: part Code, the rest on another terminal.
    const part = Math.floor(due / 2);
    const { tender } = ledger.addCodeTender(sale.id, { amount: part, seq: 1, intentId: intentId() });
    ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: { split: true } });
    ledger.addOtherTender(sale.id, { amount: due - part, label: 'Card' });
  } else if (roll < 0.85) {
    // Cancelled while its Code payment waited.
    ledger.addCodeTender(sale.id, { amount: due, seq: 1, intentId: intentId() });
    ledger.cancel(sale.id);
  } else if (roll < 0.9) {
    ledger.refunds.voidSale({ saleId: sale.id, reason: 'customer left', by: actor(till.owner) });
  } else {
    // Paid in cash, then part of it refunded.
    ledger.addCashTender(sale.id, { tendered: due });
    ledger.refunds.record({ saleId: sale.id, amount: 1 + Math.floor(random() * due), method: 'cash', by: actor(till.owner) });
  }

  const other = random();
  if (other < 0.01 && !hasOpenSale(ledger)) {
    // The shift ends and the next one starts (a sale a killed till left open keeps it going: a close refuses then).
    ledger.shifts.close({ by: actor(till.owner), countedCash: 10_000 }, buildShiftReport);
    ledger.shifts.open({ mode: 'live', currency: CURRENCY, by: actor(till.owner), float: 10_000 });
  } else if (other < 0.02) {
    const cashier = ledger.people.list().find((p) => p.role === 'cashier');
    if (cashier) ledger.people.update({ personId: cashier.id, name: `Cashier ${till.sold}`, at: Date.now() }, () => null);
  } else if (other < 0.025) {
    ledger.printing.openDrawer({ reason: 'no-sale', mode: 'live', personId: till.owner.id });
  }
}

function hasOpenSale(ledger: Ledger): boolean {
  return ledger.database.prepare(`SELECT 1 FROM sales WHERE status = 'pending' LIMIT 1`).get() !== undefined;
}

export function sell(till: Till, count: number): void {
  for (let i = 0; i < count; i++) sellOne(till);
}
