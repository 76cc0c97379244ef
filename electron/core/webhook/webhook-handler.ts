import type { KeyObject } from 'node:crypto';
import { LedgerError } from '../ledger/errors';
import type { Ledger } from '../ledger/ledger';
import type { Mode, Sale, Tender } from '../../shared/domain/sale';
import type { ProofResult } from '../ledger/ledger';
import { decimalToHundredths } from '../../shared/domain/money';
import type { VerifiedWebhook, WebhookAnswer } from './webhook-listener';
import type { CodeWebhookPayload, WebhookKeys } from './webhook-verifier';
import { createFloodGate } from '../app/log-flood';
import { silentLogger, type Logger } from '../app/logger';

/**
 * A verified webhook that does not match the sale it names (another mode's
 * key, amount, currency…) is worth keeping in that sale's history, but a
 * flood of them must not bloat the ledger: past this many rejections per
 * sale, they are only logged.
 */
const MAX_REJECTIONS_KEPT_PER_SALE = 20;

export interface WebhookHandlerOptions {
  ledger: Ledger;
  /** The mode the app runs in now: its key checks a webhook about an intent Counter does not know. */
  mode: () => Mode;
  /** Code's production key for live sales, this install's sandbox key for sandbox sales (each rail's webhookKey). */
  keyFor: (mode: Mode) => KeyObject;
  /** Records the proof and tells subscribers (the payments service's recordProof). */
  recordProof: (input: { tenderId: number; source: 'webhook'; quarks: number; exchangeRate: number; payload: string }) => ProofResult;
  logger?: Logger;
  /** How duplicate proofs are logged: per interval (default 10 s), the first `fullPerInterval` (default 5) in full, the rest counted. */
  duplicateLog?: { intervalMs?: number; fullPerInterval?: number };
}

interface Claimed {
  sale: Sale;
  tender: Tender;
}

/** The main thread's side of the listener: takes only bodies the listener's thread verified, and carries the keys it verifies with. */
export type WebhookHandler = ((webhook: VerifiedWebhook) => Promise<WebhookAnswer>) & { keys: WebhookKeys };

/**
 * Turns a verified webhook into a ledger proof for one Code payment (tender),
 * or a refusal that says why. Never throws. The signature was checked in the
 * listener's thread against both candidate keys (webhook-listener.ts), which
 * says which mode's key verified it; here the key must be the one of the
 * mode of the sale the token is about, never the other mode's: a live sale's
 * webhook is still taken while the app is in sandbox mode (the sale was live
 * when the customer paid), and a sandbox-signed body can never pay a live
 * sale. An intent Counter does not know must verify with the app mode's key.
 *
 * Forged bodies never get here (the listener's thread answers them), so
 * nothing a stranger sends is written to the ledger; a verified body that
 * does not match its sale (wrong key, amount, currency, destination, state)
 * is filed on that sale, at most MAX_REJECTIONS_KEPT_PER_SALE times. It logs
 * only what it records (one line per credited or duplicate proof); a refusal
 * is logged by the listener, which sees every request and summarises floods.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const log = (options.logger ?? silentLogger).child('webhook');
  // A replayed webhook is a duplicate every time: past the first few per interval, duplicates are only counted in the log as in the ledger.
  const duplicates = createFloodGate({ logger: log, what: 'duplicate webhooks recorded', ...options.duplicateLog });

  function reject(status: number, kind: string, reason: string, body: string, claimed?: Claimed | null): WebhookAnswer {
    const sale = claimed?.sale;
    const answer: WebhookAnswer = { status, kind, reason, ...(sale ? { saleId: sale.id } : {}) };
    if (sale) {
      try {
        if (options.ledger.rejectionCount(sale.id) < MAX_REJECTIONS_KEPT_PER_SALE) {
          options.ledger.recordRejection({ saleId: sale.id, tenderId: claimed.tender.id, source: 'webhook', reason, payload: body });
        }
      } catch (error) {
        answer.note = `not filed on the sale: ${(error as Error).message}`;
      }
    }
    return answer;
  }

  function mismatch(payload: CodeWebhookPayload, { sale, tender }: Claimed): { kind: string; reason: string } | null {
    if (payload.state !== 'SUBMITTED') return { kind: 'wrong-state', reason: `state is ${JSON.stringify(payload.state)}, not SUBMITTED` };
    if (decimalToHundredths(payload.amount) !== tender.amount) return { kind: 'wrong-amount', reason: `amount ${payload.amount} does not match the Code payment` };
    if (payload.currency.toLowerCase() !== sale.currency) return { kind: 'wrong-currency', reason: `currency ${payload.currency} does not match the sale` };
    if (payload.destination !== sale.destination) return { kind: 'wrong-destination', reason: 'destination does not match the sale' };
    return null;
  }

  const handle = async ({ body, payload, verifiedBy }: VerifiedWebhook): Promise<WebhookAnswer> => {
    try {
      let known: Claimed | null;
      try {
        known = options.ledger.findTenderByIntent(payload.intent);
      } catch (error) {
        if (error instanceof LedgerError && error.code === 'invalid-input') return reject(400, 'bad-intent', 'intent is not a base58 id', body);
        throw error;
      }
      if (!known) {
        // Checked with the app mode's key, as before the listener had its own thread.
        if (!verifiedBy.includes(options.mode())) return reject(401, 'bad-signature', 'signature does not verify', body);
        return reject(422, 'unknown-intent', `unknown intent ${payload.intent}`, body);
      }
      if (!verifiedBy.includes(known.sale.mode)) {
        return reject(401, 'wrong-key', `signed with the ${verifiedBy.join('/')} key, not the ${known.sale.mode} key of the sale`, body, known);
      }
      const wrong = mismatch(payload, known);
      if (wrong) return reject(422, wrong.kind, wrong.reason, body, known);
      const result = options.recordProof({ tenderId: known.tender.id, source: 'webhook', quarks: payload.quarks, exchangeRate: payload.exchangeRate, payload: body });
      const line = `sale ${known.sale.id}, Code payment ${known.tender.id} ${result.outcome}`;
      if (result.outcome === 'duplicate') duplicates.note('duplicate', line, { saleId: known.sale.id });
      else log.info(line);
      return { status: 200, reason: result.outcome };
    } catch (error) {
      // The ledger could not write (busy, disk full): 503 makes the sequencer retry later.
      return {
        status: 503,
        kind: 'ledger-unavailable',
        reason: 'temporarily unable to record',
        note: (error as Error)?.message ?? String(error),
      };
    }
  };
  return Object.assign(handle, { keys: { live: options.keyFor('live'), sandbox: options.keyFor('sandbox') } });
}
