/** Persistence interfaces chosen by endpoints.yml `type:` (tracker store, lock store). */
import type { TrackerEvent } from '../shared/events.js';

export interface RetrieveOptions {
  /** false (default): only the latest session, from the last `action_session_start` on. */
  allSessions?: boolean;
}

export interface TrackerStore {
  /** The endpoints.yml `type:` this store answers to. */
  readonly type: string;
  /** Events of a conversation, or undefined when it was never stored. */
  retrieve(senderId: string, options?: RetrieveOptions): Promise<TrackerEvent[] | undefined>;
  /**
   * How many events the conversation has stored, all sessions (0 when never stored). Optional and
   * meant to be much cheaper than `retrieve`: since stores only append, an unchanged count means
   * an unchanged conversation, which lets the processor keep trackers between turns.
   */
  eventCount?(senderId: string): Promise<number>;
  /** Append new events; never rewrites what is stored. */
  append(senderId: string, events: readonly TrackerEvent[]): Promise<void>;
  /** Every stored conversation id. */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

export interface LockStore {
  readonly type: string;
  /** Run `task` while holding the conversation's lock; callers queue in arrival order. */
  withLock<T>(senderId: string, task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What a store fetched from its server, for metrics and for tests that prove reads stay bounded. */
export interface TrackerStoreReadStats {
  /** Events (rows or list items) fetched so far. */
  eventsRead: number;
}
