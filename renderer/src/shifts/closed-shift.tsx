import { useEffect, useState } from 'react';
import type { ShiftReport } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { PrinterAction } from '../common/printer-action';
import { overShortText } from './shift-text';
import { ZReport } from './z-report';

type ClosedShiftProps = {
  timeZone: string;
  shopName: string;
  printer: boolean;
  onDone(): void;
  /** Opened from the kept shifts: "Back" rather than "Done". */
  back?: boolean;
} & ({ report: ShiftReport; shiftId?: undefined } | { shiftId: number; report?: undefined });

/** A shift's Z-report as kept (just closed, or opened from the list), with Print. */
export function ClosedShift({ report: given, shiftId, timeZone, shopName, printer, onDone, back = false }: ClosedShiftProps) {
  const [report, setReport] = useState<ShiftReport | null>(given ?? null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (given || shiftId === undefined) return;
    let stale = false;
    void getCounterApi()
      .shiftReport({ shiftId })
      .then((answer) => {
        if (stale) return;
        if (answer.ok) setReport(answer.value);
        else setError(answer.error.message);
      });
    return () => {
      stale = true;
    };
  }, [given, shiftId]);

  const id = report?.shift.id ?? shiftId!;
  const open = report !== null && report.shift.closedAt === null;
  return (
    <div className="closed-shift">
      <div className="shift-actions no-print">
        <button type="button" className="button button--small" data-testid="shift-done" onClick={onDone}>
          {back ? '← Back' : 'Done'}
        </button>
        {printer ? (
          <PrinterAction label="Print the Z-report" againLabel="Print again" testId="print-z-report" primary disabled={!report} run={() => getCounterApi().printShiftReport({ shiftId: id })}
            adopt={(job) => job.kind === 'shift-report' && job.shiftId === id}
          />
        ) : (
          <button type="button" className="button button--small button--primary" data-testid="print-z-report-page" disabled={!report} onClick={() => window.print()}>
            Print page
          </button>
        )}
      </div>
      {error && (
        <p className="error-note" role="alert">
          {error}
        </p>
      )}
      {report && !back && report.cash.overShort !== null && (
        <p className="note shift-closed-note" data-testid="shift-closed-note" role="status">
          Shift #{report.shift.id} is closed. {overShortText(report.cash.overShort, report.shift.currency)}.{' '}
        </p>
      )}
      {open && <p className="note">This shift is still open: these are its figures so far.</p>}
      {report ? <ZReport report={report} timeZone={timeZone} shopName={shopName} /> : !error && <p className="hint">Loading the Z-report…</p>}
    </div>
  );
}
