import type Database from 'better-sqlite3';
import { SandboxError } from './errors';
import { openSandboxDatabase } from './sandbox-db';
import { silentLogger, type Logger } from '../app/logger';

/**
 * Webhook delivery with the real sequencer's schedule and rules
 * (code-server pkg/code/async/webhook/worker.go, config.go, and
 * pkg/code/webhook/execution.go):
 *
 *  - POST, body = the compact JWT, Content-Type: application/jwt;
 *  - each attempt waits at most 3 s (WEBHOOK_SERVICE_WEBHOOK_TIMEOUT);
 *  - only HTTP 200 is a delivery: 201, 202, 204, redirects that end
 *    elsewhere, timeouts and network errors are all failures;
 *  - up to 8 attempts, started 0 s, 1 s, 1 s, 15 s, 1 min, 15 min, 1 h and
 *    24 h after the previous one started, then the webhook is given up;
 *  - the next attempt is scheduled BEFORE the current one runs
 *    (`setupNextAttempt` then `handleCurrentAttempt`), so a receiver slower
 *    than the gap sees two deliveries of the same webhook at once. The
 *    sandbox reproduces that on purpose: the app must deduplicate in its
 *    database.
 *
 * Durable like Code's worker: each webhook is a row in the sandbox file
 * (attempt number and time of the next attempt, the signed body), written
 * with the payment itself, and the next attempt's row update is committed
 * before the current attempt starts. Timers only wake the worker; the file
 * is the schedule. A sandbox started on the same file resumes every
 * scheduled webhook at its scheduled attempt and time (an overdue one at
 * once); an attempt that was in flight when the process died counts as
 * started, so the next one follows it as it would have.
 *
 * `timeScale` multiplies every delay and the timeout, so tests do not wait
 * a day; `timeoutMs` overrides the scaled timeout when a test needs a tiny
 * scale with a realistic timeout.
 */

export const WEBHOOK_ATTEMPT_DELAYS_MS: readonly number[] = [0, 1_000, 1_000, 15_000, 60_000, 900_000, 3_600_000, 86_400_000];
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_ATTEMPT_DELAYS_MS.length;
export const WEBHOOK_TIMEOUT_MS = 3_000;
/** How many finished attempts `attempts()` returns, newest. */
export const MAX_RECORDED_ATTEMPTS = 1_000;
/** How many finished attempts the file keeps, so a long-running sandbox does not grow it without bound. */
export const MAX_STORED_ATTEMPTS = 20_000;

export interface WebhookAttempt {
  intentId: string;
  url: string;
  /** 1-based attempt number, at most WEBHOOK_MAX_ATTEMPTS. */
  attempt: number;
  /** ms since epoch. */
  startedAt: number;
  finishedAt: number;
  /** HTTP status when the receiver answered, else null. */
  status: number | null;
  /** Why no status: timeout, network error, cancelled on close. */
  error: string | null;
  /** status === 200. */
  delivered: boolean;
}

/** A scheduled webhook stays scheduled through close(): it resumes when a sandbox opens the same file again. */
export type WebhookJobState = 'scheduled' | 'delivered' | 'failed';

export interface WebhookJob {
  intentId: string;
  url: string;
  /** The compact JWT, sent as the raw body. */
  body: string;
}

export interface WebhookDeliveryOptions {
  /**
   * The sandbox file (openSandboxDatabase), shared with the intent store so
   * a payment and its webhook commit together; the caller closes it after
   * close(). Absent: a private in-memory database (nothing survives).
   */
  db?: Database.Database;
  /** false: do not resume the file's scheduled webhooks until resume() is called. Default true. */
  resume?: boolean;
  timeScale?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  logger?: Logger;
  now?: () => number;
  onAttempt?: (attempt: WebhookAttempt) => void;
}

export interface WebhookDelivery {
  /**
   * Schedules the intent's webhook, first attempt now; one webhook per
   * intent, as in the sequencer (a second call for the same intent is
   * ignored). Synchronous, so a caller can run it inside its own transaction
   * on the same database: the row commits or rolls back with the caller's.
   */
  deliver(job: WebhookJob): void;
  /** Wakes the worker for every scheduled webhook in the file; returns how many. Idempotent. */
  resume(): number;
  /** Finished attempts, oldest first (the newest MAX_RECORDED_ATTEMPTS), also those before a restart. */
  attempts(): WebhookAttempt[];
  state(intentId: string): WebhookJobState | undefined;
  /** Stops the timers, aborts attempts in flight and waits for them to settle; scheduled webhooks stay in the file. */
  close(): Promise<void>;
}

interface DeliveryRow {
  intent_id: string;
  url: string;
  body: string;
  state: WebhookJobState;
  attempts: number;
  next_attempt: number | null;
  next_attempt_at: number | null;
}

interface AttemptRow {
  intent_id: string;
  url: string;
  attempt: number;
  started_at: number;
  finished_at: number;
  status: number | null;
  error: string | null;
  delivered: 0 | 1;
}

/** setTimeout's longest delay; a later attempt is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createWebhookDelivery(opts: WebhookDeliveryOptions = {}): WebhookDelivery {
  const timeScale = opts.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  const timeoutMs = Math.max(1, opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS * timeScale);
  const fetchImpl: typeof fetch = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const log = (opts.logger ?? silentLogger).child('sandbox-webhook-delivery');
  const now = opts.now ?? Date.now;
  const db = opts.db ?? openSandboxDatabase(':memory:');

  const sql = {
    insert: db.prepare<[string, string, string, number, number]>(
      `INSERT INTO webhook_deliveries (intent_id, url, body, state, created_at, attempts, next_attempt, next_attempt_at)
       VALUES (?, ?, ?, 'scheduled', ?, 0, 1, ?) ON CONFLICT (intent_id) DO NOTHING`,
    ),
    get: db.prepare<[string], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE intent_id = ?'),
    scheduled: db.prepare<[], DeliveryRow>("SELECT * FROM webhook_deliveries WHERE state = 'scheduled' ORDER BY next_attempt_at"),
    // Only the worker that owns attempt N moves the schedule past it.
    start: db.prepare<[number, number | null, number | null, string, number]>(
      `UPDATE webhook_deliveries SET attempts = ?, next_attempt = ?, next_attempt_at = ?
        WHERE intent_id = ? AND state = 'scheduled' AND next_attempt = ?`,
    ),
    // A success wins over anything else, also over a "failed" a later attempt already recorded.
    delivered: db.prepare<[number, string]>(
      `UPDATE webhook_deliveries SET state = 'delivered', delivered_at = COALESCE(delivered_at, ?), next_attempt = NULL, next_attempt_at = NULL
        WHERE intent_id = ?`,
    ),
    failed: db.prepare<[string]>("UPDATE webhook_deliveries SET state = 'failed' WHERE intent_id = ? AND state = 'scheduled' AND next_attempt IS NULL"),
    record: db.prepare<[string, string, number, number, number, number | null, string | null, number]>(
      `INSERT INTO webhook_attempts (intent_id, url, attempt, started_at, finished_at, status, error, delivered) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    prune: db.prepare<[number]>('DELETE FROM webhook_attempts WHERE seq <= (SELECT MAX(seq) FROM webhook_attempts) - ?'),
    attempts: db.prepare<[number], AttemptRow>('SELECT * FROM (SELECT * FROM webhook_attempts ORDER BY seq DESC LIMIT ?) ORDER BY seq'),
  };
  const finish = db.transaction((row: DeliveryRow, record: WebhookAttempt) => {
    sql.record.run(row.intent_id, row.url, record.attempt, record.startedAt, record.finishedAt, record.status, record.error, record.delivered ? 1 : 0);
    sql.prune.run(MAX_STORED_ATTEMPTS);
    if (record.delivered) sql.delivered.run(record.finishedAt, row.intent_id);
    else if (record.attempt === WEBHOOK_MAX_ATTEMPTS) sql.failed.run(row.intent_id);
  });

  const timers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const shutdown = new AbortController();
  let closed = false;

  /** Wakes the worker for `intentId` at `at` (ms since epoch); replaces an earlier wake-up. */
  function arm(intentId: string, at: number): void {
    const earlier = timers.get(intentId);
    if (earlier) clearTimeout(earlier);
    const timer = setTimeout(() => {
      timers.delete(intentId);
      wake(intentId);
    }, Math.min(MAX_TIMER_MS, Math.max(0, at - now())));
    timer.unref();
    timers.set(intentId, timer);
  }

  /** Runs the intent's next attempt if it is due; the file says which and when. */
  function wake(intentId: string): void {
    if (closed) return;
    let row: DeliveryRow | undefined;
    try {
      row = sql.get.get(intentId);
      if (!row || row.state !== 'scheduled' || row.next_attempt === null || row.next_attempt_at === null) return;
      if (row.next_attempt_at > now()) return arm(intentId, row.next_attempt_at);
      const attempt = row.next_attempt;
      const startedAt = now();
      const next = attempt < WEBHOOK_MAX_ATTEMPTS ? attempt + 1 : null;
      const nextAt = next === null ? null : startedAt + (WEBHOOK_ATTEMPT_DELAYS_MS[next - 1] ?? 0) * timeScale;
      // The next attempt is committed before this one runs (Code's
      // setupNextAttempt, then handleCurrentAttempt): a crash mid-attempt
      // resumes with the next attempt, on time.
      if (sql.start.run(attempt, next, nextAt, intentId, attempt).changes !== 1) return;
      if (nextAt !== null) arm(intentId, nextAt);
      const running = execute(row, attempt, startedAt).finally(() => inFlight.delete(running));
      inFlight.add(running);
    } catch (error) {
      log.error(`${intentId}: webhook schedule unreadable: ${(error as Error).message}`);
    }
  }

  async function execute(row: DeliveryRow, attempt: number, startedAt: number): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    const signal = AbortSignal.any([shutdown.signal, AbortSignal.timeout(timeoutMs)]);
    try {
      const response = await fetchImpl(row.url, {
        method: 'POST',
        // Go's http.DefaultClient announces itself this way; listeners see what production sends.
        headers: { 'Content-Type': 'application/jwt', 'User-Agent': 'Go-http-client/1.1' },
        body: row.body,
        signal,
      });
      status = response.status;
      await response.body?.cancel().catch(() => {});
    } catch (e) {
      if (shutdown.signal.aborted) error = 'cancelled: sandbox closed';
      else if ((e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError') error = `timeout after ${timeoutMs} ms`;
      else error = describe(e);
    }
    const record: WebhookAttempt = { intentId: row.intent_id, url: row.url, attempt, startedAt, finishedAt: now(), status, error, delivered: status === 200 };
    let state: WebhookJobState | undefined;
    try {
      finish(row, record);
      state = sql.get.get(row.intent_id)?.state;
    } catch (e) {
      log.error(`${row.intent_id} attempt ${attempt}: could not record the outcome: ${(e as Error).message}`);
    }
    if (record.delivered) {
      const timer = timers.get(row.intent_id);
      if (timer) clearTimeout(timer);
      timers.delete(row.intent_id);
    }
    const outcome = record.delivered ? 'delivered' : (error ?? `HTTP ${status} is not 200`);
    const gaveUp = state === 'failed' && attempt === WEBHOOK_MAX_ATTEMPTS;
    log[gaveUp ? 'warn' : 'info'](`${row.intent_id} attempt ${attempt}/${WEBHOOK_MAX_ATTEMPTS} to ${row.url}: ${outcome}${gaveUp ? ', giving up' : ''}`);
    try {
      opts.onAttempt?.(record);
    } catch {
      // an observer's failure must not break delivery
    }
  }

  function resume(): number {
    if (closed) return 0;
    const rows = sql.scheduled.all();
    for (const row of rows) {
      if (row.next_attempt_at !== null && !timers.has(row.intent_id)) arm(row.intent_id, row.next_attempt_at);
    }
    if (rows.length > 0) log.info(`resumed ${rows.length} scheduled webhook(s)`);
    return rows.length;
  }

  if (opts.resume !== false) resume();

  return {
    deliver(job) {
      if (closed) throw new SandboxError('sequencer-closed', 'webhook delivery is closed');
      const at = now();
      if (sql.insert.run(job.intentId, job.url, job.body, at, at).changes === 1) arm(job.intentId, at);
    },
    resume,
    attempts: () =>
      sql.attempts.all(MAX_RECORDED_ATTEMPTS).map((r) => ({
        intentId: r.intent_id,
        url: r.url,
        attempt: r.attempt,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        status: r.status,
        error: r.error,
        delivered: r.delivered === 1,
      })),
    state: (intentId) => sql.get.get(intentId)?.state,
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      shutdown.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}

function describe(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : String(e.message ?? error);
}
