/**
 * The in-memory lock store: tasks of one sender run one at a time in arrival order; different
 * senders run concurrently. A holder that exceeds the lock lifetime lets the next one in, as
 * Rasa's ticket locks expire.
 */
import type { Logger } from '../logger.js';
import type { LockStore } from './types.js';

export interface MemoryLockStoreOptions {
  /**
   * Milliseconds a task may hold a conversation's lock before the next task may start anyway.
   * @default env TICKET_LOCK_LIFETIME (seconds) × 1000, else 60000
   */
  lockLifetimeMs?: number;
  logger?: Logger;
}

export class MemoryLockStore implements LockStore {
  readonly type = 'in_memory';
  /** Per sender, the promise the next task waits for; removed when the queue drains. */
  readonly #tails = new Map<string, Promise<void>>();
  readonly #lifetimeMs: number;
  readonly #logger?: Logger;

  constructor(options: MemoryLockStoreOptions = {}) {
    this.#lifetimeMs = options.lockLifetimeMs ?? lifetimeFromEnv();
    this.#logger = options.logger;
  }

  async withLock<T>(senderId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(senderId) ?? Promise.resolve();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => released);
    this.#tails.set(senderId, tail);
    await previous;
    const expiry = setTimeout(() => {
      this.#logger?.warn(
        { event: 'lock.expired', senderId, lifetimeMs: this.#lifetimeMs },
        'A conversation kept its lock beyond the lock lifetime; the next message proceeds.',
      );
      release();
    }, this.#lifetimeMs);
    expiry.unref();
    try {
      return await task();
    } finally {
      clearTimeout(expiry);
      release();
      if (this.#tails.get(senderId) === tail) this.#tails.delete(senderId);
    }
  }

  /** Number of senders with a running or queued task (for tests and diagnostics). */
  get activeSenders(): number {
    return this.#tails.size;
  }

  async close(): Promise<void> {}
}

function lifetimeFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.TICKET_LOCK_LIFETIME);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000;
}

export function createMemoryLockStore(options: MemoryLockStoreOptions = {}): MemoryLockStore {
  return new MemoryLockStore(options);
}
