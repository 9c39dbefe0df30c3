/**
 * The trackers of recently active conversations, kept between turns so that a turn replays only
 * the events stored since instead of the whole conversation. Bounded, least recently used first
 * out. An entry remembers how many events the store held for it; the processor reuses it only
 * while the store still reports that count (another instance may have written meanwhile).
 */
import type { DialogueStateTracker } from './tracker.js';

export interface CachedTracker {
  tracker: DialogueStateTracker;
  /** Events the store held for the conversation (all sessions) when the tracker matched it. */
  storedEvents: number;
}

export class TrackerCache {
  readonly capacity: number;
  readonly #entries = new Map<string, CachedTracker>();

  /** @param capacity conversations kept; 0 turns the cache off. */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`The tracker cache size must be a whole number of 0 or more, not ${capacity}.`);
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Removes and returns the conversation's entry: a tracker in use is never shared. */
  take(senderId: string): CachedTracker | undefined {
    const entry = this.#entries.get(senderId);
    if (entry) this.#entries.delete(senderId);
    return entry;
  }

  /** Keeps `entry` as the most recently used, dropping the least recently used beyond capacity. */
  put(senderId: string, entry: CachedTracker): void {
    if (this.capacity === 0) return;
    this.#entries.delete(senderId);
    this.#entries.set(senderId, entry);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
