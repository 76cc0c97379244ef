// A sale's tenders in words, the same on the till, in the sales log, on the
// receipt on screen and on the printed one: "Code payment 2 of 3", "Cash",
// "Card (other)", with what each paid and, for cash, what was handed over and
// given back. In shared so the renderer and the receipt printer (main) write
// them once.
import { formatMoney } from './money';
import type { Sale, Tender } from './sale';

/** The Code payment the till is showing, if any: its place among the sale's Code payments as the main process planned them. */
export interface CodePaymentPlace {
  tenderId: number;
  index: number;
  count: number;
}

/**
 * Where each Code tender stands among the sale's Code payments: k is one more
 * than the Code payments paid before it (so a refused or declined attempt
 * shares the number of the one that replaced it), n is how many the sale
 * takes: the plan of the payment on screen when there is one, else the ones
 * paid or waiting. n is 1 for a sale's only Code payment ("Code payment"),
 * and 0 when the count is not known for this one ("Code payment 2").
 */
export function codeNumbers(sale: Pick<Sale, 'tenders'>, onScreen: CodePaymentPlace | null = null): Map<number, { k: number; n: number }> {
  const code = sale.tenders.filter((t) => t.kind === 'code').sort((a, b) => a.seq - b.seq);
  const counted = Math.max(onScreen?.count ?? 0, code.filter((t) => t.status === 'paid' || t.status === 'pending').length);
  const out = new Map<number, { k: number; n: number }>();
  let paidBefore = 0;
  for (const t of code) {
    const k = t.id === onScreen?.tenderId ? onScreen.index : paidBefore + 1;
    const n = counted > 1 && k <= counted ? counted : code.length > 1 ? 0 : 1;
    out.set(t.id, { k, n });
    if (t.status === 'paid') paidBefore += 1;
  }
  return out;
}

/** "Code payment 2 of 3"; "Code payment 2" when the count is not known; a sale's only Code payment is just "Code payment". */
export function codePaymentTitle(k: number, n: number): string {
  return n > 1 ? `Code payment ${k} of ${n}` : n === 0 ? `Code payment ${k}` : 'Code payment';
}

/** "Code payment 2 of 3", "Cash", "Card (other)". */
export function tenderTitle(tender: Tender, numbers: Map<number, { k: number; n: number }>): string {
  if (tender.kind === 'cash') return 'Cash';
  if (tender.kind === 'other') return `${tender.label ?? 'Other'} (other)`;
  const place = numbers.get(tender.id);
  return place ? codePaymentTitle(place.k, place.n) : 'Code payment';
}

/** Cash: "tendered $20.00 · change $7.50"; other tenders and Code: null (their title and status say it). */
export function tenderDetail(tender: Tender, currency: string): string | null {
  if (tender.kind !== 'cash' || tender.tendered === null) return null;
  const change = tender.change ?? 0;
  return change > 0 ? `tendered ${formatMoney(tender.tendered, currency)} · change ${formatMoney(change, currency)}` : `tendered ${formatMoney(tender.tendered, currency)}, exact`;
}

/** The change handed back on the sale's cash tenders, in hundredths. */
export function changeGiven(sale: Pick<Sale, 'tenders'>): number {
  return sale.tenders.reduce((sum, t) => sum + (t.kind === 'cash' && t.status === 'paid' ? (t.change ?? 0) : 0), 0);
}

/** "Paid with Code", "Paid with Code and cash", "Paid with cash, Card and Code": the paid tenders' kinds, in the order first used. */
export function paidWithText(sale: Pick<Sale, 'tenders'>): string | null {
  const names: string[] = [];
  for (const t of [...sale.tenders].sort((a, b) => a.seq - b.seq)) {
    if (t.status !== 'paid') continue;
    const name = t.kind === 'code' ? 'Code' : t.kind === 'cash' ? 'cash' : (t.label ?? 'other');
    if (!names.includes(name)) names.push(name);
  }
  if (names.length === 0) return null;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `Paid with ${list}`;
}

/**
 * A sale's tenders at a glance, for a row of the sales log: "Code",
 * "Code ×3", "Code + Cash", "Cash + Card". Paid and waiting tenders count;
 * a cancelled or expired attempt does not. "—" when there are none.
 */
export function tendersSummary(sale: Pick<Sale, 'tenders'>): string {
  const counts = new Map<string, number>();
  for (const t of [...sale.tenders].sort((a, b) => a.seq - b.seq)) {
    if (t.status !== 'paid' && t.status !== 'pending') continue;
    const name = t.kind === 'code' ? 'Code' : t.kind === 'cash' ? 'Cash' : (t.label ?? 'Other');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  if (counts.size === 0) return '—';
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(' + ');
}

/** The sale's Code intent ids, in order, for a tooltip or a search. */
export function intentIds(sale: Pick<Sale, 'tenders'>): string[] {
  return [...sale.tenders].sort((a, b) => a.seq - b.seq).flatMap((t) => (t.kind === 'code' && t.intentId ? [t.intentId] : []));
}
