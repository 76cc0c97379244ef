import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createApiHandlers, HostError, type ApiHost } from '../core/api/api-handlers';
import { bootCounter, failAfterBoot, type Booted, type BootOptions } from '../core/app/boot';
import { localDateOf } from '../shared/domain/local-days';
import { writeSalesCsv } from '../core/export/sales-csv';
import { writeAuditCsv } from '../core/export/audit-csv';
import type { CounterCore } from '../core/app/counter-core';
import { createCustomerHandlers } from '../core/customer/customer-handlers';
import { startPreviewServer, type PreviewDownloads } from './preview-server';

export interface Preview {
  url: string;
  token: string;
  port: number;
  /** The customer display's page, with its own token (which opens nothing of the till's). */
  customerUrl: string;
  core: CounterCore;
  /** The folder holding the log file. */
  logDir: string;
  close(): Promise<void>;
}

/** The core plus the bridge: what `npm run preview` runs, and what the end-to-end tests drive. */
export async function startPreview(options: BootOptions & { rendererDir: string; port?: number }): Promise<Preview> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${options.rendererDir}; run "npm run build" first`);
  }
  const booted: Booted = await bootCounter(options);
  const { core } = booted;
  const token = randomBytes(24).toString('base64url');
  core.redactor.add(token);
  // Not added to the redactor: the till is given it (openCustomerDisplay) to open the customer's page, and it opens nothing of the till's.
  const customerToken = randomBytes(24).toString('base64url');
  type Download = NonNullable<ReturnType<PreviewDownloads['take']>>;
  const pending = new Map<string, Download>();
  // In the browser a CSV export is a download: the call registers it, the
  // browser fetches the one-time link, and the server streams the rows.
  // The page adds its own token to the link: no answer carries the token (the redactor would hide it).
  const offer = (download: Download) => {
    const id = randomBytes(18).toString('base64url');
    pending.set(id, download);
    return `/export/${id}.csv`;
  };
  const today = () => localDateOf(Date.now(), core.ledger.timeZone);
  const host: ApiHost = {
    async exportCsv(filter) {
      const rows = core.reports.countSales(filter);
      const url = offer({
        filename: `counter-sales-${today()}.csv`,
        write: async (sink) => {
          const written = await writeSalesCsv(core.reports, filter, sink, (p) => core.publish({ type: 'export', ...p, done: false }));
          core.publish({ type: 'export', written, total: written, done: true });
        },
      });
      return { kind: 'download', url, rows };
    },
    async saveReceiptPdf() {
      throw new HostError('unsupported', "In the browser preview, use Print and choose \"Save as PDF\".");
    },
    async exportAudit() {
      // The log as it is when the link is offered: entries written after it (this export's own among them) are in the next one.
      const newest = core.ledger.audit.page({ limit: 1 }).entries[0]?.id ?? 0;
      let rows = 0;
      for (const entry of core.ledger.audit.iterate()) if (entry.id <= newest) rows++;
      const upToNewest = function* () {
        for (const entry of core.ledger.audit.iterate()) if (entry.id <= newest) yield entry;
      };
      const url = offer({ filename: `counter-audit-${today()}.csv`, write: (sink) => writeAuditCsv(upToNewest(), core.ledger.timeZone, sink) });
      return { kind: 'download', url, rows };
    },
    async openLogFolder() {
      // A browser cannot open a folder on the computer: it shows where the log is instead.
      return { opened: false, path: booted.log.dir };
    },
    async openCustomerDisplay() {
      if (!core.settings.get().customerDisplay) return { kind: 'off' };
      // Relative: the till opens it on its own origin (window.open), whatever address the browser used.
      return { kind: 'url', url: `/customer?token=${customerToken}` };
    },
  };
  const downloads: PreviewDownloads = {
    take(id) {
      const download = pending.get(id);
      pending.delete(id);
      return download;
    },
  };
  try {
    const server = await startPreviewServer({
      handlers: createApiHandlers(core, host),
      downloads,
      token,
      onEvent: core.onEvent,
      customer: {
        token: customerToken,
        handlers: createCustomerHandlers(core),
        view: () => core.redactor.value(core.customerDisplay.view()),
        onView: core.customerDisplay.onView,
      },
      rendererDir: options.rendererDir,
      ...(options.port ? { port: options.port } : {}),
      logger: core.logger,
    });
    return {
      url: server.url,
      token: server.token,
      port: server.port,
      customerUrl: server.customerUrl!,
      core,
      logDir: booted.log.dir,
      async close() {
        await server.close();
        await booted.close();
      },
    };
  } catch (error) {
    throw await failAfterBoot(booted, error, options.dataDir);
  }
}
