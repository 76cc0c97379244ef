import type { KeyObject } from 'node:crypto';
import { decodeJwt } from 'jose';
import { LedgerError } from '../ledger/errors';
import type { Ledger } from '../ledger/ledger';
import type { Mode, Sale, Tender } from '../../shared/domain/sale';
import type { ProofResult } from '../ledger/ledger';
import { decimalToHundredths } from '../../shared/domain/money';
import type { WebhookAnswer } from './webhook-listener';
import { verifyCodeWebhook, type CodeWebhookPayload } from './webhook-verifier';
import { silentLogger, type Logger } from '../app/logger';

/**
 * A forged request that names a real sale is worth keeping in that sale's
 * history, but a flood of them must not bloat the ledger: past this many
 * rejections per sale, they are only logged.
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
}

interface Claimed {
  sale: Sale;
  tender: Tender;
}

/**
 * Turns a webhook body into a ledger proof for one Code payment (tender), or
 * a refusal that says why. Never throws. The body is verified with the key
 * of the mode of the sale it claims to be about, never the other mode's: a
 * live sale's webhook is still taken while the app is in sandbox mode (the
 * sale was live when the customer paid), and a sandbox-signed body can never
 * pay a live sale. It logs only what it records (one line per credited or
 * duplicate proof); a refusal is logged by the listener, which sees every
 * request and summarises floods of them (webhook-listener.ts).
 */
export function createWebhookHandler(options: WebhookHandlerOptions): (body: string) => Promise<WebhookAnswer> {
  const log = (options.logger ?? silentLogger).child('webhook');

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

  /**
   * The Code payment an unverified token claims to be about: it picks the key
   * to verify with, and where a refusal is filed. 'bad-intent' when the claim
   * is not even an intent id.
   */
  function claimed(body: string): Claimed | null | 'bad-intent' {
    let intent: unknown;
    try {
      intent = decodeJwt(body.trim()).intent;
    } catch {
      return null;
    }
    if (typeof intent !== 'string') return null;
    try {
      return options.ledger.findTenderByIntent(intent);
    } catch (error) {
      if (error instanceof LedgerError && error.code === 'invalid-input') return 'bad-intent';
      throw error;
    }
  }

  function mismatch(payload: CodeWebhookPayload, { sale, tender }: Claimed): { kind: string; reason: string } | null {
    if (payload.state !== 'SUBMITTED') return { kind: 'wrong-state', reason: `state is ${JSON.stringify(payload.state)}, not SUBMITTED` };
    if (decimalToHundredths(payload.amount) !== tender.amount) return { kind: 'wrong-amount', reason: `amount ${payload.amount} does not match the Code payment` };
    if (payload.currency.toLowerCase() !== sale.currency) return { kind: 'wrong-currency', reason: `currency ${payload.currency} does not match the sale` };
    if (payload.destination !== sale.destination) return { kind: 'wrong-destination', reason: 'destination does not match the sale' };
    return null;
  }

  return async (body) => {
    try {
      const claim = claimed(body);
      const known = claim && claim !== 'bad-intent' ? claim : null;
      const verified = await verifyCodeWebhook(body, options.keyFor(known ? known.sale.mode : options.mode()));
      if (!verified.ok) return reject(verified.status, verified.kind, verified.reason, body, known);
      const payload = verified.payload;
      if (claim === 'bad-intent') return reject(400, 'bad-intent', 'intent is not a base58 id', body);
      if (!known) return reject(422, 'unknown-intent', `unknown intent ${payload.intent}`, body);
      const wrong = mismatch(payload, known);
      if (wrong) return reject(422, wrong.kind, wrong.reason, body, known);
      const result = options.recordProof({ tenderId: known.tender.id, source: 'webhook', quarks: payload.quarks, exchangeRate: payload.exchangeRate, payload: body });
      log.info(`sale ${known.sale.id}, Code payment ${known.tender.id} ${result.outcome}`);
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
}
