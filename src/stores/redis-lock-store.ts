/**
 * Lock store on Redis: per conversation, FIFO tickets shared by every Parley instance, so the
 * messages of one conversation are handled one at a time and in arrival order, whichever
 * instance receives them. See `redis-lock-scripts.ts` for the data layout and why it is race-free.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { connectRedis, describeRedis, redisKeyPrefix, whenRedisAnswers, type RedisEndpoint } from './redis-connection.js';
import { ISSUE_TICKET, RELEASE_TICKET, RENEW_TICKET, TRY_ACQUIRE } from './redis-lock-scripts.js';
import type { LockStore } from './types.js';

/** Rasa's default lock lifetime (env `TICKET_LOCK_LIFETIME`, seconds). */
export const DEFAULT_LOCK_LIFETIME_MS = 60_000;
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 1_000;

export interface RedisLockStoreOptions {
  endpoint: RedisEndpoint;
  logger: Logger;
  /**
   * How long the tickets of an instance that stopped renewing them (crashed, frozen, cut off)
   * block a conversation.
   * @default 60000
   */
  lockLifetimeMs?: number;
}

/** A place in a conversation's queue. */
export interface LockTicket {
  senderId: string;
  number: number;
}

export class RedisLockStore implements LockStore {
  readonly type = 'redis';
  readonly #redis: Redis;
  readonly #logger: Logger;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #lifetimeMs: number;
  readonly #pollCapMs: number;
  readonly #target: string;
  /** Local waiters per conversation, woken by release messages from any instance. */
  readonly #waiters = new Map<string, Set<() => void>>();
  #subscriber: Redis | undefined;
  #subscribed: Promise<unknown> | undefined;

  /** Connects and waits until Redis answers (up to `startupTimeoutMs`, default 30 s). */
  static async open(options: RedisLockStoreOptions & { startupTimeoutMs?: number }): Promise<RedisLockStore> {
    const store = new RedisLockStore(options);
    return whenRedisAnswers(store, store.#redis, options);
  }

  constructor(options: RedisLockStoreOptions) {
    this.#redis = connectRedis(options.endpoint, options.logger, 'parley-lock-store');
    this.#logger = options.logger;
    this.#prefix = redisKeyPrefix(options.endpoint.keyPrefix, 'lock');
    this.#channel = `${this.#prefix}released`;
    this.#lifetimeMs = options.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
    // A waiter renews its ticket each time it polls, so it must poll well within a lifetime.
    this.#pollCapMs = Math.max(FIRST_POLL_MS, Math.min(MAX_POLL_MS, this.#lifetimeMs / 4));
    this.#target = describeRedis(options.endpoint);
  }

  async withLock<T>(senderId: string, task: () => Promise<T>): Promise<T> {
    // The ticket is the first thing sent, so calls made one after another in this process queue
    // in call order (one connection delivers commands in order).
    const ticket = await this.issueTicket(senderId);
    return this.runWithTicket(ticket, task);
  }

  /** Takes a place in the conversation's queue. Pair with `runWithTicket`. */
  async issueTicket(senderId: string): Promise<LockTicket> {
    const number = await this.#call('lock', senderId, () =>
      this.#redis.eval(ISSUE_TICKET, 3, ...this.#keys(senderId), this.#lifetimeMs),
    );
    return { senderId, number: Number(number) };
  }

  /** Waits until `ticket` is served, runs `task` while renewing the ticket, then frees it. */
  async runWithTicket<T>(ticket: LockTicket, task: () => Promise<T>): Promise<T> {
    try {
      await this.#waitForTurn(ticket);
      const renewal = setInterval(() => void this.#renew(ticket), this.#lifetimeMs / 3);
      renewal.unref();
      try {
        return await task();
      } finally {
        clearInterval(renewal);
      }
    } finally {
      await this.#release(ticket);
    }
  }

  async close(): Promise<void> {
    for (const wakers of this.#waiters.values()) for (const wake of wakers) wake();
    await Promise.all(
      [this.#redis, this.#subscriber]
        .filter((client): client is Redis => client !== undefined)
        .map((client) => client.quit().catch(() => client.disconnect())),
    );
  }

  async #waitForTurn(ticket: LockTicket): Promise<void> {
    let delay = FIRST_POLL_MS;
    let logged = false;
    for (;;) {
      // Listen before asking, so a release that lands in between still wakes us.
      const wakeup = this.#listen(ticket.senderId);
      try {
        const ahead = Number(
          await this.#call('lock', ticket.senderId, async () => {
            await this.#ensureSubscribed();
            return this.#redis.eval(
              TRY_ACQUIRE,
              3,
              ...this.#keys(ticket.senderId),
              ticket.number,
              this.#lifetimeMs,
              this.#channel,
              ticket.senderId,
            );
          }),
        );
        if (ahead === 0) return;
        if (ahead < 0) throw this.#lost(ticket);
        if (!logged) {
          this.#logger.debug({ ticket: ticket.number, ahead }, 'lock.waiting');
          logged = true;
        }
        const timer = new AbortController();
        const woken = await Promise.race([
          wakeup.promise.then(() => true),
          sleep(delay, false, { signal: timer.signal }).catch(() => false),
        ]);
        timer.abort();
        delay = woken ? FIRST_POLL_MS : Math.min(delay * 2, this.#pollCapMs);
      } finally {
        wakeup.cancel();
      }
    }
  }

  async #renew(ticket: LockTicket): Promise<void> {
    try {
      const renewed = await this.#redis.eval(
        RENEW_TICKET,
        3,
        ...this.#keys(ticket.senderId),
        ticket.number,
        this.#lifetimeMs,
      );
      if (Number(renewed) !== 1) {
        this.#logger.error(
          { ticket: ticket.number, target: this.#target },
          'lock.lost_while_held: the lock store dropped this ticket; another instance may now run the same conversation',
        );
      }
    } catch (error) {
      this.#logger.warn({ err: error, ticket: ticket.number }, 'lock.renew.failed');
    }
  }

  async #release(ticket: LockTicket): Promise<void> {
    try {
      await this.#redis.eval(
        RELEASE_TICKET,
        3,
        ...this.#keys(ticket.senderId),
        ticket.number,
        this.#channel,
        ticket.senderId,
      );
    } catch (error) {
      // The ticket expires on its own after one lifetime; the conversation waits until then.
      this.#logger.error(
        { err: error, ticket: ticket.number, lifetimeMs: this.#lifetimeMs },
        'lock.release.failed',
      );
    }
  }

  #listen(senderId: string): { promise: Promise<void>; cancel: () => void } {
    let wakers = this.#waiters.get(senderId);
    if (!wakers) {
      wakers = new Set();
      this.#waiters.set(senderId, wakers);
    }
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    wakers.add(wake);
    const cancel = (): void => {
      wakers.delete(wake);
      if (wakers.size === 0 && this.#waiters.get(senderId) === wakers) this.#waiters.delete(senderId);
    };
    return { promise, cancel };
  }

  /**
   * One subscriber connection per store, opened on first use. Release messages only make waiters
   * faster; when subscribing fails, polling still serves everyone, and the next wait tries again.
   */
  #ensureSubscribed(): Promise<unknown> {
    if (!this.#subscriber) {
      const subscriber = this.#redis.duplicate({ connectionName: 'parley-lock-store-events' });
      subscriber.on('error', () => {
        // The main connection reports outages.
      });
      subscriber.on('message', (_channel: string, senderId: string) => {
        const wakers = this.#waiters.get(senderId);
        if (wakers) for (const wake of [...wakers]) wake();
      });
      this.#subscriber = subscriber;
    }
    if (!this.#subscribed) {
      this.#subscribed = this.#subscriber.subscribe(this.#channel).catch((error: unknown) => {
        this.#subscribed = undefined;
        this.#logger.warn({ err: error }, 'lock.subscribe.failed');
      });
    }
    return this.#subscribed;
  }

  #keys(senderId: string): [string, string, string] {
    return [
      `${this.#prefix}last_ticket:${senderId}`,
      `${this.#prefix}queue:${senderId}`,
      `${this.#prefix}alive:${senderId}`,
    ];
  }

  #lost(ticket: LockTicket): ParleyError {
    return new ParleyError(
      'PARLEY_ERR_LOCK_LOST',
      `Conversation "${ticket.senderId}" lost its place in the lock queue (${this.#target}) while ` +
        `waiting: its ticket expired. Redis lost its data (a restart without persistence?) or this ` +
        `process stalled for longer than the lock lifetime (${this.#lifetimeMs / 1000} s, env TICKET_LOCK_LIFETIME).`,
    );
  }

  async #call<T>(action: string, senderId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ParleyError) throw error;
      throw new ParleyError(
        'PARLEY_ERR_STORE_UNAVAILABLE',
        `Could not ${action} conversation "${senderId}" in the lock store (${this.#target}): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}
