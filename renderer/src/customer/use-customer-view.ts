import { useCallback, useEffect, useRef, useState } from 'react';
import type { CustomerView } from '../../../electron/shared/domain/customer-view';
import { getCustomerApi } from './customer-api';

export interface CustomerViewState {
  view: CustomerView | null;
  /** Why the first view could not be read (lost contact, refused), to show instead of a blank screen. */
  problem: string | null;
  /** How many views were pushed so far: a call's answer is adopted only if none arrived meanwhile. */
  pushedCount(): number;
  /** Shows `view` (a call's answer) unless a pushed view arrived since `pushedCount()` was `since`: pushed views are newer. */
  adopt(view: CustomerView, since: number): void;
}

/**
 * What the display shows: the view read at start, then every pushed view.
 * A pushed view always wins over an answer that was on its way at the same
 * time, so the display never steps back to an older state.
 */
export function useCustomerView(): CustomerViewState {
  const [state, setState] = useState<{ view: CustomerView | null; problem: string | null }>({ view: null, problem: null });
  const pushed = useRef(0);

  useEffect(() => {
    const api = getCustomerApi();
    let live = true;
    const off = api.onView((view) => {
      pushed.current += 1;
      setState({ view, problem: null });
    });
    const since = pushed.current;
    void api.customerView(undefined).then((answer) => {
      if (!live || pushed.current !== since) return;
      if (answer.ok) setState({ view: answer.value, problem: null });
      else setState((s) => ({ ...s, problem: answer.error.message }));
    });
    return () => {
      live = false;
      off();
    };
  }, []);

  const pushedCount = useCallback(() => pushed.current, []);
  const adopt = useCallback((view: CustomerView, since: number) => {
    if (pushed.current === since) setState({ view, problem: null });
  }, []);
  return { ...state, pushedCount, adopt };
}
