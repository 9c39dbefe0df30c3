/**
 * The behaviour every EventBroker must have, written once. Each broker's test file calls
 * `runEventBrokerContract` with a factory for its real server and a way to read what arrived.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { EventBroker } from '../../src/brokers/types.js';
import { actionEvent, botEvent, conversationId, sessionStart, userEvent } from './tracker-store.contract.js';

export interface EventBrokerContract {
  /** A broker publishing to the server under test. */
  open(): Promise<EventBroker>;
  /** Message bodies that reached the server since the last call, in arrival order. */
  received(): Promise<string[]>;
}

export function runEventBrokerContract(name: string, contract: EventBrokerContract): void {
  describe(`${name}: event broker contract`, () => {
    const opened: EventBroker[] = [];
    const open = async (): Promise<EventBroker> => {
      const broker = await contract.open();
      opened.push(broker);
      return broker;
    };
    const receivedFor = async (senderId: string) =>
      (await contract.received())
        .map((body) => JSON.parse(body) as Record<string, unknown>)
        .filter((message) => message.sender_id === senderId);
    afterAll(async () => {
      await Promise.all(opened.map((broker) => broker.close()));
    });

    it("publishes every event as Rasa does: sender_id first, then the event's JSON", async () => {
      const broker = await open();
      const id = conversationId('format');
      const events = [...sessionStart(), userEvent('hi'), botEvent('hello')];
      broker.publish(id, events);
      expect(await broker.flush()).toBe(true);
      const bodies = (await contract.received()).filter((body) => body.includes(id));
      expect(bodies).toHaveLength(events.length);
      for (const body of bodies) expect(body.startsWith(`{"sender_id":${JSON.stringify(id)},"event":`)).toBe(true);
      expect(bodies.map((body) => JSON.parse(body))).toEqual(events.map((event) => ({ sender_id: id, ...event })));
    });

    it('delivers the events of each conversation in the order they were published', async () => {
      const broker = await open();
      const first = conversationId('order-a');
      const second = conversationId('order-b');
      for (let turn = 0; turn < 150; turn += 1) {
        broker.publish(first, [userEvent(`a${turn}`)]);
        broker.publish(second, [userEvent(`b${turn}`), actionEvent('action_listen')]);
      }
      expect(await broker.flush()).toBe(true);
      const all = await contract.received();
      const texts = (id: string) =>
        all
          .map((body) => JSON.parse(body) as { sender_id: string; event: string; text?: string })
          .filter((message) => message.sender_id === id && message.event === 'user')
          .map((message) => message.text);
      expect(texts(first)).toEqual(Array.from({ length: 150 }, (_, turn) => `a${turn}`));
      expect(texts(second)).toEqual(Array.from({ length: 150 }, (_, turn) => `b${turn}`));
    });

    it('counts what it published and holds nothing back once flushed', async () => {
      const broker = await open();
      const before = broker.stats().published;
      broker.publish(conversationId('stats'), [userEvent('one'), userEvent('two')]);
      broker.publish(conversationId('stats'), []);
      expect(await broker.flush()).toBe(true);
      expect(broker.stats()).toMatchObject({ published: before + 2, buffered: 0, dropped: 0, connected: true });
      await contract.received();
    });

    it('delivers what is still buffered when it is closed', async () => {
      const broker = await contract.open();
      const id = conversationId('close');
      broker.publish(id, Array.from({ length: 30 }, (_, index) => userEvent(`${index}`)));
      await broker.close();
      expect(await receivedFor(id)).toHaveLength(30);
    });

    it('drops (and counts) events published after close instead of throwing', async () => {
      const broker = await contract.open();
      await broker.close();
      expect(() => broker.publish(conversationId('late'), [userEvent('late')])).not.toThrow();
      expect(broker.stats().dropped).toBe(1);
    });
  });
}
