import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferedEventBroker } from '../../src/brokers/buffered-broker.js';
import { createEventBroker } from '../../src/brokers/broker-registry.js';
import { silentLogger } from '../../src/logger.js';
import { createStoresFromEndpoints } from '../../src/stores/create-stores.js';
import { createLockStore } from '../../src/stores/lock-store-registry.js';
import { RedisLockStore } from '../../src/stores/redis-lock-store.js';
import { RedisTrackerStore } from '../../src/stores/redis-tracker-store.js';
import { SqlTrackerStore } from '../../src/stores/sql-tracker-store.js';
import { createTrackerStore } from '../../src/stores/tracker-store-registry.js';
import { sessionStart, userEvent } from '../contracts/tracker-store.contract.js';
import { redisTarget } from './redis-target.js';

const logger = silentLogger();
const roots: string[] = [];
const redis = redisTarget('reg');

function projectRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-stores-'));
  roots.push(root);
  return root;
}

afterAll(async () => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  await redis.cleanup();
});

describe('createStoresFromEndpoints', () => {
  it('keeps conversations in <project>/.parley/conversations.db when endpoints.yml names no tracker store', async () => {
    const root = projectRoot();
    const stores = await createStoresFromEndpoints(null, { projectRoot: root, logger });
    expect(stores.trackerStore.type).toBe('sqlite');
    expect(stores.lockStore.type).toBe('in_memory');
    expect(stores.broker).toBeUndefined();
    await stores.trackerStore.append('visitor', [userEvent('hi')]);
    await stores.close();
    expect(fs.existsSync(path.join(root, '.parley', 'conversations.db'))).toBe(true);

    const reopened = await createStoresFromEndpoints({}, { projectRoot: root, logger });
    expect(await reopened.trackerStore.retrieve('visitor')).toEqual([userEvent('hi')]);
    await reopened.close();
  });

  it('uses the in-memory tracker store when asked to default to it', async () => {
    const stores = await createStoresFromEndpoints(null, { projectRoot: projectRoot(), logger, defaultTrackerStore: 'in_memory' });
    expect(stores.trackerStore.type).toBe('in_memory');
    await stores.close();
  });

  it('opens every store endpoints.yml names, choosing types case-insensitively', async () => {
    const stores = await createStoresFromEndpoints(
      {
        tracker_store: { type: 'Redis', url: '127.0.0.1', key_prefix: redis.keyPrefix },
        lock_store: { type: 'REDIS', url: '127.0.0.1', key_prefix: redis.keyPrefix },
        event_broker: { type: 'sql', db: 'events.db' },
      },
      { projectRoot: projectRoot(), logger },
    );
    expect(stores.trackerStore).toBeInstanceOf(RedisTrackerStore);
    expect(stores.lockStore).toBeInstanceOf(RedisLockStore);
    expect(stores.broker).toBeInstanceOf(BufferedEventBroker);
    await stores.lockStore.withLock('both', () => stores.trackerStore.append('both', [userEvent('hi')]));
    stores.broker?.publish('both', [userEvent('hi')]);
    await stores.close();
    expect(stores.broker?.stats()).toMatchObject({ published: 1, buffered: 0 });
  });

  it('closes what it already opened when a later store fails', async () => {
    const root = projectRoot();
    const error = await createStoresFromEndpoints(
      { lock_store: { type: 'etcd' } },
      { projectRoot: root, logger },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_ENDPOINT_CONFIG' });
    // SQLite removes the write-ahead log when the last connection to the file closes.
    expect(fs.existsSync(path.join(root, '.parley', 'conversations.db'))).toBe(true);
    expect(fs.existsSync(path.join(root, '.parley', 'conversations.db-wal'))).toBe(false);
  });
});

describe('tracker store registry', () => {
  it('refuses an unknown type and lists the known ones (no silent fallback to memory)', async () => {
    const error = await createTrackerStore({ type: 'cassandra' }, { projectRoot: '/', logger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_ENDPOINT_CONFIG' });
    expect((error as Error).message).toContain('in_memory, sqlite, sql, redis');
  });

  it("points Rasa users of unsupported stores and custom classes to what exists", async () => {
    const mongo = await createTrackerStore({ type: 'mongod' }, { projectRoot: '/', logger }).catch((e: Error) => e);
    expect((mongo as Error).message).toContain('no MongoDB tracker store');
    const custom = await createTrackerStore({ type: 'addons.MyStore' }, { projectRoot: '/', logger }).catch((e: Error) => e);
    expect((custom as Error).message).toContain('Python class path');
  });

  it('returns every session when retrieve_events_from_previous_conversation_sessions is true', async () => {
    const root = projectRoot();
    const store = await createTrackerStore(
      { type: 'sqlite', retrieve_events_from_previous_conversation_sessions: true },
      { projectRoot: root, logger },
    );
    const history = [userEvent('old'), ...sessionStart(), userEvent('new')];
    await store.append('all', history);
    expect(await store.retrieve('all')).toEqual(history);
    await store.close();
    const latestOnly = await createTrackerStore({ type: 'sqlite' }, { projectRoot: root, logger });
    expect(await latestOnly.retrieve('all')).toHaveLength(history.length - 1);
    await latestOnly.close();
  });

  it("reads Rasa's legacy store_type key", async () => {
    const store = await createTrackerStore({ store_type: 'in_memory' }, { projectRoot: '/', logger });
    expect(store.type).toBe('in_memory');
    await store.close();
  });

  it('maps `type: sql` with `dialect: sqlite` to a SQLite file relative to the project', async () => {
    const root = projectRoot();
    const store = await createTrackerStore({ type: 'sql', dialect: 'sqlite', db: 'bot.db' }, { projectRoot: root, logger });
    expect(store).toBeInstanceOf(SqlTrackerStore);
    await store.close();
    expect(fs.existsSync(path.join(root, 'bot.db'))).toBe(true);
  });

  it('names the bad key when an option has the wrong shape', async () => {
    const error = await createTrackerStore({ type: 'redis', port: 'six' }, { projectRoot: '/', logger }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_ENDPOINT_CONFIG', message: expect.stringContaining('`port`') });
  });

  it('refuses a key_prefix that is not alphanumeric instead of ignoring it as Rasa does', async () => {
    const error = await createTrackerStore({ type: 'redis', key_prefix: 'my-bot' }, { projectRoot: '/', logger }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_ENDPOINT_CONFIG', message: expect.stringContaining('key_prefix') });
  });
});

describe('lock store registry', () => {
  it('uses the in-memory lock store without a lock_store section', async () => {
    const store = await createLockStore(undefined, { projectRoot: '/', logger });
    expect(store.type).toBe('in_memory');
    await store.close();
  });

  it('reads the lock lifetime from TICKET_LOCK_LIFETIME and keeps locks in db 1 by default', async () => {
    process.env.TICKET_LOCK_LIFETIME = '7';
    try {
      const store = await createLockStore({ type: 'redis', url: '127.0.0.1', key_prefix: redis.keyPrefix }, { projectRoot: '/', logger });
      const ticket = await (store as RedisLockStore).issueTicket('lifetime');
      const ttl = await redis.client(1).pttl(`${redis.keyPrefix}:lock:alive:lifetime`);
      expect(ttl).toBeGreaterThan(7_000);
      expect(ttl).toBeLessThanOrEqual(14_000);
      await (store as RedisLockStore).runWithTicket(ticket, async () => undefined);
      await store.close();
    } finally {
      delete process.env.TICKET_LOCK_LIFETIME;
    }
  });

  it('refuses an unknown lock store type', async () => {
    await expect(createLockStore({ type: 'zookeeper' }, { projectRoot: '/', logger })).rejects.toMatchObject({
      code: 'PARLEY_ERR_ENDPOINT_CONFIG',
      message: expect.stringContaining('in_memory, redis'),
    });
  });
});

describe('event broker registry', () => {
  it('creates no broker without an event_broker section', async () => {
    expect(await createEventBroker(undefined, { projectRoot: '/', logger })).toBeUndefined();
  });

  it('refuses kafka with a pointer to the brokers that exist', async () => {
    await expect(createEventBroker({ type: 'kafka' }, { projectRoot: '/', logger })).rejects.toMatchObject({
      code: 'PARLEY_ERR_ENDPOINT_CONFIG',
      message: expect.stringContaining('pika, sql'),
    });
  });

  it('bounds the buffer by max_buffered_events', async () => {
    const broker = (await createEventBroker(
      { type: 'sql', db: 'events.db', max_buffered_events: 2 },
      { projectRoot: projectRoot(), logger },
    ))!;
    broker.publish('bounded', [userEvent('1'), userEvent('2'), userEvent('3')]);
    expect(broker.stats()).toMatchObject({ buffered: 2, dropped: 1 });
    await broker.close();
    expect(broker.stats().published).toBe(2);
  });
});
