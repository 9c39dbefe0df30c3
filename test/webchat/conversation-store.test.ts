import { describe, expect, it } from 'vitest';
import { browserStorage, ConversationStore, type KeyValueStorage } from '../../webchat/src/conversation-store.js';
import type { ChatItem } from '../../webchat/src/transcript.js';

function mapStorage(): KeyValueStorage & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

const item: ChatItem = { id: 'a', from: 'user', text: 'hi', payload: null, status: 'sent', at: 1 };

describe('ConversationStore', () => {
  it('remembers the session, the transcript and the initial-payload mark', () => {
    const storage = mapStorage();
    const store = new ConversationStore(storage, 'https://bot.example');
    store.saveSession('s1');
    store.saveItems([item]);
    store.markInitialPayloadSent('s1');
    expect(new ConversationStore(storage, 'https://bot.example').load()).toEqual({
      sessionId: 's1',
      items: [item],
      initialPayloadSentFor: 's1',
    });
  });

  it('keeps two servers apart', () => {
    const storage = mapStorage();
    new ConversationStore(storage, 'https://a.example').saveSession('a');
    expect(new ConversationStore(storage, 'https://b.example').load().sessionId).toBeNull();
  });

  it('forgets everything on clear', () => {
    const storage = mapStorage();
    const store = new ConversationStore(storage, 'x');
    store.saveSession('s1');
    store.saveItems([item]);
    store.markInitialPayloadSent('s1');
    store.clear();
    expect(storage.values.size).toBe(0);
  });

  it('reads a corrupted transcript as empty and survives a storage that throws', () => {
    const storage = mapStorage();
    storage.setItem('parley-chat:x:transcript', '{not json');
    expect(new ConversationStore(storage, 'x').load().items).toEqual([]);
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('blocked');
      },
    };
    const store = new ConversationStore(broken, 'x');
    expect(() => store.saveItems([item])).not.toThrow();
    expect(store.load()).toEqual({ sessionId: null, items: [], initialPayloadSentFor: null });
  });

  it("uses memory when storage is 'none' or unavailable", () => {
    const memory = browserStorage('none');
    memory.setItem('k', 'v');
    expect(memory.getItem('k')).toBe('v');
    // Node has no localStorage: the store falls back instead of failing.
    expect(browserStorage('local').getItem('missing')).toBeNull();
  });
});
