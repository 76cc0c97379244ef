import { useEffect, useLayoutEffect, useRef } from 'react';
import type { CounterEvent } from '../../../electron/shared/contract';
import { getCounterApi } from './api';

/** Calls `listener` for every event the main process pushes, always with the latest closure. */
export function useCounterEvents(listener: (event: CounterEvent) => void): void {
  const latest = useRef(listener);
  useLayoutEffect(() => {
    latest.current = listener;
  });
  useEffect(() => getCounterApi().onEvent((event) => latest.current(event)), []);
}
