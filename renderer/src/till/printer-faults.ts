// The printer's faults on the till, as a pure reducer: every failed print
// job shows at once (pushed 'print-job' events, or the queue read again when
// the status says jobs failed that the till has not seen, after a restart),
// with Retry and Dismiss, until it is printed. A fault never touches the
// sale on screen: it lives beside it.
import type { PrintJob } from '../../../electron/shared/contract';
import { isNewerJob } from '../common/print-jobs';

export interface PrinterFaults {
  /** Failed jobs (and those being retried: queued or printing again), the oldest first. */
  jobs: PrintJob[];
  /** Dismissed faults: the job id and the change dismissed; a later failure of the same job shows again. */
  dismissed: Record<number, number>;
  /** A Retry the main process refused, by job id, shown as is. */
  retryErrors: Record<number, string>;
}

export const noFaults: PrinterFaults = { jobs: [], dismissed: {}, retryErrors: {} };

export type FaultAction =
  /** A job changed (a pushed event, or the answer to Retry). */
  | { type: 'job'; job: PrintJob }
  /** The queue as read with printJobs. */
  | { type: 'loaded'; jobs: PrintJob[] }
  | { type: 'dismiss'; jobId: number }
  | { type: 'retry-refused'; jobId: number; message: string };

function withoutKey<T>(record: Record<number, T>, key: number): Record<number, T> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

function takeJob(state: PrinterFaults, job: PrintJob): PrinterFaults {
  const i = state.jobs.findIndex((j) => j.id === job.id);
  const known = i >= 0 ? state.jobs[i]! : null;
  if (known && !isNewerJob(known, job)) return state;
  if (job.state === 'printed') {
    return known ? { ...state, jobs: state.jobs.filter((j) => j.id !== job.id), retryErrors: withoutKey(state.retryErrors, job.id) } : state;
  }
  if (job.state !== 'failed') {
    // Queued or printing again: a fault on screen shows it is being retried; a new job is no fault.
    return known ? { ...state, jobs: state.jobs.map((j, k) => (k === i ? job : j)), retryErrors: withoutKey(state.retryErrors, job.id) } : state;
  }
  const dismissedAt = state.dismissed[job.id];
  if (dismissedAt !== undefined && job.updatedAt <= dismissedAt) return state;
  const jobs = known ? state.jobs.map((j, k) => (k === i ? job : j)) : [...state.jobs, job];
  return { ...state, jobs, dismissed: withoutKey(state.dismissed, job.id) };
}

export function faultsReducer(state: PrinterFaults, action: FaultAction): PrinterFaults {
  switch (action.type) {
    case 'job':
      return takeJob(state, action.job);
    case 'loaded':
      // The same rules as an event: a snapshot older than what the till knows changes nothing.
      return action.jobs.reduce(takeJob, state);
    case 'dismiss': {
      const job = state.jobs.find((j) => j.id === action.jobId);
      if (!job) return state;
      return {
        jobs: state.jobs.filter((j) => j.id !== action.jobId),
        dismissed: { ...state.dismissed, [action.jobId]: job.updatedAt },
        retryErrors: withoutKey(state.retryErrors, action.jobId),
      };
    }
    case 'retry-refused':
      return state.jobs.some((j) => j.id === action.jobId) ? { ...state, retryErrors: { ...state.retryErrors, [action.jobId]: action.message } } : state;
  }
}

/** How many faults the till shows one by one; more are summed up under them, with Retry all. */
export const FAULTS_SHOWN = 3;
