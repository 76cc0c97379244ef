import { useState } from 'react';
import type { Envelope } from '../../../electron/shared/contract';

/**
 * A form's (or a confirmation's) one call to the main process: its error
 * line, its busy flag, and `send`, which is busy while the call is on its
 * way, then hands the answer's value to `done`, or puts the refusal's words
 * on the error line (after `refused`, which resets what must be typed
 * again). The form keeps its own checks, and its own "not while busy".
 */
export function useApiCall() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async <T,>(call: () => Promise<Envelope<T>>, done: (value: T) => void, refused?: () => void): Promise<void> => {
    setBusy(true);
    const answer = await call();
    setBusy(false);
    if (answer.ok) done(answer.value);
    else {
      refused?.();
      setError(answer.error.message);
    }
  };
  return { error, setError, busy, send };
}
