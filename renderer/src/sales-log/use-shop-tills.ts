import { useCallback, useEffect, useRef, useState } from 'react';
import type { ShopTill } from '../../../electron/shared/domain/shop-view';
import { getCounterApi } from '../common/api';

export interface ShopTillsState {
  /** The tills that have sent sales to the shop database, oldest first; null until read (or when the read failed). */
  tills: ShopTill[] | null;
  /** Why they could not be read (the main process's words). */
  error: string | null;
  /** Read them again (a till may have sent its first sales since). */
  reload(): void;
}

/**
 * The shop database's tills, for the log's "Sales of" choice: read when
 * `enabled` (the owner, a shop database set, the screen shown) and again on
 * reload(). The latest read wins, whatever order the answers come in.
 */
export function useShopTills(enabled: boolean): ShopTillsState {
  const [tills, setTills] = useState<ShopTill[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const read = useCallback(() => {
    const gen = ++generation.current;
    void getCounterApi()
      .shopTills(undefined)
      .then((answer) => {
        if (gen !== generation.current) return;
        if (answer.ok) {
          setTills(answer.value);
          setError(null);
        } else {
          setError(answer.error.message);
        }
      });
  }, []);

  useEffect(() => {
    if (enabled) read();
    else {
      // Not the owner any more, or no shop database: nothing of the last one stays, and a late answer is dropped.
      generation.current++;
      setTills(null);
      setError(null);
    }
  }, [enabled, read]);

  const reload = useCallback(() => {
    if (enabled) read();
  }, [enabled, read]);

  return { tills, error, reload };
}
