import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { dialog, shell, type BrowserWindow } from 'electron';
import { HostError, type ApiHost } from '../core/api/api-handlers';
import type { CounterCore } from '../core/app/counter-core';
import { localDateOf } from '../shared/domain/local-days';
import { writeSalesCsv } from '../core/export/sales-csv';

/**
 * Where the app's files go: a CSV export or a receipt PDF, each to a path
 * the owner picks. The CSV is written beside the target and renamed into
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
      const partial = `${choice.filePath}.part`;
      const out = createWriteStream(partial, { encoding: 'utf8' });
      try {
        const rows = await writeSalesCsv(core.reports, filter, out, (p) => core.publish({ type: 'export', ...p, done: false }));
        out.end();
        await finished(out);
        await rename(partial, choice.filePath);
        core.publish({ type: 'export', written: rows, total: rows, done: true });
        return { kind: 'saved', path: choice.filePath, rows };
      } catch (error) {
        out.destroy();
        await rm(partial, { force: true });
        throw error;
      }
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
      throw new HostError('not-built', 'The audit export is not built yet.');
    },
    async openLogFolder() {
      // openPath answers an error message, or "" when the folder opened.
      const failure = await shell.openPath(logDir);
      if (failure) core.logger.child('file-host').warn(`could not open the log folder: ${failure}`);
      return { opened: failure === '', path: logDir };
    },
  };
}

function saveOptions(today: string) {
  return { defaultPath: `counter-sales-${today}.csv`, filters: [{ name: 'CSV', extensions: ['csv'] }] };
}
