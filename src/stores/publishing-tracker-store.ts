/** A tracker store that also hands every appended event to the event broker (as Rasa streams on save). */
import type { EventBroker } from '../brokers/types.js';
import type { TrackerEvent } from '../shared/events.js';
import type { RetrieveOptions, TrackerStore } from './types.js';

/**
 * Publishing happens after the append succeeded, so consumers never see an event the store lost;
 * `publish` only queues (the broker delivers in the background), so conversations never wait on it.
 */
export function publishingTrackerStore(store: TrackerStore, broker: EventBroker): TrackerStore {
  const publishing: TrackerStore = {
    type: store.type,
    retrieve: (senderId: string, options?: RetrieveOptions) => store.retrieve(senderId, options),
    append: async (senderId: string, events: readonly TrackerEvent[]) => {
      await store.append(senderId, events);
      if (events.length > 0) broker.publish(senderId, events);
    },
    keys: () => store.keys(),
    close: () => store.close(),
  };
  if (store.eventCount) {
    const { eventCount } = store;
    publishing.eventCount = (senderId: string) => eventCount.call(store, senderId);
  }
  return publishing;
}
