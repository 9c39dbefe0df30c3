import { describe, expect, it } from 'vitest';
import { ConversationIndex } from '../../src/review/conversation-index.js';
import type { TrackerEvent } from '../../src/shared/events.js';
import { MemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import type { RetrieveOptions, TrackerStore } from '../../src/stores/types.js';
import { testerConversation, user } from './helpers/conversations.js';

/** A store that counts full reads, with or without the cheap event count. */
function countingStore(withCount: boolean): TrackerStore & { reads: number; inner: MemoryTrackerStore } {
  const inner = new MemoryTrackerStore();
  const store = {
    type: 'counting',
    reads: 0,
    inner,
    retrieve(senderId: string, options?: RetrieveOptions): Promise<TrackerEvent[] | undefined> {
      store.reads += 1;
      return inner.retrieve(senderId, options);
    },
    append: (senderId: string, events: readonly TrackerEvent[]) => inner.append(senderId, events),
    keys: () => inner.keys(),
    close: () => inner.close(),
    ...(withCount ? { eventCount: (senderId: string) => inner.eventCount(senderId) } : {}),
  };
  return store;
}

describe('ConversationIndex', () => {
  it('reads a conversation again only when its event count changed', async () => {
    const store = countingStore(true);
    for (let index = 0; index < 30; index += 1) await store.append(`tester-${index}`, testerConversation(100 + index));
    const conversations = new ConversationIndex(store);
    expect((await conversations.list({})).total).toBe(30);
    expect(store.reads).toBe(30);
    await conversations.list({ q: 'down' });
    expect(store.reads).toBe(30);
    await store.append('tester-3', [user('one more', 'greet', 0.9, 999)]);
    const page = await conversations.list({ limit: 1 });
    expect(store.reads).toBe(31);
    expect(page.conversations[0]).toMatchObject({ sender_id: 'tester-3', last_message: 'one more' });
  });

  it('reads every conversation each time from a store without event counts', async () => {
    const store = countingStore(false);
    await store.append('a', testerConversation());
    const conversations = new ConversationIndex(store);
    await conversations.list({});
    await conversations.list({});
    expect(store.reads).toBe(2);
  });

  it('forgets conversations the store no longer lists', async () => {
    const store = countingStore(true);
    await store.append('a', testerConversation());
    const conversations = new ConversationIndex(store);
    await conversations.list({});
    store.keys = async () => [];
    expect(await conversations.list({})).toEqual({ conversations: [], total: 0 });
  });
});
