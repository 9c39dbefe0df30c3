import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { RedisTrackerStore } from '../../src/stores/redis-tracker-store.js';
import { conversationId, runTrackerStoreContract, sessionStart, userEvent } from '../contracts/tracker-store.contract.js';
import { redisTarget } from './redis-target.js';

const logger = silentLogger();
const target = redisTarget('trk');
const stores: RedisTrackerStore[] = [];

async function open(options: { recordExpirySeconds?: number; db?: number } = {}): Promise<RedisTrackerStore> {
  const store = await RedisTrackerStore.open({
    endpoint: target.endpoint(options.db ?? 0),
    recordExpirySeconds: options.recordExpirySeconds,
    logger,
    startupTimeoutMs: 2_000,
  });
  stores.push(store);
  return store;
}

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await target.cleanup();
});

runTrackerStoreContract('redis', {
  open: () => open(),
  eventsRead: (store) => (store as RedisTrackerStore).stats.eventsRead,
});

describe('Redis tracker store', () => {
  it("keeps a conversation at Rasa's key, <key_prefix>:tracker:<id>, as a list of event JSON", async () => {
    const store = await open();
    const id = conversationId('layout');
    await store.append(id, [...sessionStart(), userEvent('hi')]);
    const redis = target.client(0);
    expect(await redis.type(`${target.keyPrefix}:tracker:${id}`)).toBe('list');
    expect(await redis.llen(`${target.keyPrefix}:tracker:${id}`)).toBe(5);
    expect(await redis.get(`${target.keyPrefix}:tracker_session:${id}`)).toBe('0');
  });

  it('lets a conversation expire record_exp seconds after its last append', async () => {
    const store = await open({ recordExpirySeconds: 120 });
    const id = conversationId('expiry');
    await store.append(id, [...sessionStart(), userEvent('hi')]);
    const redis = target.client(0);
    const ttl = await redis.ttl(`${target.keyPrefix}:tracker:${id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120);
    expect(await redis.ttl(`${target.keyPrefix}:tracker_session:${id}`)).toBeGreaterThan(0);
  });

  it('keeps no expiry without record_exp', async () => {
    const store = await open();
    const id = conversationId('no-expiry');
    await store.append(id, [userEvent('hi')]);
    expect(await target.client(0).ttl(`${target.keyPrefix}:tracker:${id}`)).toBe(-1);
  });

  it('uses the configured db', async () => {
    const store = await open({ db: 1 });
    const id = conversationId('db');
    await store.append(id, [userEvent('hi')]);
    expect(await target.client(1).exists(`${target.keyPrefix}:tracker:${id}`)).toBe(1);
    expect(await target.client(0).exists(`${target.keyPrefix}:tracker:${id}`)).toBe(0);
  });

  it("explains a tracker saved by Rasa's RedisTrackerStore instead of failing obscurely", async () => {
    const store = await open();
    const id = conversationId('rasa-format');
    await target.client(0).set(`${target.keyPrefix}:tracker:${id}`, JSON.stringify({ sender_id: id, events: [] }));
    await expect(store.retrieve(id)).rejects.toMatchObject({ code: 'PARLEY_ERR_STORE_SCHEMA' });
  });

  it('fails at startup with a coded error when Redis does not answer', async () => {
    const error = await RedisTrackerStore.open({
      endpoint: { host: '127.0.0.1', port: 1, db: 0, timeoutMs: 200 },
      logger,
      startupTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_STORE_UNAVAILABLE' });
    expect((error as Error).message).toContain('127.0.0.1:1');
  });
});
