import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../http/read-body';
import { silentLogger, type Logger } from '../app/logger';

/**
 * The HTTP server Code's sequencer reaches through the tunnel. It is written
 * on node:http rather than a framework on purpose: it serves exactly two
 * routes, must bound every byte and millisecond a stranger can make it spend,
 * and needs no routing, plugins or content negotiation, which is where a
 * framework's surface (and its body parsers) would come in.
 */

/** A webhook JWT is a few hundred bytes; 8 KiB leaves room and nothing more. */
export const MAX_BODY_BYTES = 8 * 1024;

export interface WebhookAnswer {
  status: number;
  reason?: string;
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

  const server = createServer(
    {
      maxHeaderSize: 8 * 1024,
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 4_000),
      // How often Node enforces the two timeouts above (default 30 s).
      connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs),
    },
    (req, res) => {
    route(req, res).catch((error: unknown) => {
      log.error(`handler failed: ${(error as Error)?.stack ?? String(error)}`);
      answer(res, 500, 'internal error');
    });
    },
  );
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 256;
  server.setTimeout(requestTimeoutMs * 2);
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === healthPath) return answer(res, 200, 'ok');
    if (req.method !== 'POST' || path !== webhookPath) {
      req.resume();
      return answer(res, 404, 'not found');
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/jwt') {
      log.warn(`rejected: content type ${JSON.stringify(type)}`);
      return answer(res, 415, 'expected application/jwt', true);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      log.warn(`rejected: declared body of ${declared} bytes`);
      return answer(res, 413, 'body too large', true);
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      log.warn('rejected: body over the limit or aborted');
      return answer(res, 413, 'body too large', true);
    }
    const result = await options.onWebhook(body);
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
        server.close(() => resolve());
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
