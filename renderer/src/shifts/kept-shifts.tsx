import './kept-shifts.css';
import { useCallback, useEffect, useState } from 'react';
import type { Shift } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { getCounterApi } from '../common/api';
import { useCounterEvents } from '../common/use-counter-events';
import { rowTime } from '../common/shop-time';
import { overShortText } from './shift-text';

const PAGE = 20;

/** The managers' list of kept shifts, newest first; each opens its Z-report. */
export function KeptShifts({ timeZone, onOpen }: { timeZone: string; onOpen(shiftId: number): void }) {
  const [shifts, setShifts] = useState<Shift[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (beforeId?: number) => {
    const answer = await getCounterApi().listShifts(beforeId === undefined ? { limit: PAGE } : { limit: PAGE, beforeId });
    if (!answer.ok) return setError(answer.error.message);
    setError(null);
    setMore(answer.value.length === PAGE);
    setShifts((list) => (beforeId === undefined ? answer.value : [...(list ?? []), ...answer.value]));
  }, []);

  useEffect(() => void load(), [load]);
  useCounterEvents((event) => {
    if (event.type === 'shift') void load();
  });

  return (
    <section className="shift-panel kept-shifts" data-testid="kept-shifts" aria-labelledby="kept-shifts-title">
      <h2 id="kept-shifts-title" className="shift-panel-title">
        Kept shifts
      </h2>
      {error && (
        <p className="error-note" role="alert">
          {error}
        </p>
      )}
      {shifts?.length === 0 && <p className="hint">No shifts yet.</p>}
      {shifts && shifts.length > 0 && (
        <table className="kept-table">
          <thead>
            <tr>
              <th scope="col">Shift</th>
              <th scope="col">Opened</th>
              <th scope="col">Closed</th>
              <th scope="col" className="num">
                Counted
              </th>
              <th scope="col">Over / short</th>
              <th scope="col">
                <span className="visually-hidden">Z-report</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shifts.map((s) => (
              <tr key={s.id} data-testid="kept-shift" data-shift-id={s.id}>
                <td>#{s.id}</td>
                <td>
                  {rowTime(s.openedAt, timeZone)} · {s.openedBy.name}
                </td>
                <td>{s.closedAt === null ? <strong>open now</strong> : `${rowTime(s.closedAt, timeZone)}${s.closedBy ? ` · ${s.closedBy.name}` : ''}`}</td>
                <td className="num">{s.countedCash === null ? '—' : formatMoney(s.countedCash, s.currency)}</td>
                <td>{s.countedCash === null || s.expectedCash === null ? '—' : overShortText(s.countedCash - s.expectedCash, s.currency)}</td>
                <td>
                  <button type="button" className="button--tiny" data-testid="open-kept-shift" onClick={() => onOpen(s.id)}>
                    Z-report
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && (
        <button type="button" className="button button--small" onClick={() => void load(shifts?.[shifts.length - 1]?.id)}>
          Show older shifts
        </button>
      )}
    </section>
  );
}
