import { useCallback, useEffect, useRef, useState } from 'react';
import type { ShiftReport } from '../../../electron/shared/contract';
import { getCounterApi } from './api';
import { useCounterEvents } from './use-counter-events';

export interface CurrentShift {
  /** The open shift with its live Z-report; null when none is open; undefined until known. */
  report: ShiftReport | null | undefined;
  error: string | null;
  reload(): void;
}

/**
 * The open shift, read when `enabled` (someone who may see it is signed in)
 * and again whenever a sale changes (its figures move) or a shift opens or
 * closes. Events come faster than a person reads: one read at a time, and
 * one more after it when something changed meanwhile.
 */
export function useCurrentShift(enabled: boolean): CurrentShift {
  const [report, setReport] = useState<ShiftReport | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const reading = useRef(false);
  const again = useRef(false);
  const latestEnabled = useRef(enabled);
  latestEnabled.current = enabled;

  const read = useCallback(async () => {
    if (reading.current) {
      again.current = true;
      return;
    }
    reading.current = true;
    do {
      again.current = false;
      const answer = await getCounterApi().currentShift(undefined);
      if (!latestEnabled.current) break;
      if (answer.ok) {
        setReport(answer.value);
        setError(null);
      } else setError(answer.error.message);
    } while (again.current);
    reading.current = false;
  }, []);

  useEffect(() => {
    if (enabled) void read();
    else setReport(undefined);
  }, [enabled, read]);

  useCounterEvents((event) => {
    if (!latestEnabled.current) return;
    if (event.type === 'shift') {
      // The event carries the report; a read after it catches anything newer.
      setReport(event.shift);
      void read();
    } else if (event.type === 'sale') void read();
  });

  return { report, error, reload: () => void read() };
}
