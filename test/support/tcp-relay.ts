import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 for TLS tests: each connection is sent on to the
 * port `route(n)` names (n counts connections from 0), and what the client
 * sent is kept, so a test can tell what crossed the wire. `appDataRecords`
 * counts the client's TLS application-data records (content type 23) after
 * the 8-byte SSLRequest: in TLS 1.3 the client's Finished is one of them,
 * so a client that sent nothing but the handshake shows at most one.
 */
export interface TcpRelay {
  port: number;
  /** Bytes each connection's client sent, in order of connection. */
  sent: Buffer[];
  appDataRecords(connection: number): number;
  close(): Promise<void>;
}

export async function startTcpRelay(route: (connection: number) => number): Promise<TcpRelay> {
  const sent: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const n = sent.length;
    sent.push(Buffer.alloc(0));
    const upstream = connect({ host: '127.0.0.1', port: route(n) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (chunk: Buffer) => {
      sent[n] = Buffer.concat([sent[n] as Buffer, chunk]);
    });
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    sent,
    appDataRecords(connection) {
      const bytes = sent[connection] ?? Buffer.alloc(0);
      let count = 0;
      // TLS records: type (1), version (2), length (2), body.
      for (let at = 8; at + 5 <= bytes.length; at += 5 + bytes.readUInt16BE(at + 3)) if (bytes[at] === 23) count += 1;
      return count;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
