import { useCallback, useEffect, useState } from 'react';
import type { SessionView } from '../../../electron/shared/contract';
import { getCounterApi } from './api';
import { useCounterEvents } from './use-counter-events';

/**
 * The till's session as the main process keeps it: read at start, then
 * every pushed `session` event (a sign-in, the idle lock, the owner
 * created). Null until the first answer. The screens only show what it
 * allows; the main process refuses the rest whatever they show.
 */
export function useSession(): { session: SessionView | null; reload: () => Promise<void> } {
  const [session, setSession] = useState<SessionView | null>(null);
  const reload = useCallback(async () => {
    const answer = await getCounterApi().sessionState(undefined);
    if (answer.ok) setSession(answer.value);
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  useCounterEvents((event) => {
    if (event.type === 'session') setSession(event.session);
  });
  return { session, reload };
}
