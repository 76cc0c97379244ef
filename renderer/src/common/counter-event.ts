// What the preview's event stream may pass on to the screens: only data
// shaped as one of the contract's events (the stream is parsed JSON).
import type { CounterEvent } from '../../../electron/shared/contract';

export function isCounterEvent(value: unknown): value is CounterEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; sale?: unknown; status?: unknown; written?: unknown; total?: unknown; done?: unknown; received?: unknown; job?: unknown; session?: unknown; shift?: unknown };
  return (
    (v.type === 'sale' && typeof v.sale === 'object' && v.sale !== null) ||
    (v.type === 'status' && typeof v.status === 'object' && v.status !== null) ||
    (v.type === 'export' && typeof v.written === 'number' && typeof v.total === 'number' && typeof v.done === 'boolean') ||
    (v.type === 'tunnel-install' && typeof v.received === 'number') ||
    (v.type === 'print-job' && typeof v.job === 'object' && v.job !== null && typeof (v.job as { id?: unknown }).id === 'number') ||
    (v.type === 'session' && typeof v.session === 'object' && v.session !== null) ||
    (v.type === 'shift' && typeof v.shift === 'object')
  );
}
