/**
 * The real PostgreSQL (127.0.0.1:5432, db `test`) and Redis (127.0.0.1:6379) the store benchmarks
 * use, and a private place in each for one run: a schema and a key prefix, removed at the end.
 */
import { Redis } from 'ioredis';
import pg from 'pg';

export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
export const REDIS = { host: '127.0.0.1', port: 6379 };

/**
 * Creates the schema `parley_bench_<tag>_<unique>` and reserves the Redis key prefix
 * `parleybench<tag><unique>`. `cleanUp()` drops the schema and deletes every key under the
 * prefix, once, whether called at the end or on SIGINT/SIGTERM (then the process exits with 130).
 * Failures to clean up are printed under `benchmark`'s name, not thrown.
 * @param {{ benchmark: string, tag: string }} names
 * @returns {Promise<{ schema: string, keyPrefix: string, cleanUp: () => Promise<void> }>}
 */
export async function privateStoreSpace({ benchmark, tag }) {
  const unique = `${process.pid}${Date.now().toString(36)}`;
  const schema = `parley_bench_${tag}_${unique}`;
  const keyPrefix = `parleybench${tag}${unique}`;
  const admin = new pg.Client(POSTGRES);
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  let cleaned;
  const cleanUp = () => {
    cleaned ??= (async () => {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((error) => console.error(`${benchmark}: could not drop schema ${schema}: ${error.message}`));
      await admin.end().catch(() => undefined);
      await deleteRedisKeys(`${keyPrefix}*`).catch((error) => console.error(`${benchmark}: could not delete Redis keys ${keyPrefix}*: ${error.message}`));
    })();
    return cleaned;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      void cleanUp().finally(() => process.exit(130));
    });
  }
  return { schema, keyPrefix, cleanUp };
}

/** Deletes every key of db 0 that matches the glob `pattern`. */
export async function deleteRedisKeys(pattern) {
  const redis = new Redis({ ...REDIS, db: 0, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
