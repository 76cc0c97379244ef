/**
 * What the core pushes to the screens (sales, status, export progress),
 * fanned out to every subscriber. A subscriber that throws is logged and
 * the others still get the event.
 */
import type { CounterEvent } from '../../shared/contract';
import type { Logger } from './logger';

export interface EventBus {
  publish(event: CounterEvent): void;
  subscribe(fn: (event: CounterEvent) => void): () => void;
}

export function createEventBus(logger: Logger): EventBus {
  const log = logger.child('event-bus');
  const subscribers = new Set<(event: CounterEvent) => void>();
  return {
    publish(event) {
      for (const fn of [...subscribers]) {
        try {
          fn(event);
        } catch (error) {
          log.error(`a subscriber failed: ${(error as Error).message}`);
        }
      }
    },
    subscribe(fn) {
      subscribers.add(fn);
      return () => {
        subscribers.delete(fn);
      };
    },
  };
}
