import { describe, expect, it } from 'vitest';
import { publishingTrackerStore } from '../../src/stores/publishing-tracker-store.js';
import { createMemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import type { EventBroker } from '../../src/brokers/types.js';
import type { TrackerEvent } from '../../src/shared/events.js';

function recordingBroker() {
  const published: Array<[string, readonly TrackerEvent[]]> = [];
  const broker = {
    type: 'recording',
    publish: (senderId: string, events: readonly TrackerEvent[]) => void published.push([senderId, events]),
    flush: async () => true,
    stats: () => ({ published: published.length, buffered: 0, retried: 0, dropped: 0, connected: true }),
    close: async () => undefined,
  } as unknown as EventBroker;
  return { broker, published };
}

describe('publishingTrackerStore', () => {
  it('stores and then publishes exactly the appended events', async () => {
    const { broker, published } = recordingBroker();
    const store = publishingTrackerStore(createMemoryTrackerStore(), broker);
    const events: TrackerEvent[] = [{ event: 'slot', timestamp: 1, name: 'a', value: 1 }];
    await store.append('u1', events);
    expect(await store.retrieve('u1')).toEqual(events);
    expect(published).toEqual([['u1', events]]);
  });

  it("passes the store's event count through, and offers none when the store has none", async () => {
    const { broker } = recordingBroker();
    const memory = createMemoryTrackerStore();
    await memory.append('u1', [{ event: 'slot', timestamp: 1, name: 'a', value: 1 }]);
    expect(await publishingTrackerStore(memory, broker).eventCount?.('u1')).toBe(1);
    const withoutCount = {
      type: memory.type,
      retrieve: memory.retrieve.bind(memory),
      append: memory.append.bind(memory),
      keys: memory.keys.bind(memory),
      close: memory.close.bind(memory),
    };
    expect(publishingTrackerStore(withoutCount, broker).eventCount).toBeUndefined();
  });

  it('publishes nothing when the store fails to append', async () => {
    const { broker, published } = recordingBroker();
    const memory = createMemoryTrackerStore();
    const failing = {
      type: memory.type,
      retrieve: memory.retrieve.bind(memory),
      keys: memory.keys.bind(memory),
      close: memory.close.bind(memory),
      append: async () => {
        throw new Error('disk full');
      },
    };
    const store = publishingTrackerStore(failing, broker);
    await expect(store.append('u1', [{ event: 'restart', timestamp: 1 }])).rejects.toThrow('disk full');
    expect(published).toEqual([]);
  });
});
