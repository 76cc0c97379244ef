/**
 * The sandbox sequencer alone in a process of its own, on a data directory,
 * so a test can SIGKILL it and start it again on the same file:
 *
 *   node --import tsx sandbox-child.ts '<json options>'
 *
 * Options: { dataDir, timeScale?, webhookTimeoutMs?, capacity? }. It uses the
 * install's real sandbox key file in dataDir. Prints `READY {"endpoint":…}`
 * once listening, or `FATAL {"code":…,"message":…}` and exits 1 when it
 * cannot start. Then it takes one JSON command a line on stdin,
 * { n, op, intentId? }, and answers `REPLY {"n":…,"ok":…,…}` on stdout:
 *
 *   simulatePayment, simulateCancel, getIntent, deliveries: the sequencer's methods;
 *   payThenDie: simulatePayment, the reply, then SIGKILL to itself at once,
 *     before the event loop turns again (no webhook attempt can have run):
 *     "acknowledged, then the process died".
 *
 * Exits when its stdin closes, so a test that dies never leaves it running.
 */
import { createInterface } from 'node:readline';
import { loadOrCreateSandboxKey } from '../../electron/core/sandbox/sandbox-key';
import { sandboxDbPath } from '../../electron/core/sandbox/sandbox-db';
import { createSandboxSequencer, type SandboxSequencer } from '../../electron/core/sandbox/sandbox-sequencer';

interface ChildOptions {
  dataDir: string;
  timeScale?: number;
  webhookTimeoutMs?: number;
  capacity?: number;
}

interface Command {
  n: number;
  op: 'simulatePayment' | 'simulateCancel' | 'getIntent' | 'deliveries' | 'payThenDie';
  intentId?: string;
}

// Pipes are synchronous on POSIX, so a line written here has left the process before a SIGKILL that follows it.
const say = (tag: string, value: unknown): void => void process.stdout.write(`${tag} ${JSON.stringify(value)}\n`);

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as ChildOptions;
  let sandbox: SandboxSequencer;
  try {
    sandbox = await createSandboxSequencer({
      signingKey: loadOrCreateSandboxKey(options.dataDir).privateKey,
      file: sandboxDbPath(options.dataDir),
      ...(options.timeScale ? { timeScale: options.timeScale } : {}),
      ...(options.webhookTimeoutMs ? { webhookTimeoutMs: options.webhookTimeoutMs } : {}),
      ...(options.capacity ? { capacity: options.capacity } : {}),
    });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    say('FATAL', { code: e.code ?? null, message: e.message ?? String(error) });
    process.exit(1);
  }
  say('READY', { endpoint: sandbox.endpoint });

  const run = async (command: Command): Promise<unknown> => {
    const id = command.intentId ?? '';
    switch (command.op) {
      case 'simulatePayment':
      case 'payThenDie':
        return sandbox.simulatePayment(id);
      case 'simulateCancel':
        return sandbox.simulateCancel(id);
      case 'getIntent':
        return sandbox.getIntent(id) ?? null;
      case 'deliveries':
        return sandbox.deliveries();
    }
  };

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = JSON.parse(line) as Command;
    run(command).then(
      (value) => {
        say('REPLY', { n: command.n, ok: true, value });
        if (command.op === 'payThenDie') process.kill(process.pid, 'SIGKILL');
      },
      (error: unknown) => {
        const e = error as { code?: string; message?: string };
        say('REPLY', { n: command.n, ok: false, error: { code: e.code ?? null, message: e.message ?? String(error) } });
      },
    );
  });
  lines.on('close', () => {
    void sandbox.close().then(() => process.exit(0));
  });
}

void main();
