/**
 * A load generator run as its own process (so it does not share the event
 * loop it measures): POSTs bodies from a JSON file to 127.0.0.1 over
 * keep-alive connections and prints one JSON summary line on stdout.
 *
 *   node --import tsx bench/load-client.ts '{"port":1234,"path":"/x","bodiesFile":"…","concurrency":16,"mode":"each"}'
 *
 * mode "each": every body once; mode "duration": round-robin for durationMs.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

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
const bodies = (JSON.parse(readFileSync(spec.bodiesFile, 'utf8')) as string[]).map((b) => Buffer.from(b));
const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });

function post(body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: spec.port,
        method: 'POST',
        path: spec.path,
        agent,
        headers: { 'content-type': spec.contentType ?? 'application/jwt', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(-1));
    req.end(body);
  });
}

async function main(): Promise<void> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const deadline = started + (spec.durationMs ?? 0);
  const take = (): Buffer | null => {
    if (spec.mode === 'each') return next < bodies.length ? bodies[next++]! : null;
    if (performance.now() >= deadline) return null;
    return bodies[next++ % bodies.length]!;
  };
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      for (let body = take(); body; body = take()) {
        const t0 = performance.now();
        const status = await post(body);
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({ count: latencies.length, elapsedMs, statuses, latencies })}\n`);
}

void main();
