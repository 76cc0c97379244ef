import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from '../http/read-body';
import { createFloodGate } from '../app/log-flood';
import type { LogFields, Logger } from '../app/logger';
import { createWebhookVerifier, type VerifyResult, type WebhookKeys } from './webhook-verifier';
import type { VerifiedWebhook, WebhookAnswer } from './webhook-listener';

/**
 * The HTTP server Code's sequencer reaches through the tunnel. It runs in the
 * listener's own thread (listener-worker.ts), never on the till's event loop:
 * a flood of slow or forged requests costs that thread, not the till.
 *
 * It is written on node:http rather than a framework on purpose: it serves
 * exactly two routes, must bound every byte and millisecond a stranger can
 * make it spend, and needs no routing, plugins or content negotiation, which
 * is where a framework's surface (and its body parsers) would come in.
 *
 * It verifies every webhook body itself (webhook-verifier.ts) and hands only
 * verified ones to the main thread (`deliver`), waiting for its answer (200,
 * 422, 503…). Forged and garbage bodies are answered here.
 *
 * It is also where every refused request is logged, its own refusals and the
 * handler's alike, through one flood gate: a forged flood once wrote 150,000
 * lines in 20 s; now it writes the first few of each interval and one summary
 * line counting the rest by status and kind. Logged paths never carry the
 * path secret.
 */

/** A webhook JWT is a few hundred bytes; 8 KiB leaves room and nothing more. */
export const MAX_BODY_BYTES = 8 * 1024;

/** Refused bodies remembered, so a replayed forgery costs a map lookup instead of two signature checks. */
const REFUSED_CACHE_ENTRIES = 1024;
/** Only bodies of a plausible webhook's size are remembered: the cache holds at most ~2 MB. */
const REFUSED_CACHE_MAX_CHARS = 2048;

export interface ListenerServerConfig {
  pathSecret: string;
  port: number;
  /** Milliseconds a client may take to send its whole request (default 5 s, well inside Code's 3 s wait plus slack). */
  requestTimeoutMs: number;
  /** Milliseconds a client may take to send its headers (Code sends them at once). */
  headersTimeoutMs: number;
  /** Connections held at once; when full, the slowest one is dropped for the new one. */
  maxConnections: number;
  /** A connection this young is never the one dropped: it has not had time to send its request. */
  evictionGraceMs: number;
  /** How long a verified webhook waits for the main thread's answer before a 503 (Code retries). */
  answerTimeoutMs: number;
  logFlood?: { intervalMs?: number; fullPerInterval?: number };
}

export interface ListenerServerDeps {
  keys: WebhookKeys;
  logger: Logger;
  /** The main thread's answer for a verified webhook. */
  deliver: (webhook: VerifiedWebhook) => Promise<WebhookAnswer>;
}

export interface ListenerServer {
  port: number;
  close(): Promise<void>;
}

interface Tracked {
  openedAt: number;
  /** Verified requests of this connection waiting for the main thread's answer: never dropped meanwhile. */
  busy: number;
}

export function webhookPathFor(pathSecret: string): string {
  return `/code-webhook/${pathSecret}`;
}

export function healthPathFor(pathSecret: string): string {
  return `/health/${pathSecret}`;
}

export async function startListenerServer(config: ListenerServerConfig, deps: ListenerServerDeps): Promise<ListenerServer> {
  const log = deps.logger;
  const webhookPath = webhookPathFor(config.pathSecret);
  const healthPath = healthPathFor(config.pathSecret);
  const requestTimeoutMs = config.requestTimeoutMs;
  const checkingIntervalMs = Math.min(1_000, requestTimeoutMs);
  const verify = createWebhookVerifier(deps.keys);
  const refusedBodies = new Map<string, Extract<VerifyResult, { ok: false }>>();
  const gate = createFloodGate({
    logger: log,
    what: 'webhook requests rejected',
    ...(config.logFlood?.intervalMs !== undefined ? { intervalMs: config.logFlood.intervalMs } : {}),
    ...(config.logFlood?.fullPerInterval !== undefined ? { fullPerInterval: config.logFlood.fullPerInterval } : {}),
  });

  /** One refused request: counted by `status kind`, logged in full only while the interval's allowance lasts. */
  function refused(status: number | 'dropped', kind: string, detail: string, fields: LogFields = {}): void {
    const what = status === 'dropped' ? 'dropped' : `rejected (${status})`;
    gate.note(`${status} ${kind}`, `${what}: ${detail}`, { status, kind, ...fields });
  }

  /** A path as it may be logged: without the secret, bounded, and quoted so control characters show. */
  const shown = (path: string) => {
    // Masked before it is cut, so a cut cannot leave part of the secret behind.
    const masked = path.split(config.pathSecret).join('…');
    return JSON.stringify(masked.length > 120 ? `${masked.slice(0, 120)}…` : masked);
  };

  /** The same body refused the same way: deterministic, since the keys never change while the thread runs. */
  function check(body: string): VerifyResult {
    const cached = refusedBodies.get(body);
    if (cached) return cached;
    const result = verify(body);
    if (!result.ok && body.length <= REFUSED_CACHE_MAX_CHARS) {
      if (refusedBodies.size >= REFUSED_CACHE_ENTRIES) refusedBodies.delete(refusedBodies.keys().next().value!);
      refusedBodies.set(body, result);
    }
    return result;
  }

  const server = createServer(
    {
      maxHeaderSize: 8 * 1024,
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, config.headersTimeoutMs),
      // How often Node enforces the two timeouts above (default 30 s).
      connectionsCheckingInterval: checkingIntervalMs,
    },
    (req, res) => {
      route(req, res).catch((error: unknown) => {
        // A bug, not a refusal: always logged, at error level.
        log.error(`handler failed: ${((error as Error)?.stack ?? String(error)).split(config.pathSecret).join('…')}`);
        answer(res, 500, 'internal error');
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  // The idle backstop must not beat the request timeout, which is only
  // noticed at the next connections check: a stalled request gets its 408
  // instead of a silent close.
  server.setTimeout(requestTimeoutMs * 2 + 2 * checkingIntervalMs);

  // Connections, oldest first. Node's own maxConnections refuses the newest
  // connection when full, so 300 slow clients kept every genuine webhook out;
  // here a full listener drops one it holds for the new one. The victim is
  // never one whose verified webhook waits for the till, nor one accepted in
  // the last few milliseconds (its first bytes may not have been read yet).
  // Among those past a grace period, it is the slowest (fewest bytes per
  // second since it opened); when every one is younger (reopened attackers
  // churning through the slots), it is the one that has sent the fewest
  // bytes, the oldest first. A genuine webhook sends its whole request in its
  // first packet, so it is never the slowest, and it is answered within that
  // grace period.
  const tracked = new Map<Socket, Tracked>();
  const firstBytesMs = Math.min(50, config.evictionGraceMs);
  function evictOne(now: number): boolean {
    let victim: Socket | null = null;
    let slowest = Infinity;
    let youngVictim: Socket | null = null;
    let fewest = Infinity;
    for (const [socket, t] of tracked) {
      if (t.busy) continue;
      const age = now - t.openedAt;
      if (age >= config.evictionGraceMs) {
        const rate = socket.bytesRead / age;
        if (rate < slowest) {
          slowest = rate;
          victim = socket;
        }
      } else if (!victim && age >= firstBytesMs && socket.bytesRead < fewest) {
        fewest = socket.bytesRead;
        youngVictim = socket;
      }
    }
    const chosen = victim ?? youngVictim;
    if (!chosen) return false;
    tracked.delete(chosen);
    chosen.destroy();
    refused('dropped', 'evicted-slowest', `the slowest of ${config.maxConnections} connections, for a new one`);
    return true;
  }
  server.on('connection', (socket: Socket) => {
    const now = performance.now();
    if (tracked.size >= config.maxConnections && !evictOne(now)) {
      // Every connection held is waiting for the till or just arrived: the newest goes.
      socket.destroy();
      refused('dropped', 'too-many-connections', `over ${config.maxConnections} connections at once`);
      return;
    }
    tracked.set(socket, { openedAt: now, busy: 0 });
    socket.once('close', () => tracked.delete(socket));
  });

  // Sockets already refused here: a later error on the same one (the client
  // closing after our 408) is the same request, not another.
  const refusedSockets = new WeakSet<Socket>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const code = error.code ?? 'unknown';
    // A client that hung up (mid-body, too) is not refused: there is nobody to answer.
    if (refusedSockets.has(socket) || code === 'ECONNRESET' || code === 'EPIPE' || code === 'HPE_INVALID_EOF_STATE') {
      socket.destroy();
      return;
    }
    refusedSockets.add(socket);
    const [status, kind, text] =
      code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'Request Timeout']
        : code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'headers-too-large', 'Request Header Fields Too Large']
          : [400, 'bad-request', 'Bad Request'];
    refused(status, kind, status === 400 ? `malformed request (${code})` : kind.replace(/-/g, ' '));
    // Node's own rule: no answer once a response has started on this socket.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });

  /** The main thread's answer, or a 503 when it does not come in time (Code retries). */
  function deliver(webhook: VerifiedWebhook): Promise<WebhookAnswer> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ status: 503, kind: 'till-unavailable', reason: 'temporarily unable to record', note: `no answer from the till in ${config.answerTimeoutMs} ms` }),
        config.answerTimeoutMs,
      );
      deps.deliver(webhook).then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (error: unknown) => {
          clearTimeout(timer);
          resolve({ status: 503, kind: 'till-unavailable', reason: 'temporarily unable to record', note: (error as Error)?.message ?? String(error) });
        },
      );
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'GET' && path === healthPath) return answer(res, 200, 'ok');
    if (req.method !== 'POST' || path !== webhookPath) {
      req.resume();
      refused(404, 'not-found', `no route for ${JSON.stringify(String(req.method).slice(0, 16))} ${shown(path)}`);
      return answer(res, 404, 'not found');
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/jwt') {
      refused(415, 'wrong-content-type', `content type ${JSON.stringify(type.slice(0, 80))}`);
      return answer(res, 415, 'expected application/jwt', true);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      refused(413, 'declared-too-large', `declared body of ${declared} bytes`);
      return answer(res, 413, 'body too large', true);
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      // A client that left (or was timed out, already logged as 408) is not refused: there is nobody to answer.
      if (req.socket.destroyed || !req.socket.writable) return;
      refused(413, 'body-too-large', 'body over the limit');
      return answer(res, 413, 'body too large', true);
    }
    const verified = check(body);
    let result: WebhookAnswer;
    if (verified.ok) {
      // Not dropped for a newer connection while the till answers (a slow body is not busy: it can be dropped).
      const t = tracked.get(req.socket);
      if (t) t.busy += 1;
      try {
        result = await deliver({ body, payload: verified.payload, verifiedBy: verified.verifiedBy });
      } finally {
        if (t) t.busy -= 1;
      }
    } else {
      result = { status: verified.status, kind: verified.kind, reason: verified.reason };
    }
    if (result.status !== 200) {
      const reason = result.reason ?? 'rejected';
      const detail = `${reason}${result.saleId !== undefined ? ` [sale ${result.saleId}]` : ''}${result.note ? ` (${result.note})` : ''}`;
      const fields = result.saleId !== undefined ? { saleId: result.saleId } : {};
      // Our own failure (the ledger could not write: Code will retry) is not a
      // stranger's refusal: every one is logged, in full, as an error.
      if (result.status >= 500) log.error(`could not take a webhook (${result.status}): ${detail}`, { status: result.status, ...fields });
      else refused(result.status, result.kind ?? 'rejected', detail, fields);
    }
    answer(res, result.status, result.reason ?? (result.status === 200 ? 'ok' : 'rejected'));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          // What is still counted is reported before the listener is gone.
          gate.close();
          resolve();
        });
        server.closeAllConnections();
        // Connections that never sent a byte are not the HTTP server's yet.
        for (const socket of tracked.keys()) socket.destroy();
      }),
  };
}

function answer(res: ServerResponse, status: number, text: string, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ status, message: text });
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(body);
}
