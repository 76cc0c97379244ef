import type { JsonWebKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { silentLogger, type LogFields, type Logger } from '../app/logger';
import type { Mode } from '../../shared/domain/sale';
import { healthPathFor, webhookPathFor, type ListenerServerConfig } from './listener-server';
import type { CodeWebhookPayload, WebhookKeys } from './webhook-verifier';

/**
 * The webhook listener as the till sees it. The HTTP server itself runs in
 * its own thread (listener-worker.ts, listener-server.ts): 300 slow
 * connections once filled a 256-connection cap on the till's own event loop,
 * and a forged flood slowed every sales-log read 4-5×. That thread takes the
 * bytes, enforces the limits, verifies signatures against the candidate keys
 * and answers everything forged or malformed itself; the main thread sees
 * only verified webhooks (`onWebhook`), and log lines already thinned by the
 * flood gate.
 */

export { MAX_BODY_BYTES, healthPathFor, webhookPathFor } from './listener-server';

export interface WebhookAnswer {
  status: number;
  /** Told to the caller, and logged with a refusal. */
  reason?: string;
  /** A refusal's stable name ("bad-signature"): floods are counted by status and kind, not by the varying reason text. */
  kind?: string;
  /** The sale a refusal named, for the log. */
  saleId?: number;
  /** Logged with a refusal, never told to the caller (a ledger error). */
  note?: string;
}

/** A webhook whose signature verified, with the raw body (kept in the ledger as the proof). */
export interface VerifiedWebhook {
  body: string;
  payload: CodeWebhookPayload;
  /** The modes whose key verified the signature: the handler requires the claimed sale's. */
  verifiedBy: Mode[];
}

export interface WebhookListenerOptions {
  /** Per-install random path segment: stray internet traffic never finds the webhook. */
  pathSecret: string;
  /** Called on the main thread with each verified webhook. Must not throw. A handler from createWebhookHandler carries its `keys`. */
  onWebhook: ((webhook: VerifiedWebhook) => Promise<WebhookAnswer>) & { keys?: WebhookKeys };
  /** The keys webhooks are verified with (default: `onWebhook.keys`); none means every token is refused. */
  keys?: WebhookKeys;
  /** 0 (default) lets the OS choose. */
  port?: number;
  logger?: Logger;
  /** Milliseconds a client may take to send its headers and body (default 5 s, well inside Code's 3 s wait plus slack). */
  requestTimeoutMs?: number;
  /** Milliseconds a client may take to send its headers (default 2 s; Code sends them at once). */
  headersTimeoutMs?: number;
  /** Connections held at once (default 1,024); when full, the slowest is dropped for the new one. */
  maxConnections?: number;
  /** How long a verified webhook waits for `onWebhook` before the listener answers 503 (default 10 s; Code retries). */
  answerTimeoutMs?: number;
  /** How refusals are summarised: per interval (default 10 s), the first `fullPerInterval` (default 5) in full, the rest counted. */
  logFlood?: { intervalMs?: number; fullPerInterval?: number };
  /** Tests only: a stand-in for the listener's thread (a file, or code with eval), to exercise what the main thread does when it dies. */
  threadEntry?: { file: string; eval?: true };
}

export interface WebhookListener {
  port: number;
  /** http://127.0.0.1:<port> */
  localUrl: string;
  webhookPath: string;
  healthPath: string;
  /** Resolves once every log line the listener's thread wrote so far has been logged here. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** What the listener's thread starts with (structured-cloned: keys as JWK). */
export interface ListenerWorkerData {
  config: ListenerServerConfig;
  keys: Partial<Record<Mode, JsonWebKey>>;
}

export type FromListener =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: LogFields }
  | { type: 'webhook'; id: number; webhook: VerifiedWebhook }
  | { type: 'pong'; id: number }
  | { type: 'closed' };

export type ToListener = { type: 'answer'; id: number; answer: WebhookAnswer } | { type: 'ping'; id: number } | { type: 'close' };

const SECRET_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** A worker that crashes this often in a minute is not restarted again: the reconciler's status polls still prove payments. */
const MAX_RESTARTS_PER_MINUTE = 5;

/** How long a closing listener thread may take to report its last counts. */
const CLOSE_DEADLINE_MS = 3_000;

/**
 * The thread's entry: the bundled file next to the main bundle in the built
 * app (electron.vite.config.ts builds it as its own main-process input), or
 * the TypeScript source through tsx when running from source (tests, bench,
 * the browser preview).
 */
function workerEntry(): { file: string; eval?: true } {
  // Bundled code may sit in a chunk one folder below the entries.
  for (const dir of [__dirname, join(__dirname, '..')]) {
    const built = join(dir, 'webhook-listener-worker.js');
    if (existsSync(built)) return { file: built };
  }
  // Node 20 does not apply `--import tsx` to a worker's execArgv: the thread registers tsx itself, then loads the source.
  const source = JSON.stringify(join(__dirname, 'listener-worker.ts'));
  return { file: `require('tsx/cjs/api').register(); require(${source});`, eval: true };
}

export async function createWebhookListener(options: WebhookListenerOptions): Promise<WebhookListener> {
  if (!SECRET_PATTERN.test(options.pathSecret)) throw new Error('webhook-listener: the path secret must be 16-128 url-safe characters');
  const log = (options.logger ?? silentLogger).child('webhook-listener');
  const keys = options.keys ?? options.onWebhook.keys ?? {};
  const requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  const config: ListenerServerConfig = {
    pathSecret: options.pathSecret,
    port: options.port ?? 0,
    requestTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs ?? 2_000,
    maxConnections: options.maxConnections ?? 1_024,
    evictionGraceMs: 250,
    answerTimeoutMs: options.answerTimeoutMs ?? 10_000,
    ...(options.logFlood ? { logFlood: options.logFlood } : {}),
  };
  const workerData: ListenerWorkerData = {
    config,
    keys: Object.fromEntries(Object.entries(keys).map(([mode, key]) => [mode, key.export({ format: 'jwk' })])),
  };
  const entry = options.threadEntry ?? workerEntry();

  let worker: Worker;
  /** The current thread has exited and was not restarted. */
  let gone = false;
  let closing = false;
  let pingId = 0;
  const pongs = new Map<number, () => void>();
  const restarts: number[] = [];

  function onMessage(message: FromListener): void {
    switch (message.type) {
      case 'log':
        log[message.level](message.message, message.fields);
        return;
      case 'webhook':
        void options.onWebhook(message.webhook).then(
          (answer) => worker.postMessage({ type: 'answer', id: message.id, answer } satisfies ToListener),
          // onWebhook must not throw; if it does, Code retries a 503.
          (error: unknown) =>
            worker.postMessage({
              type: 'answer',
              id: message.id,
              answer: { status: 503, kind: 'handler-failed', reason: 'temporarily unable to record', note: (error as Error)?.message ?? String(error) },
            } satisfies ToListener),
        );
        return;
      case 'pong':
        pongs.get(message.id)?.();
        pongs.delete(message.id);
        return;
      default:
        return;
    }
  }

  /** Starts the thread; resolves with its port once it listens. */
  function start(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const w = new Worker(entry.file, {
        workerData: { ...workerData, config: { ...config, port } } satisfies ListenerWorkerData,
        ...(entry.eval ? { eval: true } : {}),
        // A flood can cost this thread its memory, never the till's.
        resourceLimits: { maxOldGenerationSizeMb: 128 },
        name: 'webhook-listener',
      });
      worker = w;
      gone = false;
      let started = false;
      w.on('message', (message: FromListener) => {
        if (message.type === 'listening') {
          started = true;
          resolve(message.port);
        } else if (message.type === 'failed') {
          reject(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
        } else {
          onMessage(message);
        }
      });
      w.on('error', (error) => {
        if (!started) reject(error);
        else log.error(`listener thread failed: ${error.message.split(options.pathSecret).join('…')}`);
      });
      w.on('exit', (code) => {
        gone = true;
        if (!started) {
          reject(new Error(`webhook-listener: the listener thread exited (${code}) before listening`));
          return;
        }
        for (const done of pongs.values()) done();
        pongs.clear();
        if (closing) return;
        // The listener must come back on the same port: the tunnel points at it.
        const now = Date.now();
        while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
        if (restarts.length >= MAX_RESTARTS_PER_MINUTE) {
          log.error(`listener thread exited (${code}) ${restarts.length} times in a minute; not restarted`);
          return;
        }
        restarts.push(now);
        log.error(`listener thread exited (${code}); restarting it on port ${listenerPort}`);
        start(listenerPort).then(
          () => log.info(`listener thread restarted on port ${listenerPort}`),
          (error: unknown) => log.error(`listener thread did not restart: ${(error as Error).message}`),
        );
      });
    });
  }

  const listenerPort = await start(config.port);
  log.info(`listening on 127.0.0.1:${listenerPort}`);

  let closed: Promise<void> | null = null;
  return {
    port: listenerPort,
    localUrl: `http://127.0.0.1:${listenerPort}`,
    webhookPath: webhookPathFor(options.pathSecret),
    healthPath: healthPathFor(options.pathSecret),
    flush: () =>
      new Promise<void>((resolve) => {
        if (gone) return resolve();
        const id = ++pingId;
        pongs.set(id, resolve);
        worker.postMessage({ type: 'ping', id } satisfies ToListener);
      }),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        if (gone) return resolve();
        const w = worker;
        // The thread reports what its flood gate still counted, then says it is done;
        // one that does not within CLOSE_DEADLINE_MS is stopped anyway.
        const done = () => void w.terminate().then(() => resolve());
        const deadline = setTimeout(done, CLOSE_DEADLINE_MS);
        w.on('message', (message: FromListener) => {
          if (message.type === 'closed') {
            clearTimeout(deadline);
            done();
          }
        });
        w.once('exit', () => {
          clearTimeout(deadline);
          resolve();
        });
        w.postMessage({ type: 'close' } satisfies ToListener);
      });
      return closed;
    },
  };
}
