/**
 * The behaviour every TrackerStore must have, written once. Each store's test file calls
 * `runTrackerStoreContract` with a factory that opens the store against its real server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TrackerEvent } from '../../src/shared/events.js';
import type { TrackerStore } from '../../src/stores/types.js';

export interface TrackerStoreContract {
  /** Opens a store on the shared storage; a second call models a restarted server. */
  open(): Promise<TrackerStore>;
  /** Events fetched from the server so far by `store`, when the store counts them. */
  eventsRead?(store: TrackerStore): number;
  /** Tests this store cannot pass, each with the reason. */
  skip?: Partial<Record<ContractTest, string>>;
}

export type ContractTest = 'bounded reads' | 'restart';

let counter = 0;
/** A conversation id unique to this test run. */
export function conversationId(label: string): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

const BASE = 1_700_000_000.123456;

export function userEvent(text: string, timestamp = BASE): TrackerEvent {
  return {
    event: 'user',
    timestamp,
    metadata: { model_id: 'm1' },
    text,
    parse_data: {
      text,
      intent: { name: 'greet', confidence: 0.97 },
      entities: [{ entity: 'name', value: 'Zoë', start: 0, end: 3 }],
      intent_ranking: [{ name: 'greet', confidence: 0.97 }],
    },
    input_channel: 'rest',
    message_id: `m-${text}`,
  };
}

export function actionEvent(name: string, timestamp = BASE): TrackerEvent {
  return {
    event: 'action',
    timestamp,
    name,
    policy: 'RulePolicy',
    confidence: 1,
    action_text: null,
    hide_rule_turn: false,
  };
}

export function botEvent(text: string, timestamp = BASE): TrackerEvent {
  return {
    event: 'bot',
    timestamp,
    metadata: { utter_action: 'utter_greet' },
    text,
    data: { elements: null, quick_replies: null, buttons: [{ title: 'Yes', payload: '/affirm' }], attachment: null, image: null, custom: null },
  };
}

/** What `action_session_start` writes when a session begins. */
export function sessionStart(timestamp = BASE): TrackerEvent[] {
  return [
    actionEvent('action_session_start', timestamp),
    { event: 'session_started', timestamp },
    { event: 'slot', timestamp, name: 'mood', value: { nested: ['ok', 1.5, null] } },
    actionEvent('action_listen', timestamp),
  ];
}

export function runTrackerStoreContract(name: string, contract: TrackerStoreContract): void {
  describe(`${name}: tracker store contract`, () => {
    const opened: TrackerStore[] = [];
    const open = async (): Promise<TrackerStore> => {
      const store = await contract.open();
      opened.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
    });
    const skipped = (test: ContractTest) => contract.skip?.[test] !== undefined;

    it('returns undefined for a conversation that was never stored', async () => {
      const store = await open();
      expect(await store.retrieve(conversationId('unknown'))).toBeUndefined();
      expect(await store.retrieve(conversationId('unknown'), { allSessions: true })).toBeUndefined();
    });

    it('returns appended events in order, exactly as written', async () => {
      const store = await open();
      const id = conversationId('roundtrip');
      const events = [
        ...sessionStart(BASE),
        userEvent('héllo 👋 "quoted" \\ back', BASE + 0.000001),
        botEvent('Hi there!\n\nSecond paragraph', BASE + 1),
        { event: 'active_loop', timestamp: BASE + 2, name: null },
        { event: 'reset_slots', timestamp: BASE + 3, metadata: { source: 'test' } },
      ] satisfies TrackerEvent[];
      await store.append(id, events);
      expect(await store.retrieve(id)).toEqual(events);
    });

    it('appends to what is stored and never rewrites it', async () => {
      const store = await open();
      const id = conversationId('append');
      await store.append(id, [userEvent('one')]);
      await store.append(id, [actionEvent('utter_one'), botEvent('first')]);
      await store.append(id, [userEvent('two')]);
      const texts = (await store.retrieve(id))?.map((event) => ('text' in event ? event.text : event.event));
      expect(texts).toEqual(['one', 'action', 'first', 'two']);
    });

    it('counts the stored events of every session without reading them, 0 for an unknown conversation', async () => {
      const store = await open();
      expect(store.eventCount).toBeDefined();
      const id = conversationId('count');
      const before = contract.eventsRead?.(store);
      expect(await store.eventCount?.(id)).toBe(0);
      await store.append(id, [...sessionStart(BASE), userEvent('first')]);
      await store.append(id, [...sessionStart(BASE + 100), userEvent('second')]);
      expect(await store.eventCount?.(id)).toBe(10);
      expect(contract.eventsRead?.(store)).toBe(before);
    });

    it('ignores an empty append and does not create the conversation', async () => {
      const store = await open();
      const id = conversationId('empty');
      await store.append(id, []);
      expect(await store.retrieve(id)).toBeUndefined();
      expect(await store.keys()).not.toContain(id);
    });

    it('returns only the latest session, from its action_session_start on', async () => {
      const store = await open();
      const id = conversationId('sessions');
      await store.append(id, [...sessionStart(BASE), userEvent('old'), botEvent('old reply')]);
      await store.append(id, [userEvent('still old'), ...sessionStart(BASE + 100), userEvent('new')]);
      const latest = await store.retrieve(id);
      expect(latest?.[0]).toEqual(actionEvent('action_session_start', BASE + 100));
      expect(latest?.map((event) => event.event)).toEqual(['action', 'session_started', 'slot', 'action', 'user']);
    });

    it('returns every session when allSessions is set (retrieve_events_from_previous_conversation_sessions)', async () => {
      const store = await open();
      const id = conversationId('all-sessions');
      const first = [...sessionStart(BASE), userEvent('first session')];
      const second = [...sessionStart(BASE + 100), userEvent('second session')];
      await store.append(id, first);
      await store.append(id, second);
      expect(await store.retrieve(id, { allSessions: true })).toEqual([...first, ...second]);
    });

    it('uses the last session start when one append holds several', async () => {
      const store = await open();
      const id = conversationId('several');
      await store.append(id, [...sessionStart(BASE), userEvent('a'), ...sessionStart(BASE + 1), userEvent('b')]);
      const latest = await store.retrieve(id);
      expect(latest).toHaveLength(5);
      expect(latest?.[4]).toEqual(userEvent('b'));
    });

    it('treats a conversation without any session start as one session', async () => {
      const store = await open();
      const id = conversationId('no-session');
      await store.append(id, [userEvent('x'), actionEvent('session_started_is_not_a_start')]);
      expect(await store.retrieve(id)).toHaveLength(2);
    });

    it('keeps conversations apart, even when their ids differ only in case, spaces or symbols', async () => {
      const store = await open();
      const base = conversationId('Ann');
      const ids = [base, base.toLowerCase(), `${base} `, `${base}:*`, `${base}?[x]`, `${base}é`];
      await Promise.all(ids.map((id, index) => store.append(id, [userEvent(`message ${index}`)])));
      for (const [index, id] of ids.entries()) {
        const events = await store.retrieve(id);
        expect(events).toEqual([userEvent(`message ${index}`)]);
      }
      const keys = await store.keys();
      for (const id of ids) expect(keys).toContain(id);
    });

    it('lists every stored conversation in keys()', async () => {
      const store = await open();
      const ids = [conversationId('keys-a'), conversationId('keys-b')];
      for (const id of ids) await store.append(id, [userEvent('hi')]);
      expect(await store.keys()).toEqual(expect.arrayContaining(ids));
    });

    it('keeps each conversation in order under concurrent appends to many conversations', async () => {
      const store = await open();
      const ids = Array.from({ length: 8 }, (_, index) => conversationId(`parallel-${index}`));
      await Promise.all(
        ids.map(async (id) => {
          for (let turn = 0; turn < 5; turn += 1) await store.append(id, [userEvent(`${turn}`)]);
        }),
      );
      for (const id of ids) {
        const texts = (await store.retrieve(id))?.map((event) => (event.event === 'user' ? event.text : ''));
        expect(texts).toEqual(['0', '1', '2', '3', '4']);
      }
    });

    it.skipIf(skipped('restart'))('shows a restarted store (a new instance) the same conversations', async () => {
      const first = await open();
      const id = conversationId('restart');
      await first.append(id, [...sessionStart(BASE), userEvent('before restart')]);
      await first.close();
      const second = await open();
      expect(await second.retrieve(id)).toEqual([...sessionStart(BASE), userEvent('before restart')]);
      await second.append(id, [botEvent('after restart')]);
      expect((await second.retrieve(id))?.at(-1)).toEqual(botEvent('after restart'));
      expect(await second.keys()).toContain(id);
    });

    it.skipIf(skipped('bounded reads') || !contract.eventsRead)(
      'reads only the latest session, whether the history holds 10 or 100,000 events',
      async () => {
        const store = await open();
        const read = () => contract.eventsRead!(store);
        const shortId = conversationId('short');
        const longId = conversationId('long');
        const session = [...sessionStart(BASE + 1_000), userEvent('latest')];

        await store.append(shortId, [...Array.from({ length: 5 }, (_, i) => userEvent(`old ${i}`)), ...session]);
        const history = Array.from({ length: 100_000 - session.length }, (_, i) =>
          i % 2 === 0 ? userEvent(`old ${i}`, BASE + i / 1000) : actionEvent('action_listen', BASE + i / 1000),
        );
        for (let start = 0; start < history.length; start += 10_000) {
          await store.append(longId, history.slice(start, start + 10_000));
        }
        await store.append(longId, session);

        const beforeShort = read();
        expect(await store.retrieve(shortId)).toEqual(session);
        const shortCost = read() - beforeShort;

        const beforeLong = read();
        expect(await store.retrieve(longId)).toEqual(session);
        const longCost = read() - beforeLong;

        expect(shortCost).toBe(session.length);
        expect(longCost).toBe(session.length);

        const beforeAll = read();
        expect(await store.retrieve(longId, { allSessions: true })).toHaveLength(100_000);
        expect(read() - beforeAll).toBe(100_000);
      },
      120_000,
    );
  });
}
