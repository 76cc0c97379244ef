// Print jobs in the cashier's words, and which word about a job is the
// latest. The main process pushes every change of a job ('print-job'
// events); answers to calls (printReceipt, retryPrint) can cross those events
// in flight, so each screen keeps the newest word it has seen.
import type { PrinterStatus, PrintJob } from '../../../electron/shared/contract';

const STATE_RANK: Record<PrintJob['state'], number> = { queued: 0, printing: 1, printed: 2, failed: 2 };

/** Whether `next` is at least as new as `known`: the later change, or at the same millisecond the later step (queued → printing → printed or failed). */
export function isNewerJob(known: PrintJob, next: PrintJob): boolean {
  if (next.updatedAt !== known.updatedAt) return next.updatedAt > known.updatedAt;
  return STATE_RANK[next.state] >= STATE_RANK[known.state];
}

/** The list with `job` in it: replaced when it is newer than the one known, added at the end when new. */
export function mergeJob(list: readonly PrintJob[], job: PrintJob): PrintJob[] {
  const i = list.findIndex((j) => j.id === job.id);
  if (i < 0) return [...list, job];
  if (!isNewerJob(list[i]!, job)) return list as PrintJob[];
  return list.map((j, k) => (k === i ? job : j));
}

/** "Receipt not printed", "Drawer not opened": what failed, before the printer's own reason. */
export function failureHeadline(job: Pick<PrintJob, 'kind'>): string {
  switch (job.kind) {
    case 'receipt':
      return 'Receipt not printed';
    case 'day-summary':
      return 'End-of-day report not printed';
    case 'test':
      return 'Test receipt not printed';
    case 'drawer':
      return 'Drawer not opened';
    case 'refund':
      return 'Refund receipt not printed';
    case 'shift-report':
      return 'Z-report not printed';
  }
}

/** Which job it was: "Sale #12, customer copy", "End of day 2026-11-23", "No sale", "Cash for sale #12", "Test from Settings". */
export function jobSubject(job: Pick<PrintJob, 'kind' | 'saleId' | 'copy' | 'date' | 'reason' | 'shiftId'>): string {
  switch (job.kind) {
    case 'receipt':
      return `Sale #${job.saleId ?? '?'}${job.copy ? `, ${job.copy} copy` : ''}`;
    case 'day-summary':
      return `End of day ${job.date ?? ''}`.trim();
    case 'test':
      return 'Test from Settings';
    case 'drawer':
      return job.reason === 'no-sale' ? 'No sale' : job.saleId !== null ? `Cash for sale #${job.saleId}` : 'Cash';
    case 'refund':
      return `Refund on sale #${job.saleId ?? '?'}`;
    case 'shift-report':
      return `Z-report of shift #${job.shiftId ?? '?'}`;
  }
}

/** The failure as one line: "Receipt not printed: The printer at 192.168.1.50:9100 is out of paper." */
export function failureText(job: PrintJob): string {
  return `${failureHeadline(job)}: ${job.lastError ?? 'the printer did not take it.'}`;
}

function doneText(jobs: readonly PrintJob[]): string {
  const kind = jobs[0]!.kind;
  if (jobs.every((j) => j.kind === 'receipt')) return jobs.length > 1 ? `Receipts printed (${jobs.length} copies).` : 'Receipt printed.';
  if (jobs.length === 1 && kind === 'day-summary') return 'End-of-day report printed.';
  if (jobs.length === 1 && kind === 'test') return 'Test receipt printed.';
  if (jobs.length === 1 && kind === 'drawer') return 'Drawer opened.';
  if (jobs.length === 1 && kind === 'refund') return 'Refund receipt printed.';
  if (jobs.length === 1 && kind === 'shift-report') return 'Z-report printed.';
  return 'Printed.';
}

export interface PrintProgress {
  tone: 'info' | 'ok' | 'error';
  text: string;
  /** The jobs that failed, each with its own Retry. */
  failed: PrintJob[];
}

/** Where one request to the printer stands (its jobs: one, or a receipt's copies): a failure first, then waiting, then done. */
export function printProgress(jobs: readonly PrintJob[]): PrintProgress | null {
  if (jobs.length === 0) return null;
  const failed = jobs.filter((j) => j.state === 'failed');
  if (failed.length > 0) return { tone: 'error', text: failureText(failed[0]!), failed };
  if (jobs.every((j) => j.state === 'printed')) return { tone: 'ok', text: doneText(jobs), failed: [] };
  return { tone: 'info', text: jobs.some((j) => j.state === 'printing') ? 'Printing…' : 'Waiting for the printer…', failed: [] };
}

/** The status bar's printer item: its state in a word or two, a tone, and the whole story on hover. */
export function printerStatusText(p: PrinterStatus): { text: string; tone: 'none' | 'ok' | 'warn' | 'bad'; title: string } {
  switch (p.state) {
    case 'off':
      return { text: 'off', tone: 'none', title: 'No receipt printer is set (Settings, Receipt printer).' };
    case 'ready': {
      const waiting = p.queued > 0 ? ` · ${p.queued} waiting` : '';
      return { text: `ready${waiting}`, tone: 'ok', title: `Receipt printer ready${waiting}` };
    }
    case 'printing': {
      const waiting = p.queued > 0 ? ` · ${p.queued} waiting` : '';
      return { text: `printing${waiting}`, tone: 'ok', title: `Receipt printer printing${waiting}` };
    }
    case 'error': {
      const failed = p.failed > 0 ? ` (${p.failed} not printed)` : '';
      return { text: `error${failed}: ${p.message}`, tone: 'bad', title: `Receipt printer error${failed}: ${p.message}` };
    }
  }
}

/** Plenty for a busy counter between two looks at a job; older ones are read again from printJobs when needed. */
const KEEP = 100;

export interface PrintJobFeed {
  /** Takes one reported job (the newest word per job wins) and tells the listeners. */
  take(job: PrintJob): void;
  /** The jobs seen, the least recently changed first, each at its newest. */
  recent(): PrintJob[];
  subscribe(listener: (job: PrintJob) => void): () => void;
}

/** The print jobs seen lately, each at its newest word (the window keeps one: print-job-feed.ts). */
export function createPrintJobFeed(keep = KEEP): PrintJobFeed {
  const jobs = new Map<number, PrintJob>();
  const listeners = new Set<(job: PrintJob) => void>();
  return {
    take(job) {
      const known = jobs.get(job.id);
      if (known && !isNewerJob(known, job)) return;
      jobs.delete(job.id);
      jobs.set(job.id, job);
      if (jobs.size > keep) jobs.delete(jobs.keys().next().value!);
      for (const listener of listeners) listener(job);
    },
    recent: () => [...jobs.values()],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
