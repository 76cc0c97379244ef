import { useCallback, useEffect, useRef, useState } from 'react';
import type { Envelope, PrintJob } from '../../../electron/shared/contract';
import { getCounterApi } from './api';
import { printJobFeed } from './print-job-feed';
import { isNewerJob, mergeJob } from './print-jobs';

export interface PrintRequest {
  /** The jobs this request made (or adopted), each at its newest word. */
  jobs: PrintJob[];
  /** The call was refused (no printer set, a sale that cannot print): the main process's message. */
  error: string | null;
  busy: boolean;
  run(call: () => Promise<Envelope<PrintJob | PrintJob[]>>): Promise<void>;
  /** Sends a failed job again (the same job: it prints once). */
  retry(jobId: number): Promise<void>;
}

/**
 * One print asked for on a screen, followed until it is printed or fails.
 * `adopt` also follows jobs this screen did not ask for (the PAID banner:
 * the sale's automatic receipt), from those already seen and those to come.
 */
export function usePrintRequest(adopt?: (job: PrintJob) => boolean): PrintRequest {
  const feed = printJobFeed();
  const [jobs, setJobs] = useState<PrintJob[]>(() => (adopt ? feed.recent().filter(adopt) : []));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const latestAdopt = useRef(adopt);
  latestAdopt.current = adopt;
  // Ids asked for here: their events count even when they arrived before the call's answer.
  const mine = useRef(new Set<number>());

  useEffect(
    () =>
      feed.subscribe((job) => {
        if (mine.current.has(job.id) || latestAdopt.current?.(job)) {
          mine.current.add(job.id);
          setJobs((list) => mergeJob(list, job));
        }
      }),
    [feed],
  );

  const take = useCallback(
    (answered: PrintJob[]) => {
      // The answer may be older than an event already in the feed: the newest word wins.
      const seen = new Map(feed.recent().map((j) => [j.id, j]));
      for (const job of answered) mine.current.add(job.id);
      return answered.map((job) => {
        const known = seen.get(job.id);
        return known && isNewerJob(job, known) ? known : job;
      });
    },
    [feed],
  );

  const run = useCallback(
    async (call: () => Promise<Envelope<PrintJob | PrintJob[]>>) => {
      setBusy(true);
      setError(null);
      const answer = await call();
      setBusy(false);
      if (!answer.ok) {
        setError(answer.error.message);
        return;
      }
      const answered = take(Array.isArray(answer.value) ? answer.value : [answer.value]);
      // A new request replaces what the last one said; adopted jobs that still wait stay.
      setJobs((list) => answered.reduce(mergeJob, list.filter((j) => j.state === 'queued' || j.state === 'printing')));
    },
    [take],
  );

  const retry = useCallback(
    async (jobId: number) => {
      setBusy(true);
      setError(null);
      const answer = await getCounterApi().retryPrint({ jobId });
      setBusy(false);
      if (!answer.ok) {
        setError(answer.error.message);
        return;
      }
      const [job] = take([answer.value]);
      setJobs((list) => mergeJob(list, job!));
    },
    [take],
  );

  return { jobs, error, busy, run, retry };
}
