import { useCallback, useEffect, useState } from 'react';
import type { AppStatus } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { useCounterEvents } from '../common/use-counter-events';

const RETRY_MS = 3_000;

export interface AppStatusState {
  status: AppStatus | null;
  /** The last getStatus failure, shown as is; null once an answer arrives. */
  error: string | null;
}

/** The app's status: `getStatus` at start (retried until it answers), then every pushed `status` event. */
export function useAppStatus(): AppStatusState {
  const [state, setState] = useState<AppStatusState>({ status: null, error: null });

  const load = useCallback(async () => {
    const answer = await getCounterApi().getStatus(undefined);
    if (answer.ok) setState({ status: answer.value, error: null });
    else setState((s) => ({ ...s, error: answer.error.message }));
    return answer.ok;
  }, []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = async () => {
      const ok = await load();
      if (!ok && !stopped) timer = setTimeout(attempt, RETRY_MS);
    };
    void attempt();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [load]);

  useCounterEvents((event) => {
    if (event.type === 'status') setState({ status: event.status, error: null });
  });

  return state;
}
