import { describe, expect, it } from 'vitest';
import { createMemoryLockStore } from '../../src/stores/memory-lock-store.js';
import { runLockStoreContract, SectionLog } from '../contracts/lock-store.contract.js';

runLockStoreContract('in-memory', { open: async () => createMemoryLockStore() });

describe('in-memory lock store', () => {
  it("answers to endpoints.yml's in_memory type", () => {
    expect(createMemoryLockStore().type).toBe('in_memory');
  });

  it('keeps each of 50 senders in order while they run interleaved', async () => {
    const store = createMemoryLockStore();
    const logs = Array.from({ length: 50 }, () => new SectionLog());
    const jobs: Array<Promise<void>> = [];
    for (let message = 0; message < 4; message++) {
      logs.forEach((log, sender) => jobs.push(store.withLock(`sender-${sender}`, () => log.run(String(message)))));
    }
    await Promise.all(jobs);
    for (const log of logs) {
      expect(log.order).toEqual(['0', '1', '2', '3']);
      expect(log.maxActive).toBe(1);
    }
  });

  it('releases the lock when the task throws synchronously inside its promise chain', async () => {
    const store = createMemoryLockStore();
    const failing = store.withLock('ann', () => Promise.reject(new Error('nope')));
    const next = store.withLock('ann', async () => 'ran');
    await expect(failing).rejects.toThrow('nope');
    await expect(next).resolves.toBe('ran');
  });

  it('holds no state for senders whose tasks are done', async () => {
    const store = createMemoryLockStore();
    await Promise.all(Array.from({ length: 100 }, (_, index) => store.withLock(`sender-${index}`, async () => undefined)));
    await store.withLock('ann', () => Promise.reject(new Error('x'))).catch(() => undefined);
    expect(store.activeSenders).toBe(0);
  });

  it('lets the next task in once the holder exceeds the lock lifetime', async () => {
    const store = createMemoryLockStore({ lockLifetimeMs: 20 });
    let releaseHolder!: () => void;
    const holder = store.withLock('ann', () => new Promise<void>((resolve) => (releaseHolder = resolve)));
    await expect(store.withLock('ann', async () => 'got in')).resolves.toBe('got in');
    releaseHolder();
    await holder;
    expect(store.activeSenders).toBe(0);
  });
});
