import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from '../http/read-body';
import { createFloodGate } from '../app/log-flood';
import { silentLogger, type LogFields, type Logger } from '../app/logger';

/**
 * The HTTP server Code's sequencer reaches through the tunnel. It is written
 * on node:http rather than a framework on purpose: it serves exactly two
 * routes, must bound every byte and millisecond a stranger can make it spend,
 * and needs no routing, plugins or content negotiation, which is where a
 * framework's surface (and its body parsers) would come in.
 *
 * It is also where every refused request is logged, its own refusals and the
 * handler's alike, through one flood gate: a forged flood once wrote 150,000
 * lines in 20 s; now it writes the first few of each interval and one summary
 * line counting the rest by status and kind. Logged paths never carry the
 * path secret.
 */

/** A webhook JWT is a few hundred bytes; 8 KiB leaves room and nothing more. */
export const MAX_BODY_BYTES = 8 * 1024;

export interface WebhookAnswer {
  status: number;
  /** Told to the caller, and logged with a refusal. */
  reason?: string;
  /** A refusal's stable name ("bad-signature"): floods are counted by status and kind, not by the varying reason. */
  kind?: string;
  /** The sale a refusal named, for the log. */
  saleId?: number;
  /** Logged with a refusal, never told to the caller (a ledger error). */
  note?: string;
}

export interface WebhookListenerOptions {
  /** Per-install random path segment: stray internet traffic never finds the webhook. */
  pathSecret: string;
  /** Called with the raw body of a well-formed POST to the webhook path. Must not throw. */
  onWebhook: (body: string) => Promise<WebhookAnswer>;
  /** 0 (default) lets the OS choose. */
  port?: number;
  logger?: Logger;
  /** Milliseconds a client may take to send its headers and body (default 5 s, well inside Code's 3 s wait plus slack). */
  requestTimeoutMs?: number;
  /** How refusals are summarised: per interval (default 10 s), the first `fullPerInterval` (default 5) in full, the rest counted. */
  logFlood?: { intervalMs?: number; fullPerInterval?: number };
}

export interface WebhookListener {
  port: number;
  /** http://127.0.0.1:<port> */
  localUrl: string;
  webhookPath: string;
  healthPath: string;
  close(): Promise<void>;
}

const SECRET_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export function webhookPathFor(pathSecret: string): string {
  return `/code-webhook/${pathSecret}`;
}

export function healthPathFor(pathSecret: string): string {
  return `/health/${pathSecret}`;
}

export async function createWebhookListener(options: WebhookListenerOptions): Promise<WebhookListener> {
  if (!SECRET_PATTERN.test(options.pathSecret)) throw new Error('webhook-listener: the path secret must be 16-128 url-safe characters');
  const log = (options.logger ?? silentLogger).child('webhook-listener');
  const webhookPath = webhookPathFor(options.pathSecret);
  const healthPath = healthPathFor(options.pathSecret);
  const requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  const checkingIntervalMs = Math.min(1_000, requestTimeoutMs);
  const gate = createFloodGate({
    logger: log,
    what: 'webhook requests rejected',
    ...(options.logFlood?.intervalMs !== undefined ? { intervalMs: options.logFlood.intervalMs } : {}),
    ...(options.logFlood?.fullPerInterval !== undefined ? { fullPerInterval: options.logFlood.fullPerInterval } : {}),
  });

  /** One refused request: counted by `status kind`, logged in full only while the interval's allowance lasts. */
  function refused(status: number | 'dropped', kind: string, detail: string, fields: LogFields = {}): void {
    const what = status === 'dropped' ? 'dropped' : `rejected (${status})`;
    gate.note(`${status} ${kind}`, `${what}: ${detail}`, { status, kind, ...fields });
  }

  /** A path as it may be logged: without the secret, bounded, and quoted so control characters show. */
  const shown = (path: string) => {
    // Masked before it is cut, so a cut cannot leave part of the secret behind.
    const masked = path.split(options.pathSecret).join('…');
    return JSON.stringify(masked.length > 120 ? `${masked.slice(0, 120)}…` : masked);
  };

  const server = createServer(
    {
      maxHeaderSize: 8 * 1024,
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 4_000),
      // How often Node enforces the two timeouts above (default 30 s).
      connectionsCheckingInterval: checkingIntervalMs,
    },
    (req, res) => {
      route(req, res).catch((error: unknown) => {
        // A bug, not a refusal: always logged, at error level.
        log.error(`handler failed: ${((error as Error)?.stack ?? String(error)).split(options.pathSecret).join('…')}`);
        answer(res, 500, 'internal error');
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 256;
  // The idle backstop must not beat the request timeout, which is only
  // noticed at the next connections check: a stalled request gets its 408
  // instead of a silent close.
  server.setTimeout(requestTimeoutMs * 2 + 2 * checkingIntervalMs);
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
  server.on('drop', () => refused('dropped', 'too-many-connections', `over ${server.maxConnections} connections at once`));

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
    const result = await options.onWebhook(body);
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
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  log.info(`listening on 127.0.0.1:${port}`);

  return {
    port,
    localUrl: `http://127.0.0.1:${port}`,
    webhookPath,
    healthPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          // What is still counted is reported before the listener is gone.
          gate.close();
          resolve();
        });
        server.closeAllConnections();
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
