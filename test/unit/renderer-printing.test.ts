import { describe, expect, it } from 'vitest';
import type { PrintJob } from '../../electron/shared/contract';
import { isCounterEvent } from '../../renderer/src/common/counter-event';
import { createPrintJobFeed, failureText, isNewerJob, jobSubject, mergeJob, printerStatusText, printProgress } from '../../renderer/src/common/print-jobs';
import { faultsReducer, noFaults, type FaultAction, type PrinterFaults } from '../../renderer/src/till/printer-faults';

// The renderer's side of the receipt printer: which word about a print job
// is the latest (answers cross pushed events), what the cashier reads about
// a print, and the till's faults: shown at once, retried, dismissed, never
// lost and never shown twice.

const job = (id: number, state: PrintJob['state'], updatedAt: number, extra: Partial<PrintJob> = {}): PrintJob => ({
  id,
  kind: 'receipt',
  reason: 'auto',
  saleId: 12,
  copy: 'customer',
  date: null,
  refundId: null,
  shiftId: null,
  state,
  attempts: state === 'queued' ? 0 : 1,
  lastError: state === 'failed' ? 'The printer at 192.168.1.50:9100 is not answering.' : null,
  createdAt: 1,
  updatedAt,
  printedAt: state === 'printed' ? updatedAt : null,
  ...extra,
});

describe('print jobs: the latest word', () => {
  it('takes the later change; at the same millisecond, the later step', () => {
    expect(isNewerJob(job(1, 'queued', 10), job(1, 'printing', 11))).toBe(true);
    expect(isNewerJob(job(1, 'printed', 11), job(1, 'printing', 10))).toBe(false);
    expect(isNewerJob(job(1, 'queued', 10), job(1, 'printing', 10))).toBe(true);
    expect(isNewerJob(job(1, 'printing', 10), job(1, 'queued', 10))).toBe(false);
    expect(isNewerJob(job(1, 'printing', 10), job(1, 'failed', 10))).toBe(true);
    // A retry: failed, then queued again later.
    expect(isNewerJob(job(1, 'failed', 10), job(1, 'queued', 12))).toBe(true);
  });

  it('merges a job into a list: replaced when newer, kept when older, added when new', () => {
    const list = [job(1, 'printing', 10), job(2, 'queued', 10)];
    expect(mergeJob(list, job(1, 'printed', 11)).map((j) => j.state)).toEqual(['printed', 'queued']);
    expect(mergeJob(list, job(1, 'queued', 9))).toBe(list);
    expect(mergeJob(list, job(3, 'queued', 12)).map((j) => j.id)).toEqual([1, 2, 3]);
  });
});

describe('print jobs in words', () => {
  it('says what failed, which job it was, and why in the printer’s words', () => {
    expect(failureText(job(1, 'failed', 1))).toBe('Receipt not printed: The printer at 192.168.1.50:9100 is not answering.');
    expect(failureText(job(1, 'failed', 1, { kind: 'drawer', lastError: null }))).toBe('Drawer not opened: the printer did not take it.');
    expect(failureText(job(1, 'failed', 1, { kind: 'day-summary' }))).toMatch(/^End-of-day report not printed: /);
    expect(failureText(job(1, 'failed', 1, { kind: 'test' }))).toMatch(/^Test receipt not printed: /);
    expect(jobSubject(job(1, 'failed', 1))).toBe('Sale #12, customer copy');
    expect(jobSubject(job(1, 'failed', 1, { kind: 'day-summary', saleId: null, copy: null, date: '2026-11-23' }))).toBe('End of day 2026-11-23');
    expect(jobSubject(job(1, 'failed', 1, { kind: 'drawer', reason: 'no-sale', saleId: null, copy: null }))).toBe('No sale');
    expect(jobSubject(job(1, 'failed', 1, { kind: 'drawer', reason: 'cash', copy: null }))).toBe('Cash for sale #12');
    expect(jobSubject(job(1, 'failed', 1, { kind: 'test', saleId: null, copy: null }))).toBe('Test from Settings');
    // Issue 15: a refund's receipt and a shift's Z-report.
    expect(failureText(job(1, 'failed', 1, { kind: 'refund', copy: null, refundId: 3 }))).toMatch(/^Refund receipt not printed: /);
    expect(jobSubject(job(1, 'failed', 1, { kind: 'refund', copy: null, refundId: 3 }))).toBe('Refund on sale #12');
    expect(failureText(job(1, 'failed', 1, { kind: 'shift-report', saleId: null, copy: null, shiftId: 4 }))).toMatch(/^Z-report not printed: /);
    expect(jobSubject(job(1, 'failed', 1, { kind: 'shift-report', saleId: null, copy: null, shiftId: 4 }))).toBe('Z-report of shift #4');
    expect(printProgress([job(1, 'printed', 2, { kind: 'refund', copy: null, refundId: 3 })])?.text).toBe('Refund receipt printed.');
    expect(printProgress([job(1, 'printed', 2, { kind: 'shift-report', saleId: null, copy: null, shiftId: 4 })])?.text).toBe('Z-report printed.');
  });

  it('sums up one request: a failure first, then waiting, then done', () => {
    expect(printProgress([])).toBeNull();
    expect(printProgress([job(1, 'queued', 1)])).toMatchObject({ tone: 'info', text: 'Waiting for the printer…' });
    expect(printProgress([job(1, 'printed', 2), job(2, 'printing', 2)])).toMatchObject({ tone: 'info', text: 'Printing…' });
    expect(printProgress([job(1, 'printed', 2)])).toMatchObject({ tone: 'ok', text: 'Receipt printed.' });
    expect(printProgress([job(1, 'printed', 2), job(2, 'printed', 2, { copy: 'shop' })])).toMatchObject({ tone: 'ok', text: 'Receipts printed (2 copies).' });
    expect(printProgress([job(1, 'printed', 2, { kind: 'test' })])?.text).toBe('Test receipt printed.');
    expect(printProgress([job(1, 'printed', 2, { kind: 'day-summary' })])?.text).toBe('End-of-day report printed.');
    expect(printProgress([job(1, 'printed', 2, { kind: 'drawer' })])?.text).toBe('Drawer opened.');
    const failed = printProgress([job(1, 'printed', 2), job(2, 'failed', 3, { copy: 'shop' })]);
    expect(failed).toMatchObject({ tone: 'error', text: /^Receipt not printed: .*not answering/ });
    expect(failed?.failed.map((j) => j.id)).toEqual([2]);
  });

  it('puts the printer in the status bar: off, ready, printing, the fault in words', () => {
    expect(printerStatusText({ state: 'off' })).toMatchObject({ text: 'off', tone: 'none' });
    expect(printerStatusText({ state: 'ready', queued: 0 })).toMatchObject({ text: 'ready', tone: 'ok' });
    expect(printerStatusText({ state: 'printing', queued: 2 })).toMatchObject({ text: 'printing · 2 waiting', tone: 'ok' });
    expect(printerStatusText({ state: 'error', message: 'The printer at 10.0.0.9:9100 is out of paper.', queued: 1, failed: 2 })).toEqual({
      text: 'error (2 not printed): The printer at 10.0.0.9:9100 is out of paper.',
      tone: 'bad',
      title: 'Receipt printer error (2 not printed): The printer at 10.0.0.9:9100 is out of paper.',
    });
  });

  it('the preview’s event stream lets print-job events through, and nothing shaped otherwise', () => {
    expect(isCounterEvent({ type: 'print-job', job: job(1, 'queued', 1) })).toBe(true);
    expect(isCounterEvent({ type: 'print-job' })).toBe(false);
    expect(isCounterEvent({ type: 'print-job', job: { id: '1' } })).toBe(false);
    expect(isCounterEvent({ type: 'print-job', job: null })).toBe(false);
  });
});

describe('the window’s feed of print jobs', () => {
  it('keeps the newest word per job, tells its listeners only of news, and forgets the oldest past its size', () => {
    const feed = createPrintJobFeed(2);
    const heard: string[] = [];
    const stop = feed.subscribe((j) => heard.push(`${j.id}:${j.state}`));
    feed.take(job(1, 'queued', 1));
    feed.take(job(1, 'printing', 2));
    feed.take(job(1, 'queued', 1)); // an older word, arriving late
    feed.take(job(2, 'queued', 3));
    feed.take(job(3, 'queued', 4));
    expect(heard).toEqual(['1:queued', '1:printing', '2:queued', '3:queued']);
    expect(feed.recent().map((j) => j.id)).toEqual([2, 3]);
    stop();
    feed.take(job(3, 'printed', 5));
    expect(heard).toHaveLength(4);
    expect(feed.recent().find((j) => j.id === 3)?.state).toBe('printed');
  });
});

describe('the till’s printer faults', () => {
  const run = (actions: FaultAction[], state: PrinterFaults = noFaults) => actions.reduce(faultsReducer, state);
  const ids = (s: PrinterFaults) => s.jobs.map((j) => `${j.id}:${j.state}`);

  it('shows a failed job at once, and only failures: a job printing or printed is no fault', () => {
    expect(ids(run([{ type: 'job', job: job(1, 'queued', 1) }, { type: 'job', job: job(2, 'printed', 2) }]))).toEqual([]);
    expect(ids(run([{ type: 'job', job: job(1, 'queued', 1) }, { type: 'job', job: job(1, 'failed', 2) }]))).toEqual(['1:failed']);
  });

  it('Retry: the fault says it is trying again, and goes once the job is printed', () => {
    const failed = run([{ type: 'job', job: job(1, 'failed', 2) }]);
    const retrying = run([{ type: 'job', job: job(1, 'queued', 3) }], failed);
    expect(ids(retrying)).toEqual(['1:queued']);
    expect(ids(run([{ type: 'job', job: job(1, 'printing', 4) }], retrying))).toEqual(['1:printing']);
    expect(ids(run([{ type: 'job', job: job(1, 'printed', 5) }], retrying))).toEqual([]);
    // Failed again: shown again, with the new reason.
    const again = run([{ type: 'job', job: job(1, 'failed', 5, { lastError: 'The printer at 192.168.1.50:9100 is out of paper.' }) }], retrying);
    expect(again.jobs[0]?.lastError).toMatch(/out of paper/);
  });

  it('a Retry the main process refuses is shown on its fault, and cleared when the job moves on', () => {
    const refused = run([{ type: 'job', job: job(1, 'failed', 2) }, { type: 'retry-refused', jobId: 1, message: 'No receipt printer is set up.' }]);
    expect(refused.retryErrors).toEqual({ 1: 'No receipt printer is set up.' });
    expect(run([{ type: 'job', job: job(1, 'queued', 3) }], refused).retryErrors).toEqual({});
    // A refusal about a fault no longer shown changes nothing.
    expect(run([{ type: 'retry-refused', jobId: 9, message: 'x' }], refused)).toBe(refused);
  });

  it('Dismiss hides the fault, also when the queue is read again; a new failure of the same job shows again', () => {
    const dismissed = run([{ type: 'job', job: job(1, 'failed', 2) }, { type: 'dismiss', jobId: 1 }]);
    expect(ids(dismissed)).toEqual([]);
    expect(ids(run([{ type: 'loaded', jobs: [job(1, 'failed', 2)] }], dismissed))).toEqual([]);
    expect(ids(run([{ type: 'job', job: job(1, 'failed', 7) }], dismissed))).toEqual(['1:failed']);
  });

  it('after a restart the queue read again brings the failures the till never heard of, without doubling those it knows', () => {
    const known = run([{ type: 'job', job: job(1, 'failed', 2) }]);
    const loaded = run([{ type: 'loaded', jobs: [job(1, 'failed', 2), job(2, 'failed', 3, { kind: 'drawer' }), job(3, 'queued', 4), job(4, 'printed', 4)] }], known);
    expect(ids(loaded)).toEqual(['1:failed', '2:failed']);
    // A snapshot older than an event already heard changes nothing; a newer one saying printed clears the fault.
    expect(ids(run([{ type: 'loaded', jobs: [job(2, 'printed', 2)] }], loaded))).toEqual(['1:failed', '2:failed']);
    expect(ids(run([{ type: 'loaded', jobs: [job(2, 'printed', 9)] }], loaded))).toEqual(['1:failed']);
  });
});
