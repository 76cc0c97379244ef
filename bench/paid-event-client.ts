/**
 * The outside world of the webhook → PAID bench, as its own process: Code's
 * sequencer POSTing each webhook, and the browser preview's renderer reading
 * the event stream. Out of the app's process, as they are in a shop, so the
 * client's own work is not charged to the path it measures.
 *
 *   node --import tsx bench/paid-event-client.ts '{"port":…,"listenerPort":…,"webhookPath":"…","token":"…","jobsFile":"…"}'
 *
 * One webhook at a time: each is sent once the previous sale's PAID came in
 * on the stream. Prints one JSON line: per sale, when its webhook was sent
 * and when PAID arrived on the stream, in wall-clock milliseconds
 * (performance.timeOrigin + now(), comparable across processes on one machine).
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

interface ClientSpec {
  port: number;
  listenerPort: number;
  webhookPath: string;
  token: string;
  /** JSON: [{ saleId, jwt }], in the order to send. */
  jobsFile: string;
}

const spec = JSON.parse(process.argv[2]!) as ClientSpec;
const jobs = JSON.parse(readFileSync(spec.jobsFile, 'utf8')) as Array<{ saleId: number; jwt: string }>;
const wallClock = () => performance.timeOrigin + performance.now();

/** The preview's event stream, read as an EventSource would: a frame per blank line, `data:` lines as JSON. */
function openStream(onPaid: (saleId: number, at: number) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(spec.port, '127.0.0.1');
    socket.setNoDelay(true);
    let buffer = '';
    let headerDone = false;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(`GET /events?token=${encodeURIComponent(spec.token)} HTTP/1.1\r\nHost: 127.0.0.1:${spec.port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.on('data', (chunk: string) => {
      const at = wallClock();
      buffer += chunk;
      if (!headerDone) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buffer.startsWith('HTTP/1.1 200')) return reject(new Error(`event stream refused: ${buffer.slice(0, 40)}`));
        headerDone = true;
        buffer = buffer.slice(end + 4);
        resolve(socket);
      }
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of frame.split('\n')) {
          if (!line.startsWith('data: ')) continue;
          const event = JSON.parse(line.slice(6)) as { type: string; sale?: { id: number; status: string } };
          if (event.type === 'sale' && event.sale?.status === 'paid') onPaid(event.sale.id, at);
        }
      }
    });
    socket.on('error', reject);
  });
}

/** One keep-alive connection to the webhook listener; answers are read and dropped (the stream is what counts). */
function openWebhookConnection(): Socket {
  const socket = connect(spec.listenerPort, '127.0.0.1');
  socket.setNoDelay(true);
  socket.on('data', () => undefined);
  return socket;
}

async function main(): Promise<void> {
  const waiting = new Map<number, (at: number) => void>();
  const stream = await openStream((saleId, at) => waiting.get(saleId)?.(at));
  const webhooks = openWebhookConnection();
  await new Promise((resolve) => webhooks.once('connect', resolve));
  const samples: Array<{ saleId: number; sentAt: number; streamAt: number }> = [];
  for (const job of jobs) {
    const body = Buffer.from(job.jwt);
    const request = Buffer.concat([
      Buffer.from(
        `POST ${spec.webhookPath} HTTP/1.1\r\nHost: 127.0.0.1:${spec.listenerPort}\r\nContent-Type: application/jwt\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`,
        'latin1',
      ),
      body,
    ]);
    const paid = new Promise<number>((resolve) => waiting.set(job.saleId, resolve));
    const sentAt = wallClock();
    webhooks.write(request);
    const streamAt = await paid;
    waiting.delete(job.saleId);
    samples.push({ saleId: job.saleId, sentAt, streamAt });
  }
  webhooks.destroy();
  stream.destroy();
  process.stdout.write(`${JSON.stringify({ samples })}\n`);
}

void main();
