/**
 * The behaviour every LockStore must have, written once. Each lock store's test file calls
 * `runLockStoreContract` with a factory that opens the store against its real server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LockStore } from '../../src/stores/types.js';
import { conversationId } from './tracker-store.contract.js';

export interface LockStoreContract {
  open(): Promise<LockStore>;
}

/** Records entries and exits of critical sections and notices any overlap. */
export class SectionLog {
  readonly order: string[] = [];
  #active = 0;
  maxActive = 0;

  async run(label: string, work: () => Promise<void> = async () => undefined): Promise<void> {
    this.#active += 1;
    this.maxActive = Math.max(this.maxActive, this.#active);
    this.order.push(label);
    try {
      // Yield to the event loop several times so that an overlapping section would get in.
      for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
      await work();
    } finally {
      this.#active -= 1;
    }
  }
}

export function runLockStoreContract(name: string, contract: LockStoreContract): void {
  describe(`${name}: lock store contract`, () => {
    const opened: LockStore[] = [];
    const open = async (): Promise<LockStore> => {
      const store = await contract.open();
      opened.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
    });

    it("runs the task and returns the task's value", async () => {
      const store = await open();
      await expect(store.withLock(conversationId('value'), async () => 42)).resolves.toBe(42);
    });

    it("rejects with the task's error and frees the lock for the next caller", async () => {
      const store = await open();
      const id = conversationId('error');
      await expect(
        store.withLock(id, async () => {
          throw new Error('task failed');
        }),
      ).rejects.toThrow('task failed');
      await expect(store.withLock(id, async () => 'next')).resolves.toBe('next');
    });

    it('runs the tasks of one conversation one at a time, in the order they were called', async () => {
      const store = await open();
      const id = conversationId('fifo');
      const log = new SectionLog();
      await Promise.all(
        Array.from({ length: 25 }, (_, index) => store.withLock(id, () => log.run(String(index)))),
      );
      expect(log.maxActive).toBe(1);
      expect(log.order).toEqual(Array.from({ length: 25 }, (_, index) => String(index)));
    });

    it('lets different conversations run at the same time', async () => {
      const store = await open();
      const first = conversationId('parallel-a');
      const second = conversationId('parallel-b');
      let releaseFirst!: () => void;
      const firstMayEnd = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      // The first task can only end once the second conversation's task ran: a store that
      // serialised unrelated conversations would never finish this test.
      const running = store.withLock(first, () => firstMayEnd);
      await store.withLock(second, async () => releaseFirst());
      await running;
    });

    it('serves a caller that arrives while the lock is held, after the holder', async () => {
      const store = await open();
      const id = conversationId('handoff');
      const events: string[] = [];
      let releaseHolder!: () => void;
      const holderMayEnd = new Promise<void>((resolve) => {
        releaseHolder = resolve;
      });
      let holderStarted!: () => void;
      const started = new Promise<void>((resolve) => {
        holderStarted = resolve;
      });
      const holder = store.withLock(id, async () => {
        events.push('holder start');
        holderStarted();
        await holderMayEnd;
        events.push('holder end');
      });
      await started;
      const waiter = store.withLock(id, async () => {
        events.push('waiter');
      });
      for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
      releaseHolder();
      await Promise.all([holder, waiter]);
      expect(events).toEqual(['holder start', 'holder end', 'waiter']);
    });
  });
}
