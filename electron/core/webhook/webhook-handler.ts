import type { KeyObject } from 'node:crypto';
import { decodeJwt } from 'jose';
import { LedgerError } from '../ledger/errors';
import type { Ledger } from '../ledger/ledger';
import type { Mode, Sale } from '../../shared/domain/sale';
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
  /** The mode the app runs in now: it picks the only key a webhook may be signed with. */
  mode: () => Mode;
  /** Code's production key in live mode, this install's sandbox key in sandbox mode. */
  keyFor: (mode: Mode) => KeyObject;
  /** Records the proof and tells subscribers (the payments service's recordProof). */
  recordProof: (input: { saleId: number; source: 'webhook'; quarks: number; exchangeRate: number; payload: string }) => ProofResult;
  logger?: Logger;
}

/**
 * Turns a webhook body into a ledger proof, or a refusal that says why.
 * Never throws. It logs only what it records (one line per credited or
 * duplicate proof); a refusal is logged by the listener, which sees every
 * request and summarises floods of them (webhook-listener.ts).
 */
export function createWebhookHandler(options: WebhookHandlerOptions): (body: string) => Promise<WebhookAnswer> {
  const log = (options.logger ?? silentLogger).child('webhook');

  function reject(status: number, kind: string, reason: string, body: string, sale?: Sale | null): WebhookAnswer {
    const answer: WebhookAnswer = { status, kind, reason, ...(sale ? { saleId: sale.id } : {}) };
    if (sale) {
      try {
        if (options.ledger.rejectionCount(sale.id) < MAX_REJECTIONS_KEPT_PER_SALE) {
          options.ledger.recordRejection({ saleId: sale.id, source: 'webhook', reason, payload: body });
        }
      } catch (error) {
        answer.note = `not filed on the sale: ${(error as Error).message}`;
      }
    }
    return answer;
  }

  /** The sale an unverified token claims to be about, used only to file a rejection. */
  function claimedSale(body: string): Sale | null {
    try {
      const intent = decodeJwt(body.trim()).intent;
      return typeof intent === 'string' ? options.ledger.findSaleByIntent(intent) : null;
    } catch {
      return null;
    }
  }

  function mismatch(payload: CodeWebhookPayload, sale: Sale, mode: Mode): { kind: string; reason: string } | null {
    if (sale.mode !== mode) return { kind: 'wrong-mode', reason: `sale is a ${sale.mode} sale but the app is in ${mode} mode` };
    if (payload.state !== 'SUBMITTED') return { kind: 'wrong-state', reason: `state is ${JSON.stringify(payload.state)}, not SUBMITTED` };
    if (decimalToHundredths(payload.amount) !== sale.amount) return { kind: 'wrong-amount', reason: `amount ${payload.amount} does not match the sale` };
    if (payload.currency.toLowerCase() !== sale.currency) return { kind: 'wrong-currency', reason: `currency ${payload.currency} does not match the sale` };
    if (payload.destination !== sale.destination) return { kind: 'wrong-destination', reason: 'destination does not match the sale' };
    return null;
  }

  return async (body) => {
    try {
      const mode = options.mode();
      const verified = await verifyCodeWebhook(body, options.keyFor(mode));
      if (!verified.ok) return reject(verified.status, verified.kind, verified.reason, body, claimedSale(body));
      const payload = verified.payload;
      let sale: Sale | null;
      try {
        sale = options.ledger.findSaleByIntent(payload.intent);
      } catch (error) {
        if (error instanceof LedgerError && error.code === 'invalid-input') return reject(400, 'bad-intent', 'intent is not a base58 id', body);
        throw error;
      }
      if (!sale) return reject(422, 'unknown-intent', `unknown intent ${payload.intent}`, body);
      const wrong = mismatch(payload, sale, mode);
      if (wrong) return reject(422, wrong.kind, wrong.reason, body, sale);
      const result = options.recordProof({ saleId: sale.id, source: 'webhook', quarks: payload.quarks, exchangeRate: payload.exchangeRate, payload: body });
      log.info(`sale ${sale.id} ${result.outcome}`);
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
