/**
 * The webhook listener's thread (a node:worker_threads Worker, in Electron's
 * main process and in the preview alike): the HTTP server, its limits and
 * the signature checks run here, so a flood of slow or forged requests never
 * shares the till's event loop. Only verified webhooks cross to the main
 * thread, which answers each one (credited, duplicate, 422, 503…); log lines
 * cross too, already thinned by the flood gate.
 *
 * Messages (see webhook-listener.ts for the main thread's side):
 *   to main:   listening {port} | failed {code, message} | log {level, message, fields} | webhook {id, webhook} | pong {id} | closed
 *   from main: answer {id, answer} | ping {id} | close
 */
import { createPublicKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { LogFields, Logger } from '../app/logger';
import { startListenerServer, type ListenerServer } from './listener-server';
import type { ListenerWorkerData, ToListener, FromListener, WebhookAnswer } from './webhook-listener';
import type { WebhookKeys } from './webhook-verifier';

const data = workerData as ListenerWorkerData;
const port = parentPort!;
const post = (message: FromListener) => port.postMessage(message);

const logger: Logger = {
  debug: (message: string, fields?: LogFields) => post({ type: 'log', level: 'debug', message, ...(fields ? { fields } : {}) }),
  info: (message: string, fields?: LogFields) => post({ type: 'log', level: 'info', message, ...(fields ? { fields } : {}) }),
  warn: (message: string, fields?: LogFields) => post({ type: 'log', level: 'warn', message, ...(fields ? { fields } : {}) }),
  error: (message: string, fields?: LogFields) => post({ type: 'log', level: 'error', message, ...(fields ? { fields } : {}) }),
  child: () => logger,
};

const keys: WebhookKeys = {};
for (const [mode, jwk] of Object.entries(data.keys)) {
  if (jwk) keys[mode as keyof WebhookKeys] = createPublicKey({ key: jwk, format: 'jwk' });
}

const waiting = new Map<number, (answer: WebhookAnswer) => void>();
let nextId = 1;
let server: ListenerServer | null = null;

port.on('message', (message: ToListener) => {
  if (message.type === 'answer') {
    waiting.get(message.id)?.(message.answer);
    waiting.delete(message.id);
  } else if (message.type === 'ping') {
    // Every message posted before this one has reached the main thread when it sees the pong.
    post({ type: 'pong', id: message.id });
  } else if (message.type === 'close') {
    void (server ? server.close() : Promise.resolve()).then(() => {
      post({ type: 'closed' });
      port.close();
    });
  }
});

startListenerServer(data.config, {
  keys,
  logger,
  deliver: (webhook) =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      post({ type: 'webhook', id, webhook });
    }),
}).then(
  (started) => {
    server = started;
    post({ type: 'listening', port: started.port });
  },
  (error: NodeJS.ErrnoException) => {
    post({ type: 'failed', message: error.message, ...(error.code ? { code: error.code } : {}) });
    port.close();
  },
);
