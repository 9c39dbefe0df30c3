/**
 * Tracker store on Redis: one list of event JSON per conversation (`<prefix>:tracker:<id>`, where
 * Rasa keeps its tracker) and one small key with the list index where the latest session starts
 * (`<prefix>:tracker_session:<id>`). Appends and reads are single Lua scripts, so a reader never
 * sees half an append, and a read fetches only the latest session.
 */
import type { Redis } from 'ioredis';
import { serializeEvent } from '../core/events.js';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TrackerEvent } from '../shared/events.js';
import { connectRedis, describeRedis, escapeGlob, redisKeyPrefix, whenRedisAnswers, type RedisEndpoint } from './redis-connection.js';
import { lastSessionStartIndex } from './sessions.js';
import type { RetrieveOptions, TrackerStore, TrackerStoreReadStats } from './types.js';

/** RPUSH arguments per call inside the script: Lua's stack holds a few thousand values. */
const PUSH_CHUNK = 1000;

// KEYS: events list, session marker. ARGV: session start offset in this batch (-1: none),
// expiry in seconds (0: none), then the events.
const APPEND_SCRIPT = `
local offset = tonumber(ARGV[1])
local expiry = tonumber(ARGV[2])
local count = #ARGV - 2
local length = 0
for first = 3, #ARGV, ${PUSH_CHUNK} do
  length = redis.call('RPUSH', KEYS[1], unpack(ARGV, first, math.min(first + ${PUSH_CHUNK - 1}, #ARGV)))
end
if offset >= 0 then
  redis.call('SET', KEYS[2], length - count + offset)
end
if expiry > 0 then
  redis.call('EXPIRE', KEYS[1], expiry)
  redis.call('EXPIRE', KEYS[2], expiry)
end
return length
`;

// KEYS: events list, session marker.
const LATEST_SESSION_SCRIPT = `
local start = tonumber(redis.call('GET', KEYS[2]) or '0')
return redis.call('LRANGE', KEYS[1], start, -1)
`;

export interface RedisTrackerStoreOptions {
  endpoint: RedisEndpoint;
  /** Rasa's `record_exp`: seconds a conversation lives after its last append; none by default. */
  recordExpirySeconds?: number;
  logger: Logger;
}

export class RedisTrackerStore implements TrackerStore {
  readonly type = 'redis';
  readonly #redis: Redis;
  readonly #eventsPrefix: string;
  readonly #sessionPrefix: string;
  readonly #expiry: number;
  readonly #target: string;
  readonly #stats: TrackerStoreReadStats = { eventsRead: 0 };

  /** Connects and waits until Redis answers (up to `startupTimeoutMs`, default 30 s). */
  static async open(options: RedisTrackerStoreOptions & { startupTimeoutMs?: number }): Promise<RedisTrackerStore> {
    const store = new RedisTrackerStore(options);
    return whenRedisAnswers(store, store.#redis, options);
  }

  constructor(options: RedisTrackerStoreOptions) {
    this.#redis = connectRedis(options.endpoint, options.logger, 'parley-tracker-store');
    this.#eventsPrefix = redisKeyPrefix(options.endpoint.keyPrefix, 'tracker');
    this.#sessionPrefix = this.#eventsPrefix.replace(/tracker:$/, 'tracker_session:');
    this.#expiry = options.recordExpirySeconds ?? 0;
    this.#target = describeRedis(options.endpoint);
  }

  get stats(): Readonly<TrackerStoreReadStats> {
    return { ...this.#stats };
  }

  async retrieve(senderId: string, options: RetrieveOptions = {}): Promise<TrackerEvent[] | undefined> {
    const items = (await this.#guard('read', senderId, () =>
      options.allSessions
        ? this.#redis.lrange(this.#eventsKey(senderId), 0, -1)
        : this.#redis.eval(LATEST_SESSION_SCRIPT, 2, this.#eventsKey(senderId), this.#sessionKey(senderId)),
    )) as string[];
    this.#stats.eventsRead += items.length;
    if (items.length === 0) return undefined;
    return items.map((item) => JSON.parse(item) as TrackerEvent);
  }

  /** `LLEN` of the conversation's event list: O(1) in Redis. */
  async eventCount(senderId: string): Promise<number> {
    return this.#guard('read', senderId, () => this.#redis.llen(this.#eventsKey(senderId)));
  }

  async append(senderId: string, events: readonly TrackerEvent[]): Promise<void> {
    if (events.length === 0) return;
    const serialized = events.map((event) => JSON.stringify(serializeEvent(event)));
    await this.#guard('write', senderId, () =>
      this.#redis.eval(
        APPEND_SCRIPT,
        2,
        this.#eventsKey(senderId),
        this.#sessionKey(senderId),
        lastSessionStartIndex(events),
        this.#expiry,
        ...serialized,
      ),
    );
  }

  async keys(): Promise<string[]> {
    const found = new Set<string>();
    await this.#guard('list', undefined, async () => {
      let cursor = '0';
      do {
        const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${escapeGlob(this.#eventsPrefix)}*`, 'COUNT', 1000);
        for (const key of keys) found.add(key.slice(this.#eventsPrefix.length));
        cursor = next;
      } while (cursor !== '0');
    });
    return [...found];
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #eventsKey(senderId: string): string {
    return this.#eventsPrefix + senderId;
  }

  #sessionKey(senderId: string): string {
    return this.#sessionPrefix + senderId;
  }

  async #guard<T>(operation: string, senderId: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const subject = senderId === undefined ? 'the conversation list' : `conversation "${senderId}"`;
      const message = (error as Error).message ?? String(error);
      if (message.startsWith('WRONGTYPE')) {
        throw new ParleyError(
          'PARLEY_ERR_STORE_SCHEMA',
          `The ${this.#target} holds ${subject} in a format Parley does not read (a tracker saved by ` +
            `Rasa's RedisTrackerStore?). Use another key_prefix or db for Parley.`,
          { cause: error },
        );
      }
      throw new ParleyError(
        'PARLEY_ERR_STORE_UNAVAILABLE',
        `Could not ${operation === 'write' ? 'save' : 'read'} ${subject} in the tracker store (${this.#target}): ${message}`,
        { cause: error },
      );
    }
  }
}
