/** The machine's real Redis, with an alphanumeric key prefix unique to the test run. */
import { Redis } from 'ioredis';
import type { RedisEndpoint } from '../../src/stores/redis-connection.js';

export interface RedisTarget {
  keyPrefix: string;
  endpoint(db: number): RedisEndpoint;
  /** A direct client for assertions, outside the code under test. */
  client(db: number): Redis;
  /** Deletes every key this run created, then closes the direct clients. */
  cleanup(): Promise<void>;
}

export function redisTarget(label: string): RedisTarget {
  const keyPrefix = `parley${label}${process.pid}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
  const clients = new Map<number, Redis>();
  const client = (db: number): Redis => {
    let found = clients.get(db);
    if (!found) {
      found = new Redis({ host: '127.0.0.1', port: 6379, db });
      clients.set(db, found);
    }
    return found;
  };
  return {
    keyPrefix,
    endpoint: (db) => ({ host: '127.0.0.1', port: 6379, db, timeoutMs: 5_000, keyPrefix }),
    client,
    cleanup: async () => {
      for (const db of [0, 1]) client(db);
      for (const redis of clients.values()) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
        await redis.quit();
      }
    },
  };
}
