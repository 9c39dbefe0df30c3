import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { EndpointOptions } from '../../src/stores/endpoint-options.js';
import { connectRedis, escapeGlob, readRedisEndpoint, redisKeyPrefix, whenRedisAnswers, type RedisEndpoint } from '../../src/stores/redis-connection.js';

const read = (body: Record<string, unknown>, db = 0) =>
  readRedisEndpoint(new EndpointOptions(body, { section: 'tracker_store' }), { db });

describe('Redis endpoint settings', () => {
  it("defaults to Rasa's localhost:6379, the given db and a 10 s socket timeout", () => {
    expect(read({}, 1)).toMatchObject({ host: 'localhost', port: 6379, db: 1, timeoutMs: 10_000 });
  });

  it('reads url as a host and the other keys as written', () => {
    expect(read({ url: 'cache', port: '6380', db: 3, password: 'pw', socket_timeout: 2, key_prefix: 'bot1' })).toMatchObject({
      host: 'cache',
      port: 6380,
      db: 3,
      password: 'pw',
      timeoutMs: 2_000,
      keyPrefix: 'bot1',
    });
  });

  it('reads a redis:// URL with credentials and db, letting explicit keys win', () => {
    expect(read({ url: 'redis://user:secret@cache:6390/4', db: 5 })).toMatchObject({
      host: 'cache',
      port: 6390,
      db: 5,
      username: 'user',
      password: 'secret',
    });
  });

  it('escapes glob characters for SCAN MATCH', () => {
    expect(escapeGlob('a*b?c[d]\\')).toBe('a\\*b\\?c\\[d\\]\\\\');
  });
});

describe('Redis key prefixes', () => {
  it("follows Rasa's layout: `<key_prefix>:<kind>:` with a prefix, `<kind>:` without", () => {
    expect(redisKeyPrefix('bot1', 'tracker')).toBe('bot1:tracker:');
    expect(redisKeyPrefix(undefined, 'lock')).toBe('lock:');
  });
});

describe('opening a store once Redis answers', () => {
  const storeOn = (endpoint: RedisEndpoint) => {
    const client = connectRedis(endpoint, silentLogger(), 'parley-test');
    const store = {
      closed: false,
      async close() {
        store.closed = true;
        client.disconnect();
      },
    };
    return { store, client };
  };

  it('returns the store when Redis answers', async () => {
    const endpoint = { host: '127.0.0.1', port: 6379, db: 0, timeoutMs: 5_000 };
    const { store, client } = storeOn(endpoint);
    await expect(whenRedisAnswers(store, client, { endpoint, logger: silentLogger() })).resolves.toBe(store);
    expect(store.closed).toBe(false);
    await store.close();
  });

  it('closes the store and names the target when Redis does not answer in time', async () => {
    // Port 1 on loopback: nothing listens, so every connection attempt is refused at once.
    const endpoint = { host: '127.0.0.1', port: 1, db: 2, timeoutMs: 200 };
    const { store, client } = storeOn(endpoint);
    const opening = whenRedisAnswers(store, client, { endpoint, logger: silentLogger(), startupTimeoutMs: 300 });
    await expect(opening).rejects.toMatchObject({ code: 'PARLEY_ERR_STORE_UNAVAILABLE', message: expect.stringContaining('Redis at 127.0.0.1:1 (db 2)') });
    expect(store.closed).toBe(true);
  });
});
