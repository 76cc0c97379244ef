// The print jobs the main process reported lately, for the whole window. A
// screen that asks for a print (or the PAID banner that shows an automatic
// receipt) may mount after a job's first events, or get the call's answer
// after them: it reads what was already seen here, then follows the feed.
import { getCounterApi } from './api';
import { createPrintJobFeed, type PrintJobFeed } from './print-jobs';

let shared: PrintJobFeed | null = null;

/** The window's feed, listening to the main process from its first use on (the till uses it at start). */
export function printJobFeed(): PrintJobFeed {
  if (!shared) {
    const feed = createPrintJobFeed();
    getCounterApi().onEvent((event) => {
      if (event.type === 'print-job') feed.take(event.job);
    });
    shared = feed;
  }
  return shared;
}
