import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SandboxError } from './errors';
import { SANDBOX_DB_VERSION, sandboxDbPath } from './sandbox-db';
import type { SandboxIntentState } from './intent-store';

/**
 * What the sandbox (standing in for Code's servers) knows, read straight
 * from its file with a read-only connection: for a fault campaign that
 * kills the app and then compares the ledger with the sandbox's truth. It
 * never writes, so it can run while the app runs or after it was killed
 * (committed WAL frames are read, nothing is checkpointed).
 */

export interface SandboxTruthRow {
  intentId: string;
  state: SandboxIntentState;
  /** Decimal amount exactly as the till asked for it (e.g. 12.34), not hundredths. */
  amount: number;
  /** Lower case, as the client sent it, e.g. "usd". */
  currency: string;
  destination: string;
  /** ms since epoch. */
  createdAt: number;
  paidAt: number | null;
  cancelledAt: number | null;
  quarks: number | null;
  exchangeRate: number | null;
  webhookUrl: string | null;
  /** null: no webhook was due (not paid, or no URL registered when paid). */
  deliveryState: 'scheduled' | 'delivered' | 'failed' | null;
  /** ms since epoch of the first attempt answered 200, else null. */
  deliveredAt: number | null;
  /** Webhook attempts started (0 when none). */
  attempts: number;
  /** The attempt that runs next and when (ms since epoch); null when none is scheduled. */
  nextAttempt: number | null;
  nextAttemptAt: number | null;
  /** Finished attempts answered 200 that are still in the attempt log (normally 0 or 1). */
  deliveredAttempts: number;
}

interface Row {
  id: string;
  state: SandboxIntentState;
  amount: number;
  currency: string;
  destination: string;
  created_at: number;
  paid_at: number | null;
  cancelled_at: number | null;
  quarks: number | null;
  exchange_rate: number | null;
  webhook_url: string | null;
  delivery_state: 'scheduled' | 'delivered' | 'failed' | null;
  delivered_at: number | null;
  attempts: number | null;
  next_attempt: number | null;
  next_attempt_at: number | null;
  delivered_attempts: number;
}

/**
 * Every intent the sandbox file in `dataDir` holds (sandbox-sequencer.sqlite),
 * oldest first. Throws a SandboxError when the file is missing
 * ('sandbox-db-corrupt' with "does not exist": a campaign reading the wrong
 * directory must not see an empty, vacuously consistent truth) or unreadable.
 */
export function readSandboxTruth(dataDir: string): SandboxTruthRow[] {
  const file = sandboxDbPath(dataDir);
  if (!existsSync(file)) throw new SandboxError('sandbox-db-corrupt', `no sandbox file at ${file}: it does not exist`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new SandboxError('sandbox-db-corrupt', `the sandbox file ${file} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SANDBOX_DB_VERSION) {
      throw new SandboxError('sandbox-db-corrupt', `the sandbox file ${file} has schema ${version}, this reader knows ${SANDBOX_DB_VERSION}`);
    }
    const rows = db
      .prepare(
        `SELECT i.id, i.state, i.amount, i.currency, i.destination, i.created_at, i.paid_at, i.cancelled_at, i.quarks,
                i.exchange_rate, i.webhook_url, d.state AS delivery_state, d.delivered_at, d.attempts, d.next_attempt,
                d.next_attempt_at,
                (SELECT COUNT(*) FROM webhook_attempts a WHERE a.intent_id = i.id AND a.delivered = 1) AS delivered_attempts
           FROM intents i LEFT JOIN webhook_deliveries d ON d.intent_id = i.id
          ORDER BY i.seq`,
      )
      .all() as Row[];
    return rows.map((r) => ({
      intentId: r.id,
      state: r.state,
      amount: r.amount,
      currency: r.currency,
      destination: r.destination,
      createdAt: r.created_at,
      paidAt: r.paid_at,
      cancelledAt: r.cancelled_at,
      quarks: r.quarks,
      exchangeRate: r.exchange_rate,
      webhookUrl: r.webhook_url,
      deliveryState: r.delivery_state,
      deliveredAt: r.delivered_at,
      attempts: r.attempts ?? 0,
      nextAttempt: r.next_attempt,
      nextAttemptAt: r.next_attempt_at,
      deliveredAttempts: r.delivered_attempts,
    }));
  } catch (error) {
    if (error instanceof SandboxError) throw error;
    throw new SandboxError('sandbox-db-corrupt', `the sandbox file ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  } finally {
    db.close();
  }
}
