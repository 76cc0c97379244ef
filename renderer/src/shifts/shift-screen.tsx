import './shift-screen.css';
import { useState } from 'react';
import type { AppStatus, SessionView, ShiftReport } from '../../../electron/shared/contract';
import { canUse } from '../common/access';
import type { CurrentShift } from '../common/use-current-shift';
import { ClosedShift } from './closed-shift';
import { KeptShifts } from './kept-shifts';
import { OpenShiftForm } from './open-shift-form';
import { OpenShiftView } from './open-shift-view';

interface ShiftScreenProps {
  active: boolean;
  status: AppStatus | null;
  session: SessionView | null;
  current: CurrentShift;
}

type View = { kind: 'current' } | { kind: 'closed'; report: ShiftReport } | { kind: 'kept'; shiftId: number };

/**
 * The till's shift: with none open, open one with the counted float; while
 * one is open, its live Z-report and Close with the counted cash; once
 * closed, its Z-report with over or short, to print. Managers also see the
 * kept shifts and open any one's Z-report.
 */
export function ShiftScreen({ active, status, session, current }: ShiftScreenProps) {
  const [view, setView] = useState<View>({ kind: 'current' });
  const timeZone = status?.timeZone ?? 'UTC';
  const shopName = status?.shopName ?? '';
  const printer = status !== null && status.printer.state !== 'off';
  const manager = canUse(session, 'listShifts');

  let body;
  if (view.kind === 'closed') {
    body = <ClosedShift report={view.report} timeZone={timeZone} shopName={shopName} printer={printer} onDone={() => setView({ kind: 'current' })} />;
  } else if (view.kind === 'kept') {
    body = <ClosedShift shiftId={view.shiftId} timeZone={timeZone} shopName={shopName} printer={printer} onDone={() => setView({ kind: 'current' })} back />;
  } else if (current.report === undefined) {
    body = current.error ? (
      <p className="error-note" role="alert">
        {current.error}{' '}
        <button type="button" className="button button--small" onClick={current.reload}>
          Try again
        </button>
      </p>
    ) : (
      <p className="hint">Loading the shift…</p>
    );
  } else if (current.report === null) {
    body = <OpenShiftForm status={status} onOpened={current.reload} />;
  } else {
    body = (
      <OpenShiftView
        report={current.report}
        timeZone={timeZone}
        shopName={shopName}
        printer={printer}
        onClosed={(report) => {
          setView({ kind: 'closed', report });
          current.reload();
        }}
      />
    );
  }

  return (
    <section className="shift-screen" data-testid="shift-screen" aria-labelledby="shift-title" data-view={view.kind}>
      <h1 id="shift-title" tabIndex={-1}>
        {view.kind === 'closed' ? 'Shift closed' : view.kind === 'kept' ? `Shift #${view.shiftId}` : 'Shift'}
      </h1>
      {body}
      {manager && view.kind === 'current' && active && <KeptShifts timeZone={timeZone} onOpen={(shiftId) => setView({ kind: 'kept', shiftId })} />}
    </section>
  );
}
