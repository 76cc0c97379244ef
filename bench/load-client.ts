/**
 * A load generator run as its own process (so it does not share the event
 * loop it measures): POSTs bodies from a JSON file to 127.0.0.1 over
 * keep-alive connections and prints one JSON summary line on stdout.
 *
 *   node --import tsx bench/load-client.ts '{"port":1234,"path":"/x","bodiesFile":"…","concurrency":16,"mode":"each"}'
 *
 * mode "each": every body once; mode "duration": round-robin for durationMs.
 *
 * It writes prebuilt requests on raw sockets and reads only each answer's
 * status line and Content-Length: node:http's client spent more CPU per
 * request than the servers it measured, and on a 2-core machine the client's
 * cost is taken from the server's. Both the reference and Counter are
 * measured with this same client.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

interface LoadSpec {
  port: number;
  path: string;
  bodiesFile: string;
  concurrency: number;
  mode: 'each' | 'duration';
  durationMs?: number;
  contentType?: string;
}

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
const requests = (JSON.parse(readFileSync(spec.bodiesFile, 'utf8')) as string[]).map((b) => {
  const body = Buffer.from(b);
  const head = `POST ${spec.path} HTTP/1.1\r\nHost: 127.0.0.1:${spec.port}\r\nContent-Type: ${spec.contentType ?? 'application/jwt'}\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
});

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection sending one request at a time; reopened when the server closes it. */
class Connection {
  private socket: Socket | null = null;
  private buffered: Buffer = Buffer.alloc(0);
  private pending: ((status: number) => void) | null = null;

  send(request: Buffer): Promise<number> {
    return new Promise((resolve) => {
      this.pending = resolve;
      const socket = this.socket ?? this.open();
      socket.write(request);
    });
  }

  private open(): Socket {
    const socket = connect(spec.port, '127.0.0.1');
    socket.setNoDelay(true);
    this.socket = socket;
    this.buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    // Only the current socket's end fails the request in flight: an old one closing after its last answer does not.
    const gone = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.finish(-1);
    };
    socket.on('error', gone);
    socket.on('close', gone);
    return socket;
  }

  private parse(): void {
    const end = this.buffered.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    const total = end + 4 + length;
    if (this.buffered.length < total) return;
    this.buffered = this.buffered.subarray(total);
    if (/\r\nconnection:\s*close/i.test(head)) {
      this.socket?.destroy();
      this.socket = null;
    }
    this.finish(status);
  }

  private finish(status: number): void {
    const done = this.pending;
    this.pending = null;
    done?.(status);
  }

  close(): void {
    this.socket?.destroy();
  }
}

async function main(): Promise<void> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const deadline = started + (spec.durationMs ?? 0);
  const take = (): Buffer | null => {
    if (spec.mode === 'each') return next < requests.length ? requests[next++]! : null;
    if (performance.now() >= deadline) return null;
    return requests[next++ % requests.length]!;
  };
  const connections = Array.from({ length: spec.concurrency }, () => new Connection());
  await Promise.all(
    connections.map(async (connection) => {
      for (let request = take(); request; request = take()) {
        const t0 = performance.now();
        const status = await connection.send(request);
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  for (const c of connections) c.close();
  latencies.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({ count: latencies.length, elapsedMs, statuses, latencies })}\n`);
}

void main();
