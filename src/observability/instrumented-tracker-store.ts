/** A tracker store that counts its failed operations for `/metrics`, and otherwise passes everything through. */
import type { TrackerStore } from '../stores/types.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * Wraps `store`; each operation that rejects is counted under `operation` and rethrown unchanged.
 * The store's optional `eventCount` stays optional (the processor checks for it).
 */
export function countTrackerStoreErrors(store: TrackerStore, metrics: ServerMetrics): TrackerStore {
  const counted = async <T>(operation: string, task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } catch (error) {
      metrics.trackerStoreErrors.inc({ operation });
      throw error;
    }
  };
  const wrapped: TrackerStore = {
    type: store.type,
    retrieve: (senderId, options) => counted('retrieve', () => store.retrieve(senderId, options)),
    append: (senderId, events) => counted('append', () => store.append(senderId, events)),
    keys: () => counted('keys', () => store.keys()),
    close: () => store.close(),
  };
  if (store.eventCount) {
    const eventCount = store.eventCount.bind(store);
    wrapped.eventCount = (senderId) => counted('event_count', () => eventCount(senderId));
  }
  return wrapped;
}
