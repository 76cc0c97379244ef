import { useCallback, useEffect, useReducer } from 'react';
import type { PrinterStatus } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { printJobFeed } from '../common/print-job-feed';
import { faultsReducer, noFaults } from './printer-faults';

/** Enough to find every failed job after a restart; printJobs answers the waiting and failed first. */
const JOBS_READ = 100;

/**
 * The printer's faults for the till: every failed job as it is reported,
 * and the queue read at start and again whenever the status counts failed
 * jobs (after a restart, after an event stream outage).
 */
export function usePrinterFaults(printer: PrinterStatus | null) {
  const [state, dispatch] = useReducer(faultsReducer, noFaults);
  const api = getCounterApi();

  useEffect(() => {
    const feed = printJobFeed();
    for (const job of feed.recent()) dispatch({ type: 'job', job });
    return feed.subscribe((job) => dispatch({ type: 'job', job }));
  }, []);

  // Read at start (failures from before a restart wait in the queue), and again whenever the status counts other failures.
  const printerOn = printer !== null && printer.state !== 'off';
  const failedCount = printer?.state === 'error' ? printer.failed : 0;
  useEffect(() => {
    if (!printerOn) return;
    let live = true;
    void api.printJobs({ limit: JOBS_READ }).then((answer) => {
      if (live && answer.ok) dispatch({ type: 'loaded', jobs: answer.value });
    });
    return () => {
      live = false;
    };
  }, [api, printerOn, failedCount]);

  const retry = useCallback(
    async (jobId: number) => {
      const answer = await api.retryPrint({ jobId });
      if (answer.ok) dispatch({ type: 'job', job: answer.value });
      else dispatch({ type: 'retry-refused', jobId, message: answer.error.message });
    },
    [api],
  );
  const dismiss = useCallback((jobId: number) => dispatch({ type: 'dismiss', jobId }), []);

  return { faults: state.jobs, retryErrors: state.retryErrors, retry, dismiss };
}
