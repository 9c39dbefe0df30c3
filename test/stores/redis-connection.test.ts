import { describe, expect, it } from 'vitest';
import { EndpointOptions } from '../../src/stores/endpoint-options.js';
import { escapeGlob, readRedisEndpoint } from '../../src/stores/redis-connection.js';

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
