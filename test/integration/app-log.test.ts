import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openAppLog } from '../../electron/core/app/logger';
import { createRedactor } from '../../electron/core/app/redactor';
import { tempDir } from '../support/temp-dir';

// The log file a support call reads: JSON lines in <data>/logs, a level and
// the module on every line, secrets never written, old files rolled away.

const readLines = (dir: string) =>
  readFileSync(join(dir, 'logs', 'current.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the log file', () => {
  it('writes levelled JSON lines with the module as a field', async () => {
    const dataDir = tempDir();
    const log = await openAppLog({ dataDir, redactor: createRedactor() });
    const payments = log.logger.child('payments');
    payments.info('charge for sale 3 created', { saleId: 3 });
    payments.warn('webhook for sale 3 not registered');
    payments.debug('not written at the default level');
    await log.close();
    const lines = readLines(dataDir);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, module: 'payments', msg: 'charge for sale 3 created', saleId: 3, pid: process.pid });
    expect(lines[1]).toMatchObject({ level: 40, module: 'payments' });
    expect(typeof lines[0]!.time).toBe('string');
  });

  it('never writes a secret, in the message or in a field, even one learnt after opening', async () => {
    const dataDir = tempDir();
    const redactor = createRedactor(['webhook-secret-0123456789']);
    const log = await openAppLog({ dataDir, redactor });
    const token = 'tunnel-token-abcdefghijklmnopqrstuvwxyz';
    redactor.add(token);
    log.logger.child('tunnel-supervisor').warn('health check of https://x.example/health/webhook-secret-0123456789 failed', { env: `TUNNEL_TOKEN=${token}` });
    await log.close();
    const text = readFileSync(join(dataDir, 'logs', 'current.log'), 'utf8');
    expect(text).not.toContain('webhook-secret-0123456789');
    expect(text).not.toContain(token);
    expect(text).toContain('/health/[redacted] failed');
    expect(text).toContain('TUNNEL_TOKEN=[redacted]');
  });

  it('rolls over to a new file at the size limit and keeps only the newest files', async () => {
    const dataDir = tempDir();
    const log = await openAppLog({ dataDir, redactor: createRedactor(), maxFileSize: '1k' });
    const logger = log.logger.child('bench');
    for (let i = 0; i < 400; i++) {
      logger.info(`line ${i} ${'x'.repeat(60)}`);
      // pino-roll checks the size as it writes; give its rename a turn now and then.
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await log.close();
    const files = readdirSync(join(dataDir, 'logs')).filter((f) => /^counter\.\d+\.log$/.test(f));
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(6);
    expect(readLines(dataDir).at(-1)).toMatchObject({ msg: expect.stringMatching(/^line 399 /) });
  });

  it('also writes to stderr when asked (the preview)', async () => {
    const dataDir = tempDir();
    const seen: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      seen.push(String(chunk));
      return true;
    });
    try {
      const log = await openAppLog({ dataDir, redactor: createRedactor(['preview-token-0123456789']), stderr: true });
      log.logger.child('preview').info('serving http://127.0.0.1:1/?token=preview-token-0123456789');
      await log.close();
    } finally {
      spy.mockRestore();
    }
    expect(seen.join('')).toContain('"module":"preview"');
    expect(seen.join('')).toContain('token=[redacted]');
    expect(seen.join('')).not.toContain('preview-token-0123456789');
  });
});
