import './sale-timeline.css';
import type { PaymentEvent } from '../../../../electron/shared/contract';
import { EventPayload } from './event-payload';
import { SOURCE_LABELS } from '../../common/sale-labels';
import { OutcomeBadge } from '../sale-badges';
import { fullTime } from '../../common/shop-time';

interface SaleTimelineProps {
  events: PaymentEvent[];
  timeZone: string;
}

/** Part of the sale's append-only event log, oldest first: every proof and every transition, as the ledger recorded it. */
export function SaleTimeline({ events, timeZone }: SaleTimelineProps) {
  if (events.length === 0) return <p className="hint">No events recorded for this sale.</p>;
  return (
    <ol className="timeline">
      {events.map((event) => (
        <li
          key={event.id}
          className={`timeline-item timeline-item--${event.outcome}`}
          data-testid="sale-event"
          data-source={event.source}
          data-outcome={event.outcome}
        >
          <div className="timeline-line">
            <time className="timeline-time" dateTime={new Date(event.receivedAt).toISOString()}>
              {fullTime(event.receivedAt, timeZone)}
            </time>
            <span className={`source source--${event.source}`}>{SOURCE_LABELS[event.source]}</span>
            <span className="timeline-kind">{event.kind}</span>
            <OutcomeBadge outcome={event.outcome} />
          </div>
          {event.outcome === 'late' && <p className="timeline-note">This payment arrived after its request or the sale was closed. It was recorded as paid.</p>}
          <EventPayload payload={event.payload} />
        </li>
      ))}
    </ol>
  );
}
