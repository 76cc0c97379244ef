import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { dialog, shell, type BrowserWindow } from 'electron';
import type { ApiHost } from '../core/api/api-handlers';
import type { CounterCore } from '../core/app/counter-core';
import { localDateOf } from '../shared/domain/local-days';
import { writeSalesCsv } from '../core/export/sales-csv';
import { writeAuditCsv } from '../core/export/audit-csv';

/**
 * Where the app's files go: a sales or audit-log CSV or a receipt PDF, each
 * to a path the owner picks. The CSV is written beside the target and renamed into
 * place when complete, so a failed export never leaves half a file. The log
 * folder opens in the system's file manager.
 */
export function createFileHost(core: CounterCore, window: () => BrowserWindow | null, logDir: string): Omit<ApiHost, 'openCustomerDisplay'> {
  return {
    async exportCsv(filter) {
      const win = window();
      const today = localDateOf(Date.now(), core.ledger.timeZone);
      const choice = await (win ? dialog.showSaveDialog(win, saveOptions(today)) : dialog.showSaveDialog(saveOptions(today)));
      if (choice.canceled || !choice.filePath) return { kind: 'cancelled' };
      const rows = await writeBesideThenRename(choice.filePath, (out) =>
        writeSalesCsv(core.reports, filter, out, (p) => core.publish({ type: 'export', ...p, done: false })),
      );
      core.publish({ type: 'export', written: rows, total: rows, done: true });
      return { kind: 'saved', path: choice.filePath, rows };
    },
    async saveReceiptPdf(saleId) {
      const win = window();
      if (!win) return { saved: false };
      const choice = await dialog.showSaveDialog(win, {
        defaultPath: `receipt-${saleId}.pdf`,
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      });
      if (choice.canceled || !choice.filePath) return { saved: false };
      // The receipt is what the window shows now; the print CSS hides the rest and sets the 80 mm page.
      const pdf = await win.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true });
      await writeFile(choice.filePath, pdf);
      return { saved: true, path: choice.filePath };
    },
    async exportAudit() {
      const win = window();
      const today = localDateOf(Date.now(), core.ledger.timeZone);
      const options = { defaultPath: `counter-audit-${today}.csv`, filters: [{ name: 'CSV', extensions: ['csv'] }] };
      const choice = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
      if (choice.canceled || !choice.filePath) return { kind: 'cancelled' };
      const rows = await writeBesideThenRename(choice.filePath, (out) => writeAuditCsv(core.ledger.audit.iterate(), core.ledger.timeZone, out));
      return { kind: 'saved', path: choice.filePath, rows };
    },
    async openLogFolder() {
      // openPath answers an error message, or "" when the folder opened.
      const failure = await shell.openPath(logDir);
      if (failure) core.logger.child('file-host').warn(`could not open the log folder: ${failure}`);
      return { opened: failure === '', path: logDir };
    },
  };
}

/** Writes `<path>.part` and renames it to `path` once complete, so a failed export never leaves half a file. */
async function writeBesideThenRename(path: string, write: (out: WriteStream) => Promise<number>): Promise<number> {
  const partial = `${path}.part`;
  const out = createWriteStream(partial, { encoding: 'utf8' });
  try {
    const rows = await write(out);
    out.end();
    await finished(out);
    await rename(partial, path);
    return rows;
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

function saveOptions(today: string) {
  return { defaultPath: `counter-sales-${today}.csv`, filters: [{ name: 'CSV', extensions: ['csv'] }] };
}
