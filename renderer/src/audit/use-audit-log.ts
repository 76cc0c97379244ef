import { useCallback, useRef, useState } from 'react';
import type { AuditEntry } from '../../../electron/shared/contract';
import type { AuditAction } from '../../../electron/shared/domain/audit';
import { getCounterApi } from '../common/api';

const PAGE = 50;

export interface AuditLogState {
  entries: AuditEntry[];
  cursor: string | null;
  loaded: boolean;
  loadingMore: boolean;
  error: string | null;
}

/** The audit log, newest first, a page at a time, one action or all. */
export function useAuditLog() {
  const [state, setState] = useState<AuditLogState>({ entries: [], cursor: null, loaded: false, loadingMore: false, error: null });
  const [action, setAction] = useState<AuditAction | null>(null);
  // Answers to an older request (another filter) are dropped.
  const request = useRef(0);

  const load = useCallback(async (next: AuditAction | null) => {
    const id = ++request.current;
    setAction(next);
    setState((s) => ({ ...s, loaded: false, error: null }));
    const answer = await getCounterApi().auditLog(next ? { limit: PAGE, action: next } : { limit: PAGE });
    if (id !== request.current) return;
    if (answer.ok) setState({ entries: answer.value.entries, cursor: answer.value.nextCursor, loaded: true, loadingMore: false, error: null });
    else setState((s) => ({ ...s, loaded: true, error: answer.error.message }));
  }, []);

  const latest = useRef({ state, action });
  latest.current = { state, action };
  const loadMore = useCallback(async () => {
    const { state: s, action: a } = latest.current;
    if (!s.cursor || s.loadingMore) return;
    const id = request.current;
    setState((x) => ({ ...x, loadingMore: true }));
    const answer = await getCounterApi().auditLog(a ? { limit: PAGE, action: a, cursor: s.cursor } : { limit: PAGE, cursor: s.cursor });
    if (id !== request.current) return;
    if (answer.ok) {
      setState((x) => ({ ...x, entries: [...x.entries, ...answer.value.entries], cursor: answer.value.nextCursor, loadingMore: false }));
    } else setState((x) => ({ ...x, loadingMore: false, error: answer.error.message }));
  }, []);

  return { ...state, action, load, loadMore };
}
