/**
 * The in-memory tracker store (endpoints.yml without `tracker_store`): one append-only event list
 * per conversation. Unlike Rasa's, it keeps earlier sessions instead of overwriting them.
 */
import type { TrackerEvent } from '../shared/events.js';
import type { RetrieveOptions, TrackerStore, TrackerStoreReadStats } from './types.js';

interface Conversation {
  events: TrackerEvent[];
  /** Index of the latest `action(action_session_start)`, where the latest session begins. */
  sessionStart: number;
}

export class MemoryTrackerStore implements TrackerStore {
  readonly type = 'in_memory';
  readonly #conversations = new Map<string, Conversation>();
  readonly #stats: TrackerStoreReadStats = { eventsRead: 0 };

  /** Events handed out by `retrieve` so far (shows that reads stay within the latest session). */
  get stats(): Readonly<TrackerStoreReadStats> {
    return this.#stats;
  }

  async retrieve(senderId: string, options: RetrieveOptions = {}): Promise<TrackerEvent[] | undefined> {
    const conversation = this.#conversations.get(senderId);
    if (!conversation) return undefined;
    const events = conversation.events.slice(options.allSessions ? 0 : conversation.sessionStart);
    this.#stats.eventsRead += events.length;
    return events;
  }

  async eventCount(senderId: string): Promise<number> {
    return this.#conversations.get(senderId)?.events.length ?? 0;
  }

  async append(senderId: string, events: readonly TrackerEvent[]): Promise<void> {
    if (events.length === 0) return;
    let conversation = this.#conversations.get(senderId);
    if (!conversation) {
      conversation = { events: [], sessionStart: 0 };
      this.#conversations.set(senderId, conversation);
    }
    for (const event of events) {
      if (event.event === 'action' && event.name === 'action_session_start') {
        conversation.sessionStart = conversation.events.length;
      }
      conversation.events.push(event);
    }
  }

  async keys(): Promise<string[]> {
    return [...this.#conversations.keys()];
  }

  async close(): Promise<void> {
    this.#conversations.clear();
  }
}

export function createMemoryTrackerStore(): MemoryTrackerStore {
  return new MemoryTrackerStore();
}
