import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createApiHandlers, HostError, type ApiHost } from '../core/api/api-handlers';
import { localDateOf } from '../core/ledger/local-days';
import { writeSalesCsv } from '../core/sales-log/sales-csv';
import { createCounterCore, type CounterCore, type CounterCoreOptions } from '../core/counter-core';
import { startPreviewServer, type PreviewDownloads } from './preview-server';

export interface Preview {
  url: string;
  token: string;
  port: number;
  core: CounterCore;
  close(): Promise<void>;
}

/** The core plus the bridge: what `npm run preview` runs, and what the end-to-end tests drive. */
export async function startPreview(options: CounterCoreOptions & { rendererDir: string; port?: number }): Promise<Preview> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${options.rendererDir}; run "npm run build" first`);
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const core = await createCounterCore({ ...options, log });
  const token = randomBytes(24).toString('base64url');
  const pending = new Map<string, unknown>();
  // In the browser a CSV export is a download: the call registers it, the
  // browser fetches the one-time link, and the server streams the rows.
  const host: ApiHost = {
    async exportCsv(filter) {
      const rows = core.reports.countSales(filter);
      const id = randomBytes(18).toString('base64url');
      pending.set(id, filter);
      return { kind: 'download', url: `/export/${id}.csv?token=${token}`, rows };
    },
    async saveReceiptPdf() {
      throw new HostError('unsupported', "In the browser preview, use Print and choose \"Save as PDF\".");
    },
  };
  const downloads: PreviewDownloads = {
    take(id) {
      if (!pending.has(id)) return undefined;
      const filter = pending.get(id);
      pending.delete(id);
      return {
        filename: `counter-sales-${localDateOf(Date.now(), core.ledger.timeZone)}.csv`,
        write: async (sink) => {
          const rows = await writeSalesCsv(core.reports, filter, sink, (p) => core.publish({ type: 'export', ...p, done: false }));
          core.publish({ type: 'export', written: rows, total: rows, done: true });
        },
      };
    },
  };
  try {
    const server = await startPreviewServer({
      handlers: createApiHandlers(core, host, log),
      downloads,
      token,
      onEvent: core.onEvent,
      rendererDir: options.rendererDir,
      ...(options.port ? { port: options.port } : {}),
      log,
    });
    return {
      url: server.url,
      token: server.token,
      port: server.port,
      core,
      async close() {
        await server.close();
        await core.close();
      },
    };
  } catch (error) {
    await core.close();
    throw error;
  }
}
