/**
 * A network cable for one till: a TCP relay on 127.0.0.1 in front of the
 * PostgreSQL server. cut() drops every connection through it and turns new
 * ones away (as a pulled cable or a dead Wi-Fi does to that till alone,
 * while the other tills keep the server); mend() lets them through again.
 */
import { createServer, connect, type Socket } from 'node:net';

export interface SyncGate {
  port: number;
  /** The URL with its host and port replaced by the gate's. */
  urlThrough(url: string): string;
  cut(): void;
  mend(): void;
  close(): Promise<void>;
}

export async function openGate(targetHost: string, targetPort: number): Promise<SyncGate> {
  const open = new Set<Socket>();
  let isCut = false;
  const server = createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    urlThrough(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut() {
      isCut = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    mend() {
      isCut = false;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
