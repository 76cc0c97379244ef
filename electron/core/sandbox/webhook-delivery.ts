import { SandboxError } from './errors';
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
 * `timeScale` multiplies every delay and the timeout, so tests do not wait
 * a day; `timeoutMs` overrides the scaled timeout when a test needs a tiny
 * scale with a realistic timeout.
 */

export const WEBHOOK_ATTEMPT_DELAYS_MS: readonly number[] = [0, 1_000, 1_000, 15_000, 60_000, 900_000, 3_600_000, 86_400_000];
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_ATTEMPT_DELAYS_MS.length;
export const WEBHOOK_TIMEOUT_MS = 3_000;
/** How many finished attempts `attempts()` remembers. */
export const MAX_RECORDED_ATTEMPTS = 1_000;

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

export type WebhookJobState = 'scheduled' | 'delivered' | 'failed' | 'cancelled';

export interface WebhookJob {
  intentId: string;
  url: string;
  /** The compact JWT, sent as the raw body. */
  body: string;
}

export interface WebhookDeliveryOptions {
  timeScale?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  logger?: Logger;
  now?: () => number;
  onAttempt?: (attempt: WebhookAttempt) => void;
}

export interface WebhookDelivery {
  /** Starts delivering; one webhook per intent, as in the sequencer (a second call for the same intent is ignored). */
  deliver(job: WebhookJob): void;
  /** Finished attempts, oldest first. */
  attempts(): WebhookAttempt[];
  state(intentId: string): WebhookJobState | undefined;
  /** Cancels every scheduled attempt, aborts those in flight and waits for them to settle. */
  close(): Promise<void>;
}

interface JobRecord extends WebhookJob {
  state: WebhookJobState;
  next: NodeJS.Timeout | null;
}

export function createWebhookDelivery(opts: WebhookDeliveryOptions = {}): WebhookDelivery {
  const timeScale = opts.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  const timeoutMs = Math.max(1, opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS * timeScale);
  const fetchImpl: typeof fetch = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const log = (opts.logger ?? silentLogger).child('sandbox-webhook-delivery');
  const now = opts.now ?? Date.now;

  const jobs = new Map<string, JobRecord>();
  const finished: WebhookAttempt[] = [];
  const inFlight = new Set<Promise<void>>();
  const shutdown = new AbortController();
  let closed = false;

  function schedule(job: JobRecord, attempt: number): void {
    const delay = (WEBHOOK_ATTEMPT_DELAYS_MS[attempt - 1] ?? 0) * timeScale;
    job.next = setTimeout(() => {
      job.next = null;
      run(job, attempt);
    }, delay);
    job.next.unref();
  }

  function run(job: JobRecord, attempt: number): void {
    if (closed || job.state !== 'scheduled') return;
    if (attempt < WEBHOOK_MAX_ATTEMPTS) schedule(job, attempt + 1);
    const running = execute(job, attempt).finally(() => inFlight.delete(running));
    inFlight.add(running);
  }

  async function execute(job: JobRecord, attempt: number): Promise<void> {
    const startedAt = now();
    let status: number | null = null;
    let error: string | null = null;
    const signal = AbortSignal.any([shutdown.signal, AbortSignal.timeout(timeoutMs)]);
    try {
      const response = await fetchImpl(job.url, {
        method: 'POST',
        // Go's http.DefaultClient announces itself this way; listeners see what production sends.
        headers: { 'Content-Type': 'application/jwt', 'User-Agent': 'Go-http-client/1.1' },
        body: job.body,
        signal,
      });
      status = response.status;
      await response.body?.cancel().catch(() => {});
    } catch (e) {
      if (shutdown.signal.aborted) error = 'cancelled: sandbox closed';
      else if ((e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError') error = `timeout after ${timeoutMs} ms`;
      else error = describe(e);
    }
    const record: WebhookAttempt = { intentId: job.intentId, url: job.url, attempt, startedAt, finishedAt: now(), status, error, delivered: status === 200 };
    finished.push(record);
    if (finished.length > MAX_RECORDED_ATTEMPTS) finished.splice(0, finished.length - MAX_RECORDED_ATTEMPTS);

    if (record.delivered) {
      // A success wins over anything else, also over a "failed" a later attempt already recorded.
      job.state = 'delivered';
      if (job.next) clearTimeout(job.next);
      job.next = null;
    } else if (attempt === WEBHOOK_MAX_ATTEMPTS && job.state === 'scheduled') {
      job.state = 'failed';
    }
    const outcome = record.delivered ? 'delivered' : (error ?? `HTTP ${status} is not 200`);
    log[job.state === 'failed' ? 'warn' : 'info'](`${job.intentId} attempt ${attempt}/${WEBHOOK_MAX_ATTEMPTS} to ${job.url}: ${outcome}${job.state === 'failed' ? ', giving up' : ''}`);
    try {
      opts.onAttempt?.(record);
    } catch {
      // an observer's failure must not break delivery
    }
  }

  return {
    deliver(job) {
      if (closed) throw new SandboxError('sequencer-closed', 'webhook delivery is closed');
      const existing = jobs.get(job.intentId);
      if (existing && existing.state !== 'cancelled') return;
      const record: JobRecord = { ...job, state: 'scheduled', next: null };
      jobs.set(job.intentId, record);
      schedule(record, 1);
    },
    attempts: () => finished.map((a) => ({ ...a })),
    state: (intentId) => jobs.get(intentId)?.state,
    async close() {
      if (closed) return;
      closed = true;
      for (const job of jobs.values()) {
        if (job.next) clearTimeout(job.next);
        job.next = null;
        if (job.state === 'scheduled') job.state = 'cancelled';
      }
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
