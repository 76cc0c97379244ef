import type { AppStatus, SessionView } from '../../../electron/shared/contract';

interface ShiftScreenProps {
  active: boolean;
  status: AppStatus | null;
  session: SessionView | null;
}

/** PLACEHOLDER (issue 15): the shift screen (open with a float, close with the count, the Z-report, kept reports). */
export function ShiftScreen({ active }: ShiftScreenProps) {
  return <section data-testid="shift-screen" hidden={!active} />;
}
