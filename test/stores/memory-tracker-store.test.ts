import { describe, expect, it } from 'vitest';
import { createMemoryTrackerStore, MemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import { conversationId, runTrackerStoreContract, sessionStart, userEvent } from '../contracts/tracker-store.contract.js';

runTrackerStoreContract('in-memory', {
  open: async () => createMemoryTrackerStore(),
  eventsRead: (store) => (store as MemoryTrackerStore).stats.eventsRead,
  skip: { restart: 'an in-memory store forgets everything when the process ends' },
});

describe('in-memory tracker store', () => {
  it("answers to endpoints.yml's in_memory type", () => {
    expect(createMemoryTrackerStore().type).toBe('in_memory');
  });

  it('keeps earlier sessions instead of overwriting them as Rasa does', async () => {
    const store = createMemoryTrackerStore();
    const id = conversationId('history');
    await store.append(id, [...sessionStart(1), userEvent('first', 2)]);
    await store.append(id, [...sessionStart(3), userEvent('second', 4)]);
    expect(await store.retrieve(id, { allSessions: true })).toHaveLength(10);
    expect(await store.retrieve(id)).toHaveLength(5);
  });

  it('hands out copies, so a caller cannot change what is stored', async () => {
    const store = createMemoryTrackerStore();
    const id = conversationId('copy');
    await store.append(id, [userEvent('one')]);
    (await store.retrieve(id))!.push(userEvent('injected'));
    expect(await store.retrieve(id)).toHaveLength(1);
  });

  it('forgets everything on close', async () => {
    const store = createMemoryTrackerStore();
    await store.append('a', [userEvent('one')]);
    await store.close();
    expect(await store.keys()).toEqual([]);
  });
});
