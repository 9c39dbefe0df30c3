/**
 * The review list over any tracker store. Stores offer `keys()` and `retrieve()`, so the index
 * keeps one summary per conversation and rebuilds it only when the store's event count changed
 * (stores only append: an unchanged count is an unchanged conversation). A listing then costs one
 * cheap count per conversation instead of reading every event again.
 */
import type { TrackerStore } from '../stores/types.js';
import { matches, summarize, type ConversationFilter, type ConversationSummary, type IndexedConversation } from './conversation-summary.js';

export interface ConversationPage {
  conversations: ConversationSummary[];
  total: number;
}

export interface ListOptions extends ConversationFilter {
  /** @default 50 */
  limit?: number;
  /** @default 0 */
  offset?: number;
}

interface CachedConversation {
  eventCount: number;
  indexed: IndexedConversation;
}

/** How many conversations are read from the store at the same time. */
const READ_CONCURRENCY = 8;

export class ConversationIndex {
  readonly #store: TrackerStore;
  readonly #cache = new Map<string, CachedConversation>();

  constructor(store: TrackerStore) {
    this.#store = store;
  }

  /**
   * Conversations passing `options`' filters, newest first (by latest event time).
   * @param corrections corrections per conversation id (for the `corrections` count)
   */
  async list(options: ListOptions, corrections: ReadonlyMap<string, number> = new Map()): Promise<ConversationPage> {
    const ids = await this.#store.keys();
    const known = new Set(ids);
    for (const id of this.#cache.keys()) if (!known.has(id)) this.#cache.delete(id);
    const indexed: IndexedConversation[] = [];
    for (let start = 0; start < ids.length; start += READ_CONCURRENCY) {
      const batch = await Promise.all(ids.slice(start, start + READ_CONCURRENCY).map((id) => this.#indexed(id)));
      for (const conversation of batch) if (conversation) indexed.push(conversation);
    }
    const kept = indexed
      .filter((conversation) => matches(conversation, options))
      .sort((a, b) => b.summary.latest_event_time - a.summary.latest_event_time || a.summary.sender_id.localeCompare(b.summary.sender_id));
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 50;
    return {
      conversations: kept
        .slice(offset, offset + limit)
        .map((conversation) => ({ ...conversation.summary, corrections: corrections.get(conversation.summary.sender_id) ?? 0 })),
      total: kept.length,
    };
  }

  async #indexed(senderId: string): Promise<IndexedConversation | undefined> {
    const cached = this.#cache.get(senderId);
    const count = this.#store.eventCount ? await this.#store.eventCount(senderId) : undefined;
    if (cached && count !== undefined && cached.eventCount === count) return cached.indexed;
    const events = await this.#store.retrieve(senderId, { allSessions: true });
    if (!events) {
      this.#cache.delete(senderId);
      return undefined;
    }
    const indexed = summarize(senderId, events);
    // The count read before the events: a write in between only makes the next comparison fail.
    if (count !== undefined) this.#cache.set(senderId, { eventCount: count, indexed });
    return indexed;
  }
}
