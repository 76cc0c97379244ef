/**
 * A separate process that writes to a ledger, for the crash and concurrency
 * tests. Every line it prints on stdout (but `locked`) describes a write
 * whose commit has already returned, and `say` returns only once the line is
 * in the pipe: whatever the parent reads must be in the file, even if this
 * process is killed the instant after.
 *
 *   ledger-writer.ts <dir>                                    crash loop until killed
 *   ledger-writer.ts <dir> race <source> <count> <slotMs> <tenderIds>   timed race (see `race`)
 *   ledger-writer.ts <dir> open                               open the ledger at a given instant
 *   ledger-writer.ts <dir> hold <ms>                          hold the write lock for <ms>
 *
 * race and open wait for one line on stdin: the instant (epoch ms) to start.
 *
 * Lines (space-separated):
 *   created <id> <amount> <currency> <mode>   a sale was created
 *   intent <id> <tenderId> <intentId>         a Code payment was started with its intent (and its webhook URL recorded)
 *   paid <id> <outcome>                       a Code proof was recorded (credited | duplicate | late), the sale now paid
 *   partly <id> <amount>                      a Code proof paid part of the sale: <amount> taken
 *   cash <id> <change>                        cash paid the rest, with <change> given
 *   cancelled <id> / expired <id>             the sale was closed
 *   batch <destination> <id,id,…>             a whole batch committed in one transaction
 *   proof <tenderId> <outcome>                race: a proof for a shared Code payment
 *   opening                                   loop: about to open the ledger
 *   ready / opened / error <message>
 *   locked <id>                               hold: the transaction creating sale <id>
 *                                             holds the write lock, NOT yet committed
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createInterface } from 'node:readline';
import bs58 from 'bs58';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { PROOF_SOURCES, type ProofSource } from '../../electron/shared/domain/sale';
import { say } from './child-stdout';

const CURRENCIES = ['usd', 'eur', 'cad', 'kin'] as const;

function randomAddress(): string {
  return bs58.encode(randomBytes(32));
}

function randomIntentId(): string {
  return bs58.encode(randomBytes(16));
}

function pick<T>(items: readonly T[]): T {
  return items[randomInt(items.length)]!;
}

/** Between a few bytes and ~12 kB, so some commits span many pages of the WAL. */
function randomPayload(): string {
  const size = Math.random() < 0.2 ? randomInt(2_000, 12_000) : randomInt(10, 300);
  return randomBytes(Math.ceil(size / 2)).toString('hex');
}

/** Waits for one line on stdin, the shared instant (epoch ms) to start at, and spins until it. */
async function startSignal(): Promise<number> {
  const lines = createInterface({ input: process.stdin });
  const first = await new Promise<string>((resolve) => lines.once('line', resolve));
  lines.close();
  const at = Number(first);
  while (Date.now() < at) {
    // Spinning, not a timer: the racers must leave the line within a millisecond.
  }
  return at;
}

/**
 * Starts a Code payment of `amount` on a sale, written with a fresh intent,
 * then records its webhook URL if it has one, as the payment flow does.
 */
function startCode(ledger: Ledger, saleId: number, amount: number, webhookUrl?: string) {
  const seq = (ledger.getSale(saleId).tenders.at(-1)?.seq ?? 0) + 1;
  const { tender } = ledger.addCodeTender(saleId, { amount, seq, intentId: randomIntentId() });
  return webhookUrl === undefined ? tender : ledger.setTenderWebhookUrl(tender.id, webhookUrl);
}

function crashLoop(ledger: Ledger): never {
  const shop = randomAddress();
  for (;;) {
    const roll = Math.random();
    if (roll < 0.15) {
      // A batch of 2–9 paid sales in one transaction: each carries the batch's
      // size as its amount and a destination of its own, so a checker can tell
      // a whole batch from a torn one without trusting this process's report.
      const size = randomInt(2, 10);
      const destination = randomAddress();
      const ids = ledger.database
        .transaction(() => {
          const made: number[] = [];
          for (let i = 0; i < size; i++) {
            const sale = ledger.createSale({ amount: size, currency: 'usd', mode: 'live', destination });
            const tender = startCode(ledger, sale.id, size);
            ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: randomInt(1, 1e9), payload: randomPayload() });
            made.push(sale.id);
          }
          return made;
        })
        .immediate();
      say(`batch ${destination} ${ids.join(',')}`);
      continue;
    }

    const amount = randomInt(100, 1_000_000);
    const currency = pick(CURRENCIES);
    const mode = Math.random() < 0.8 ? 'live' : 'sandbox';
    const sale = ledger.createSale({ amount, currency, mode, destination: shop });
    say(`created ${sale.id} ${amount} ${currency} ${mode}`);
    if (Math.random() < 0.1) continue; // left pending without a tender

    // Now and then a split: a Code payment for part, the rest in cash.
    const split = Math.random() < 0.2;
    const tender = startCode(ledger, sale.id, split ? Math.floor(amount / 2) : amount, 'https://till.example/webhook');
    say(`intent ${sale.id} ${tender.id} ${tender.intentId}`);

    const next = Math.random();
    if (next < 0.6) {
      const first = ledger.recordProof({
        intentId: tender.intentId,
        source: pick(PROOF_SOURCES),
        exchangeRate: 0.5 + Math.random(),
        payload: randomPayload(),
      });
      if (split) {
        say(`partly ${sale.id} ${first.sale.paidAmount}`);
        const change = randomInt(0, 500);
        const cash = ledger.addCashTender(sale.id, { tendered: amount - first.sale.paidAmount + change });
        say(`cash ${sale.id} ${cash.tender.change}`);
      } else {
        say(`paid ${sale.id} ${first.outcome}`);
      }
      if (Math.random() < 0.3) {
        const again = ledger.recordProof({ tenderId: tender.id, source: 'status_poll', quarks: randomInt(1, 1e9), payload: '{}' });
        say(`paid ${sale.id} ${again.outcome}`);
      }
    } else if (next < 0.8) {
      ledger.cancel(sale.id);
      say(`cancelled ${sale.id}`);
      if (Math.random() < 0.3 && !split) {
        const late = ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: randomPayload() });
        say(`paid ${sale.id} ${late.outcome}`);
      }
    } else if (next < 0.9) {
      // Expires this sale's Code payment and the sale, and any other sale left open without one.
      for (const expired of ledger.expirePendingBefore(Date.now() + 1)) {
        if (expired.status === 'expired') say(`expired ${expired.id}`);
      }
    } else if (Math.random() < 0.5) {
      ledger.recordRejection({ saleId: sale.id, tenderId: tender.id, source: 'webhook', reason: 'bad signature', payload: randomPayload() });
    }
  }
}

/**
 * Race mode, on a shared timetable: slot i starts at `start + i * slotMs`.
 * At the start of each slot every racer records a proof (as `source`) for
 * shared Code payment i, so two or three proofs for one tender hit the file
 * at the same instant; then it creates one sale of its own. A racer that
 * falls behind skips the wait rather than the work.
 */
function race(ledger: Ledger, source: ProofSource, count: number, shared: number[], start: number, slotMs: number): void {
  const destination = randomAddress();
  for (let i = 0; i < Math.max(count, shared.length); i++) {
    const slot = start + i * slotMs;
    while (Date.now() < slot) {
      // spinning: a timer would wake a millisecond late, after the others
    }
    const tenderId = shared[i];
    if (tenderId !== undefined) {
      const result = ledger.recordProof({ tenderId, source, quarks: randomInt(1, 1e9), payload: { from: source } });
      say(`proof ${tenderId} ${result.outcome}`);
    }
    if (i < count) {
      const sale = ledger.createSale({ amount: randomInt(100, 100_000), currency: pick(CURRENCIES), mode: 'live', destination });
      say(`created ${sale.id} ${sale.amount} ${sale.currency} ${sale.mode}`);
    }
  }
}

async function main(): Promise<void> {
  const [dir, command = 'loop', ...args] = process.argv.slice(2);
  if (!dir) throw new Error('usage: ledger-writer.ts <dir> [loop | race … | open | hold <ms>]');

  if (command === 'open') {
    // The open itself is what races, so wait for the start signal first.
    say('ready');
    await startSignal();
    createLedger({ dir }).close();
    say('opened');
    return;
  }

  if (command === 'loop') {
    // Said before opening, so the parent can also kill it mid-recovery.
    say('opening');
    crashLoop(createLedger({ dir }));
  }

  const ledger = createLedger({ dir });

  if (command === 'race') {
    const [source, count, slotMs, ids] = args;
    if (!PROOF_SOURCES.includes(source as ProofSource)) throw new Error(`unknown proof source ${String(source)}`);
    // The shared ids are Code payments (tenders), one per shared sale.
    const shared = ids ? ids.split(',').filter(Boolean).map(Number) : [];
    say('ready');
    const start = await startSignal();
    race(ledger, source as ProofSource, Number(count), shared, start, Number(slotMs));
  } else if (command === 'hold') {
    const ms = Number(args[0]);
    ledger.database
      .transaction(() => {
        const sale = ledger.createSale({ amount: 100, currency: 'usd', mode: 'live', destination: randomAddress() });
        // Tell the parent the lock is taken, then keep it for `ms`.
        say(`locked ${sale.id}`);
        const until = Date.now() + ms;
        while (Date.now() < until) {
          // holding the write lock
        }
      })
      .immediate();
  } else {
    throw new Error(`unknown command ${command}`);
  }
  ledger.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  say(`error ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
