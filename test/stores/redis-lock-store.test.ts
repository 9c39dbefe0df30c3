import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { RedisLockStore } from '../../src/stores/redis-lock-store.js';
import { runLockStoreContract, SectionLog } from '../contracts/lock-store.contract.js';
import { conversationId } from '../contracts/tracker-store.contract.js';
import { redisTarget } from './redis-target.js';

const logger = silentLogger();
const target = redisTarget('lock');
const stores: RedisLockStore[] = [];

/** A lock store with its own Redis connections, as a separate Parley server would have. */
async function server(lockLifetimeMs = 60_000): Promise<RedisLockStore> {
  const store = await RedisLockStore.open({ endpoint: target.endpoint(1), logger, lockLifetimeMs, startupTimeoutMs: 2_000 });
  stores.push(store);
  return store;
}

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await target.cleanup();
});

runLockStoreContract('redis', { open: () => server() });

describe('Redis lock store across servers', () => {
  it('never lets two servers hammering one conversation overlap, and serves tickets in order', async () => {
    const [first, second] = await Promise.all([server(), server()]);
    const id = conversationId('hammer');
    const log = new SectionLog();
    const issued: number[] = [];
    const worker = async (store: RedisLockStore, rounds: number) => {
      for (let round = 0; round < rounds; round += 1) {
        const ticket = await store.issueTicket(id);
        issued.push(ticket.number);
        await store.runWithTicket(ticket, () => log.run(String(ticket.number)));
      }
    };
    await Promise.all(
      Array.from({ length: 12 }, (_, index) => worker(index % 2 === 0 ? first : second, 15)),
    );

    expect(log.maxActive).toBe(1);
    expect(new Set(issued).size).toBe(issued.length); // no ticket was handed out twice
    const served = log.order.map(Number);
    expect(served).toHaveLength(12 * 15);
    expect(served).toEqual([...served].sort((a, b) => a - b));
  });

  it('keeps the call order of each server while both call withLock on one conversation', async () => {
    const [first, second] = await Promise.all([server(), server()]);
    const id = conversationId('two-servers');
    const log = new SectionLog();
    await Promise.all(
      Array.from({ length: 40 }, (_, index) => {
        const store = index % 2 === 0 ? first : second;
        return store.withLock(id, () => log.run(`${index % 2 === 0 ? 'a' : 'b'}${index}`));
      }),
    );
    expect(log.maxActive).toBe(1);
    for (const name of ['a', 'b']) {
      const mine = log.order.filter((label) => label.startsWith(name)).map((label) => Number(label.slice(1)));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  });

  it('lets the conversation go on after the server holding its lock crashed, once the lifetime passes', async () => {
    const crashed = await server(500);
    const survivor = await server(500);
    const id = conversationId('crash');
    // The crashed server took a ticket and then died: it never renews and never releases.
    await crashed.issueTicket(id);
    await crashed.close();
    await expect(survivor.withLock(id, async () => 'served')).resolves.toBe('served');
  });

  it('renews the lock while a task runs longer than the lifetime', async () => {
    const [first, second] = await Promise.all([server(300), server(300)]);
    const id = conversationId('renewal');
    const events: string[] = [];
    let started!: () => void;
    const holderStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const holder = first.withLock(id, async () => {
      events.push('long task start');
      started();
      await sleep(1_500); // five lifetimes
      events.push('long task end');
    });
    await holderStarted;
    await second.withLock(id, async () => {
      events.push('next task');
    });
    await holder;
    expect(events).toEqual(['long task start', 'long task end', 'next task']);
  });

  it('fails a waiting call with a coded error when Redis lost the queue', async () => {
    const store = await server();
    const id = conversationId('lost');
    let releaseHolder!: () => void;
    const holderMayEnd = new Promise<void>((resolve) => {
      releaseHolder = resolve;
    });
    let started!: () => void;
    const holderStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const holder = store.withLock(id, async () => {
      started();
      await holderMayEnd;
    });
    await holderStarted;
    const waiter = store.withLock(id, async () => 'never');
    await sleep(20);
    const redis = target.client(1);
    await redis.del(`${target.keyPrefix}:lock:queue:${id}`, `${target.keyPrefix}:lock:alive:${id}`);
    await expect(waiter).rejects.toMatchObject({ code: 'PARLEY_ERR_LOCK_LOST' });
    releaseHolder();
    await holder;
  });

  it('leaves no ticket behind once every task finished', async () => {
    const store = await server();
    const id = conversationId('clean');
    await Promise.all([1, 2, 3].map(() => store.withLock(id, async () => undefined)));
    const redis = target.client(1);
    expect(await redis.exists(`${target.keyPrefix}:lock:queue:${id}`, `${target.keyPrefix}:lock:alive:${id}`)).toBe(0);
    const counterTtl = await redis.pttl(`${target.keyPrefix}:lock:last_ticket:${id}`);
    expect(counterTtl).toBeGreaterThan(0);
  });
});
