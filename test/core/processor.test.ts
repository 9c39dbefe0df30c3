import { beforeAll, describe, expect, it } from 'vitest';
import { parseActionEndpoint } from '../../src/core/actions/action-server.js';
import { actionExecuted, simpleEvent, slotSet, userUttered } from '../../src/core/events.js';
import type { PolicyTracker } from '../../src/core/policies/types.js';
import { MessageProcessor } from '../../src/core/processor.js';
import { silentLogger } from '../../src/logger.js';
import type { Domain } from '../../src/shared/domain.js';
import type { TrackerEvent } from '../../src/shared/events.js';
import { MemoryLockStore } from '../../src/stores/memory-lock-store.js';
import { MemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import { startActionServer } from './helpers/action-server.js';
import { domainFromYaml, fixtureDomain } from './helpers/domain.js';
import { describeEvents, setupProcessor } from './helpers/processor-setup.js';
import { capturingLogger, CollectingOutput, ruleLikePolicies, scriptedInterpreter } from './helpers/scripted.js';

const DOMAIN_YAML = `
version: "3.1"
intents: [greet, inform, chitchat, bye]
entities: [cuisine]
slots:
  cuisine:
    type: text
    mappings:
    - type: from_entity
      entity: cuisine
  vip:
    type: bool
    mappings:
    - type: custom
responses:
  utter_greet:
  - text: "Hello!"
  - condition:
    - type: slot
      name: vip
      value: true
    text: "Welcome back, VIP"
  - text: "Hi from the socket"
    channel: socketio
  utter_cuisine:
  - text: "You like {cuisine} food"
  utter_unknown_var:
  - text: "Your {unknown_thing}"
  utter_restart:
  - text: "restarted"
  utter_default:
  - text: "Sorry, I did not get that"
actions:
  - action_custom
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
`;

const interpreter = scriptedInterpreter({
  hi: { intent: 'greet' },
  'thai please': { intent: 'inform', entities: [{ entity: 'cuisine', value: 'thai', start: 0, end: 4, extractor: 'DIETClassifier' }] },
  'how are you': { intent: 'chitchat' },
  'gibberish text': { intent: 'nlu_fallback', confidence: 0.3 },
});

let domain: Domain;
beforeAll(async () => {
  domain = await domainFromYaml(DOMAIN_YAML);
});

/** After a user message: answer per intent; after any other action: listen. */
function byIntent(map: Record<string, string>) {
  return (tracker: PolicyTracker) => {
    if (tracker.latestActionName !== 'action_listen') return 'action_listen';
    return map[tracker.latestMessage?.intent.name ?? ''] ?? 'action_listen';
  };
}

describe('a new conversation (§15 item 1)', () => {
  it('logs exactly session start, user message, the response and listen, all with model ids', async () => {
    const moodbot = await fixtureDomain('moodbot');
    const { send, stored, output } = setupProcessor({
      domain: moodbot,
      interpreter,
      decide: (tracker) => (tracker.latestActionName === 'action_listen' ? 'utter_greet' : 'action_listen'),
    });
    await send('hi', { messageId: 'msg-1' });
    const events = await stored();
    expect(events).toMatchObject([
      { event: 'action', name: 'action_session_start', policy: null, confidence: 1 },
      { event: 'session_started' },
      { event: 'action', name: 'action_listen', policy: null, confidence: null },
      {
        event: 'user',
        text: 'hi',
        input_channel: 'rest',
        message_id: 'msg-1',
        parse_data: { intent: { name: 'greet', confidence: 0.99 }, entities: [], text: 'hi', message_id: 'msg-1', metadata: {} },
      },
      { event: 'user_featurization', use_text_for_featurization: false },
      { event: 'action', name: 'utter_greet', policy: 'RulePolicy', confidence: 1 },
      { event: 'bot', text: 'Hey! How are you?', metadata: { utter_action: 'utter_greet' } },
      { event: 'action', name: 'action_listen', policy: 'RulePolicy', confidence: 1 },
    ]);
    for (const event of events) {
      expect(event.metadata).toMatchObject({ model_id: 'model-1', assistant_id: 'test_bot' });
    }
    expect(output.messages).toEqual([
      {
        recipientId: 'ann',
        message: expect.objectContaining({ text: 'Hey! How are you?', utter_action: 'utter_greet', buttons: null }),
      },
    ]);
  });

  it('gives a message without an id a random hex id', async () => {
    const { send, stored } = setupProcessor({ domain, interpreter, decide: () => 'action_listen' });
    await send('hi');
    const user = (await stored()).find((event) => event.event === 'user');
    expect(user).toMatchObject({ message_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });
});

describe('restart (§15 item 2)', () => {
  it('restarts, runs the followup session start and does not carry slots over', async () => {
    const { send, stored, processor, output } = setupProcessor({
      domain,
      interpreter,
      decide: (tracker) => {
        if (tracker.latestActionName !== 'action_listen') return 'action_listen';
        return tracker.latestMessage?.intent.name === 'restart' ? 'action_restart' : 'action_listen';
      },
    });
    await send('thai please');
    await send('/restart');
    const events = await stored();
    const lastTurn = events.slice(events.findLastIndex((event) => event.event === 'user'));
    expect(lastTurn).toMatchObject([
      { event: 'user', text: '/restart' },
      { event: 'user_featurization' },
      { event: 'action', name: 'action_restart', policy: 'RulePolicy', confidence: 1 },
      { event: 'bot', text: 'restarted' },
      { event: 'restart' },
      { event: 'action', name: 'action_session_start', policy: 'followup_action', confidence: 1 },
      { event: 'session_started' },
      { event: 'action', name: 'action_listen', policy: null, confidence: null },
    ]);
    const tracker = await processor.getTracker('ann');
    expect(tracker?.getSlot('cuisine')).toBeNull();
    expect(output.texts).toEqual(['restarted']);
  });
});

describe('sessions (§15 item 3, §11)', () => {
  const staleConversation = (minutesAgo: number): TrackerEvent[] => {
    const then = Date.now() / 1000 - minutesAgo * 60;
    return [
      { ...actionExecuted('action_session_start', { confidence: 1 }), timestamp: then },
      { ...simpleEvent('session_started'), timestamp: then },
      { ...actionExecuted('action_listen'), timestamp: then },
      { ...userUttered({ text: 'thai please', parseData: { intent: { name: 'inform', confidence: 1 } } }), timestamp: then },
      { ...slotSet('cuisine', 'thai'), timestamp: then },
      { ...actionExecuted('action_listen'), timestamp: then },
    ];
  };

  it('starts a new session when the last user message is older than the expiration, carrying slots over', async () => {
    const trackerStore = new MemoryTrackerStore();
    await trackerStore.append('ann', staleConversation(61));
    const { send, processor } = setupProcessor({ domain, interpreter, trackerStore, decide: () => 'action_listen' });
    await send('hi');
    const latest = (await trackerStore.retrieve('ann'))!;
    expect(describeEvents(latest)).toEqual([
      'action:action_session_start',
      'session_started',
      'slot:cuisine="thai"',
      'action:action_listen',
      'user:hi',
      'user_featurization:false',
      'action:action_listen',
    ]);
    expect((await processor.getTracker('ann', { allSessions: false }))?.getSlot('cuisine')).toBe('thai');
  });

  it('loads only the new session on the turn after one started, like a fresh load', async () => {
    const trackerStore = new MemoryTrackerStore();
    await trackerStore.append('ann', staleConversation(61));
    const { send, processor } = setupProcessor({ domain, interpreter, trackerStore, decide: () => 'action_listen' });
    await send('hi');
    const { tracker } = await processor.predictNext('ann');
    expect(tracker.events?.[0]).toMatchObject({ event: 'action', name: 'action_session_start' });
    expect(tracker.events?.filter((event) => event.event === 'user').map((event) => event.text)).toEqual(['hi']);
  });

  it('keeps the session when the last user message is recent enough', async () => {
    const trackerStore = new MemoryTrackerStore();
    await trackerStore.append('ann', staleConversation(59));
    const { send } = setupProcessor({ domain, interpreter, trackerStore, decide: () => 'action_listen' });
    await send('hi');
    const all = (await trackerStore.retrieve('ann', { allSessions: true }))!;
    expect(all.filter((event) => event.event === 'session_started')).toHaveLength(1);
  });

  it('does not carry slots over when the domain says so', async () => {
    const noCarry = await domainFromYaml(DOMAIN_YAML.replace('carry_over_slots_to_new_session: true', 'carry_over_slots_to_new_session: false'));
    const trackerStore = new MemoryTrackerStore();
    await trackerStore.append('ann', staleConversation(61));
    const { send } = setupProcessor({ domain: noCarry, interpreter, trackerStore, decide: () => 'action_listen' });
    await send('hi');
    expect(describeEvents((await trackerStore.retrieve('ann'))!).slice(0, 3)).toEqual([
      'action:action_session_start',
      'session_started',
      'action:action_listen',
    ]);
  });

  it('never expires sessions with an expiration time of 0, but still starts the first one', async () => {
    const forever = await domainFromYaml(DOMAIN_YAML.replace('session_expiration_time: 60', 'session_expiration_time: 0'));
    const trackerStore = new MemoryTrackerStore();
    await trackerStore.append('old', staleConversation(60 * 24 * 365));
    const { processor, output } = setupProcessor({ domain: forever, interpreter, trackerStore, decide: () => 'action_listen' });
    await processor.handleMessage({ text: 'hi', senderId: 'old', inputChannel: 'rest', output });
    await processor.handleMessage({ text: 'hi', senderId: 'new', inputChannel: 'rest', output });
    expect((await trackerStore.retrieve('old', { allSessions: true }))!.filter((event) => event.event === 'session_started')).toHaveLength(1);
    expect((await trackerStore.retrieve('new'))![0]).toMatchObject({ event: 'action', name: 'action_session_start' });
  });

  it('records message metadata in session_started_metadata before the session starts', async () => {
    const { send, stored, processor } = setupProcessor({ domain, interpreter, decide: () => 'action_listen' });
    await send('hi', { metadata: { page: '/pricing' } });
    const events = await stored();
    expect(describeEvents(events).slice(0, 5)).toEqual([
      'slot:session_started_metadata={"page":"/pricing"}',
      'action:action_session_start',
      'session_started',
      'slot:session_started_metadata={"page":"/pricing"}',
      'action:action_listen',
    ]);
    expect(events.find((event) => event.event === 'user')).toMatchObject({ metadata: { page: '/pricing', model_id: 'model-1' } });
    expect((await processor.getTracker('ann'))?.getSlot('session_started_metadata')).toEqual({ page: '/pricing' });
  });
});

describe('core fallback (§15 item 6)', () => {
  it('utters utter_default, rewinds the turn (undoing its slots) and then listens', async () => {
    const { send, stored, processor, output } = setupProcessor({
      domain,
      interpreter,
      decide: (tracker) =>
        tracker.latestActionName === 'action_listen'
          ? { action: 'action_default_fallback', policy: 'RulePolicy', confidence: 0.3 }
          : 'action_listen',
    });
    await send('thai please');
    const events = await stored();
    expect(describeEvents(events.slice(3))).toEqual([
      'user:thai please',
      'slot:cuisine="thai"',
      'user_featurization:false',
      'action:action_default_fallback',
      'bot:Sorry, I did not get that',
      'rewind',
      'action:action_listen',
    ]);
    expect(events[6]).toMatchObject({ policy: 'RulePolicy', confidence: 0.3 });
    expect((await processor.getTracker('ann'))?.getSlot('cuisine')).toBeNull();
    expect(output.texts).toEqual(['Sorry, I did not get that']);
  });
});

describe('circuit breaker (§15 item 7)', () => {
  const alwaysActionCustom = (tracker: PolicyTracker) =>
    tracker.latestActionName === 'action_listen' ? 'action_custom' : { action: 'action_custom', policy: 'TEDPolicy', confidence: 0.8 };

  it('stops after MAX_NUMBER_OF_PREDICTIONS actions in one turn (default 10) and logs a warning', async () => {
    const { logger, lines } = capturingLogger();
    const { send, stored } = setupProcessor({ domain, interpreter, decide: alwaysActionCustom, logger });
    await send('hi');
    const actions = (await stored()).filter((event) => event.event === 'action' && event.name === 'action_custom');
    expect(actions).toHaveLength(10);
    expect(lines().some((line) => line.event === 'processor.circuit_breaker')).toBe(true);
  });

  it('reads the limit from the environment', async () => {
    process.env.MAX_NUMBER_OF_PREDICTIONS = '3';
    try {
      const { send, stored } = setupProcessor({ domain, interpreter, decide: alwaysActionCustom });
      await send('hi');
      expect((await stored()).filter((event) => event.event === 'action' && event.name === 'action_custom')).toHaveLength(3);
    } finally {
      delete process.env.MAX_NUMBER_OF_PREDICTIONS;
    }
  });

  it('also stops policies that keep predicting an action that keeps rejecting', async () => {
    const server = await startActionServer({
      action_custom: () => ({ status: 400, body: { action_name: 'action_custom', error: 'no' } }),
    });
    try {
      const { send, stored } = setupProcessor({
        domain,
        interpreter,
        decide: () => 'action_custom',
        maxNumberOfPredictions: 4,
        actionEndpoint: parseActionEndpoint({ url: server.url }),
      });
      await send('hi');
      expect((await stored()).filter((event) => event.event === 'action_execution_rejected')).toHaveLength(4);
    } finally {
      await server.close();
    }
  });

  it('counts per turn, so the next message gets a fresh budget', async () => {
    const { send, stored } = setupProcessor({ domain, interpreter, decide: alwaysActionCustom, maxNumberOfPredictions: 2 });
    await send('hi');
    await send('hi');
    expect((await stored()).filter((event) => event.event === 'action' && event.name === 'action_custom')).toHaveLength(4);
  });
});

describe('responses through the processor (§15 item 10)', () => {
  it('chooses the variation for the output channel and the slots', async () => {
    const policies = (tracker: PolicyTracker) => (tracker.latestActionName === 'action_listen' ? 'utter_greet' : 'action_listen');
    const { processor, send, output } = setupProcessor({ domain, interpreter, decide: policies });
    await send('hi');
    const socket = new CollectingOutput('socketio');
    await processor.handleMessage({ text: 'hi', senderId: 'ann', inputChannel: 'socketio', output: socket });
    await processor.addEvents('ann', [slotSet('vip', true)]);
    await send('hi');
    expect(output.texts).toEqual(['Hello!', 'Welcome back, VIP']);
    expect(socket.texts).toEqual(['Hi from the socket']);
  });

  it('fills slots into the text and leaves a placeholder without value untouched', async () => {
    const { send, output } = setupProcessor({
      domain,
      interpreter,
      decide: (tracker) => {
        if (tracker.latestActionName === 'action_listen') return 'utter_cuisine';
        return tracker.latestActionName === 'utter_cuisine' ? 'utter_unknown_var' : 'action_listen';
      },
    });
    await send('thai please');
    expect(output.texts).toEqual(['You like thai food', 'Your {unknown_thing}']);
  });
});

describe('the prediction loop', () => {
  it('runs a followup action set by an event with the followup_action policy', async () => {
    const { send, stored, processor } = setupProcessor({ domain, interpreter, decide: byIntent({ greet: 'utter_greet' }) });
    await send('hi');
    await processor.addEvents('ann', [{ event: 'followup', timestamp: 1, name: 'utter_cuisine' }]);
    const prediction = await processor.predictNext('ann');
    expect(prediction.policy).toBe('followup_action');
    expect(prediction.scores[0]).toEqual({ action: 'utter_cuisine', score: 1 });
    expect((await stored()).at(-1)).toMatchObject({ event: 'followup' });
  });

  it('logs an unknown followup as an error and lets the policies decide', async () => {
    const { logger, lines } = capturingLogger();
    const { processor } = setupProcessor({ domain, interpreter, logger, decide: () => 'utter_greet' });
    await processor.addEvents('ann', [{ event: 'followup', timestamp: 1, name: 'action_nope' }]);
    const prediction = await processor.predictNext('ann');
    expect(prediction.policy).toBe('RulePolicy');
    expect(lines().some((line) => line.event === 'processor.followup.unknown')).toBe(true);
  });

  it('runs slot extraction again for an end-to-end prediction', async () => {
    const { send, stored } = setupProcessor({
      domain,
      interpreter,
      decide: (tracker) =>
        tracker.latestActionName === 'action_listen' ? { action: 'utter_greet', isEndToEndPrediction: true } : 'action_listen',
    });
    await send('thai please');
    expect((await stored()).filter((event) => event.event === 'slot' && event.name === 'cuisine')).toHaveLength(2);
  });

  it('only logs and fills slots while the conversation is paused, unless the intent is restart (§2.4)', async () => {
    const { send, stored, processor, policies } = setupProcessor({
      domain,
      interpreter,
      decide: byIntent({ greet: 'utter_greet', restart: 'action_restart' }),
    });
    await processor.addEvents('ann', [simpleEvent('pause')]);
    await send('thai please');
    expect(policies.calls).toBe(0);
    expect(describeEvents((await stored()).slice(-2))).toEqual(['user:thai please', 'slot:cuisine="thai"']);
    await send('/restart');
    expect(describeEvents(await stored())).toContain('action:action_restart');
  });

  it('keeps going after an action fails: the action is recorded with no events and the error logged', async () => {
    const { logger, lines } = capturingLogger();
    const { send, stored } = setupProcessor({
      domain,
      interpreter,
      logger,
      decide: (tracker) => {
        if (tracker.latestActionName === 'action_listen') return 'action_custom';
        return tracker.latestActionName === 'action_custom' ? 'utter_greet' : 'action_listen';
      },
    });
    await send('hi');
    expect(describeEvents((await stored()).slice(4))).toEqual([
      'user_featurization:false',
      'action:action_custom',
      'action:utter_greet',
      'bot:Hello!',
      'action:action_listen',
    ]);
    const failure = lines().find((line) => line.event === 'processor.action.failed');
    expect(String(failure?.msg)).toContain('no action server is configured');
  });

  it('stores the events accepted so far when the policies throw', async () => {
    const { send, stored } = setupProcessor({
      domain,
      interpreter,
      decide: () => {
        throw new Error('policy crashed');
      },
    });
    await expect(send('thai please')).rejects.toThrow('policy crashed');
    expect(describeEvents(await stored())).toEqual([
      'action:action_session_start',
      'session_started',
      'action:action_listen',
      'user:thai please',
      'slot:cuisine="thai"',
    ]);
  });

  it('logs a channel that fails to deliver and still finishes the turn', async () => {
    const { logger, lines } = capturingLogger();
    const { processor, stored } = setupProcessor({ domain, interpreter, logger, decide: byIntent({ greet: 'utter_greet' }) });
    const broken = { name: 'collector', sendResponse: async () => Promise.reject(new Error('socket closed')) };
    await processor.handleMessage({ text: 'hi', senderId: 'ann', inputChannel: 'rest', output: broken });
    expect((await stored()).at(-1)).toMatchObject({ event: 'action', name: 'action_listen' });
    expect(lines().some((line) => line.event === 'processor.send.failed')).toBe(true);
  });

  it('uses supplied parse data instead of the interpreter', async () => {
    const { send, stored } = setupProcessor({ domain, interpreter, decide: () => 'action_listen' });
    await send('whatever', { parseData: { text: 'whatever', intent: { name: 'bye', confidence: 0.5 }, entities: [] } });
    expect((await stored()).find((event) => event.event === 'user')).toMatchObject({ parse_data: { intent: { name: 'bye', confidence: 0.5 } } });
  });

  it('appends only the new events of each turn to the store', async () => {
    const trackerStore = new MemoryTrackerStore();
    const appended: number[] = [];
    const append = trackerStore.append.bind(trackerStore);
    trackerStore.append = async (id, events) => {
      appended.push(events.length);
      return append(id, events);
    };
    const { send } = setupProcessor({ domain, interpreter, trackerStore, decide: byIntent({ greet: 'utter_greet' }) });
    await send('hi');
    await send('hi');
    expect(appended).toEqual([8, 5]);
  });
});

describe('trackers kept between turns', () => {
  const decide = (tracker: PolicyTracker) => {
    if (tracker.latestActionName !== 'action_listen') return 'action_listen';
    const intent = tracker.latestMessage?.intent.name;
    if (intent === 'restart') return 'action_restart';
    if (intent === 'nlu_fallback') return 'action_default_fallback';
    if (intent === 'inform') return 'utter_cuisine';
    return intent === 'greet' ? 'utter_greet' : 'action_listen';
  };

  it('reads only the event count, not the events, of the conversation it served last', async () => {
    const { send, trackerStore } = setupProcessor({ domain, interpreter, decide });
    await send('hi');
    const read = trackerStore.stats.eventsRead;
    await send('thai please');
    await send('hi');
    expect(trackerStore.stats.eventsRead).toBe(read);
  });

  it('reloads a conversation that another instance wrote to meanwhile', async () => {
    const trackerStore = new MemoryTrackerStore();
    const lockStore = new MemoryLockStore();
    const seen: unknown[] = [];
    const first = setupProcessor({
      domain,
      interpreter,
      trackerStore,
      lockStore,
      decide: (tracker) => {
        if (tracker.latestMessage?.intent.name === 'greet') seen.push(tracker.slots.cuisine);
        return decide(tracker);
      },
    });
    const second = setupProcessor({ domain, interpreter, trackerStore, lockStore, decide });
    await first.send('hi');
    await second.send('thai please');
    await first.send('hi');
    expect(seen.at(-1)).toBe('thai');
    const events = describeEvents(await first.stored());
    expect(events.filter((event) => event === 'action:action_session_start')).toHaveLength(1);
    expect(events.filter((event) => event.startsWith('user:'))).toEqual(['user:hi', 'user:thai please', 'user:hi']);
  });

  it('stores and predicts exactly what a processor without kept trackers does, across fallbacks and restarts', async () => {
    const run = async (trackerCacheSize: number) => {
      const setup = setupProcessor({ domain, interpreter, decide, trackerCacheSize });
      for (const text of ['hi', 'thai please', 'gibberish text', 'hi', '/restart', 'how are you', 'thai please', 'hi']) {
        await setup.send(text);
      }
      const prediction = await setup.processor.predictNext('ann');
      return {
        events: describeEvents(await setup.stored()),
        texts: setup.output.texts,
        slots: prediction.tracker.slots,
        latest: prediction.tracker.latest_action_name,
        kept: setup.trackerStore.stats.eventsRead,
      };
    };
    const kept = await run(1000);
    const rebuilt = await run(0);
    expect({ ...kept, kept: 0 }).toEqual({ ...rebuilt, kept: 0 });
    expect(kept.kept).toBeLessThan(rebuilt.kept);
  });

  it('parses a repeated text once and stores exactly what parsing every message stores', async () => {
    const run = async (parseCacheSize: number) => {
      const texts: string[] = [];
      const counting = { parse: (text: string) => (texts.push(text), interpreter.parse(text)) };
      const setup = setupProcessor({ domain, interpreter: counting, decide, parseCacheSize });
      for (const text of ['hi', 'thai please', 'hi', '/restart', 'hi', 'thai please']) await setup.send(text);
      const events = (await setup.stored()).map((event) => (event.event === 'user' ? { ...event, timestamp: 0, message_id: null, parse_data: { ...event.parse_data, message_id: null } } : event.event));
      return { texts, events, replies: setup.output.texts };
    };
    const cached = await run(1000);
    const uncached = await run(0);
    expect(cached.texts).toEqual(['hi', 'thai please', '/restart']);
    expect(uncached.texts).toHaveLength(6);
    expect({ ...cached, texts: [] }).toEqual({ ...uncached, texts: [] });
  });

  it('does not keep a tracker whose followup was consumed without an event', async () => {
    const { processor, send } = setupProcessor({ domain, interpreter, decide });
    await send('hi');
    await processor.addEvents('ann', [{ event: 'followup', timestamp: Date.now() / 1000, name: 'utter_greet' }]);
    expect((await processor.predictNext('ann')).policy).toBe('followup_action');
    expect((await processor.predictNext('ann')).policy).toBe('followup_action');
  });
});

describe('an NLU-only model', () => {
  it('logs the message without predicting anything', async () => {
    const trackerStore = new MemoryTrackerStore();
    const processor = new MessageProcessor({
      domain,
      interpreter,
      policies: null,
      trackerStore,
      lockStore: new MemoryLockStore(),
      logger: silentLogger(),
    });
    await processor.handleMessage({ text: 'thai please', senderId: 'ann', inputChannel: 'rest', output: new CollectingOutput() });
    expect(describeEvents((await trackerStore.retrieve('ann'))!)).toEqual([
      'action:action_session_start',
      'session_started',
      'action:action_listen',
      'user:thai please',
    ]);
    await expect(processor.predictNext('ann')).rejects.toMatchObject({ code: 'PARLEY_ERR_MODEL_INVALID' });
  });
});

describe('the API the HTTP layer uses', () => {
  it('getTracker returns undefined for an unknown conversation, or a session started in memory only', async () => {
    const { processor, stored } = setupProcessor({ domain, interpreter, decide: () => 'action_listen' });
    expect(await processor.getTracker('ann')).toBeUndefined();
    const fresh = await processor.getTracker('ann', { startSessionIfNew: true });
    expect(describeEvents(fresh!.events)).toEqual(['action:action_session_start', 'session_started', 'action:action_listen']);
    expect(await stored()).toEqual([]);
  });

  it('getTracker returns all sessions by default and the latest on request', async () => {
    const { processor, trackerStore } = setupProcessor({ domain, interpreter, decide: () => 'action_listen' });
    await trackerStore.append('ann', [actionExecuted('action_session_start'), simpleEvent('session_started'), actionExecuted('action_session_start')]);
    expect((await processor.getTracker('ann'))!.events).toHaveLength(3);
    expect((await processor.getTracker('ann', { allSessions: false }))!.events).toHaveLength(1);
  });

  it('predictNext starts a session if needed, saves it, and scores every action', async () => {
    const { processor, stored } = setupProcessor({ domain, interpreter, decide: () => ({ action: 'utter_greet', policy: 'TEDPolicy', confidence: 0.7 }) });
    const prediction = await processor.predictNext('ann');
    expect(prediction.policy).toBe('TEDPolicy');
    expect(prediction.confidence).toBe(0.7);
    expect(prediction.scores).toHaveLength(domain.actionNames.length);
    expect(prediction.scores[0]).toEqual({ action: 'utter_greet', score: 0.7 });
    expect(prediction.scores[1]).toEqual({ action: '...', score: 0 });
    expect(prediction.tracker.events).toHaveLength(3);
    expect(await stored()).toHaveLength(3);
  });

  it('executeAction runs one action with the given policy and confidence, then stops', async () => {
    const { processor, stored } = setupProcessor({ domain, interpreter, decide: () => 'utter_greet' });
    const output = new CollectingOutput();
    const tracker = await processor.executeAction('ann', 'utter_greet', output, { policy: 'manual', confidence: 0.5 });
    expect(tracker.latestActionName).toBe('utter_greet');
    expect((await stored()).at(-2)).toMatchObject({ event: 'action', name: 'utter_greet', policy: 'manual', confidence: 0.5 });
    expect(output.texts).toEqual(['Hello!']);
    await expect(processor.executeAction('ann', 'action_nope', output)).rejects.toMatchObject({ code: 'PARLEY_ERR_ACTION_UNKNOWN' });
  });

  it('triggerIntent injects an external user message and lets the bot react', async () => {
    const { processor, stored, send } = setupProcessor({ domain, interpreter, decide: byIntent({ greet: 'utter_greet', inform: 'utter_cuisine' }) });
    await send('hi', { inputChannel: 'socketio' });
    const output = new CollectingOutput();
    await processor.triggerIntent('ann', 'inform', { cuisine: 'greek' }, output);
    const user = (await stored()).findLast((event) => event.event === 'user');
    expect(user).toMatchObject({
      text: 'EXTERNAL: inform',
      input_channel: 'socketio',
      message_id: null,
      metadata: { is_external: true, model_id: 'model-1' },
      parse_data: { intent: { name: 'inform' }, entities: [{ entity: 'cuisine', value: 'greek' }] },
    });
    expect(output.texts).toEqual(['You like greek food']);
    await expect(processor.triggerIntent('ann', 'nope', null, output)).rejects.toMatchObject({ code: 'PARLEY_ERR_NOT_FOUND' });
  });

  it('addEvents starts a session for a new conversation unless the events bring one', async () => {
    const { processor, stored } = setupProcessor({ domain, interpreter, decide: () => 'action_listen' });
    await processor.addEvents('ann', [slotSet('cuisine', 'thai')]);
    expect(describeEvents(await stored())).toEqual(['action:action_session_start', 'session_started', 'action:action_listen', 'slot:cuisine="thai"']);
    await processor.addEvents('bob', [actionExecuted('action_session_start'), simpleEvent('session_started')]);
    expect(describeEvents(await stored('bob'))).toEqual(['action:action_session_start', 'session_started']);
  });

  it('addEvents keeps given timestamps and sends bot events only with executeSideEffects', async () => {
    const { processor, stored } = setupProcessor({ domain, interpreter, decide: () => 'action_listen' });
    const output = new CollectingOutput();
    const bot = { event: 'bot', timestamp: 123, text: 'pushed', data: { elements: null, quick_replies: null, buttons: null, attachment: null, image: null, custom: null }, metadata: {} } as const;
    await processor.addEvents('ann', [bot], { output });
    expect(output.texts).toEqual([]);
    await processor.addEvents('ann', [bot], { output, executeSideEffects: true });
    expect(output.texts).toEqual(['pushed']);
    expect((await stored()).at(-1)).toMatchObject({ timestamp: 123, metadata: { model_id: 'model-1' } });
  });

  it('logMessage logs the message and fills slots without predicting', async () => {
    const { processor, stored, policies } = setupProcessor({ domain, interpreter, decide: () => 'utter_greet' });
    const tracker = await processor.logMessage({ text: 'thai please', senderId: 'ann', inputChannel: null, output: new CollectingOutput() });
    expect(tracker.getSlot('cuisine')).toBe('thai');
    expect(tracker.latestUserEvent?.input_channel).toBeNull();
    expect(policies.calls).toBe(0);
    expect(describeEvents(await stored()).slice(-2)).toEqual(['user:thai please', 'slot:cuisine="thai"']);
  });
});

describe('concurrency', () => {
  it('handles 50 senders × 4 messages concurrently with every sender in order', async () => {
    const echo = await domainFromYaml(`
version: "3.1"
intents: [say]
slots:
  said:
    type: list
    mappings:
    - type: from_text
responses:
  utter_echo:
  - text: "{said}"
`);
    const { processor, trackerStore } = setupProcessor({
      domain: echo,
      interpreter: { parse: (text) => ({ text, intent: { name: 'say', confidence: 1 }, entities: [] }) },
      decide: (tracker) => (tracker.latestActionName === 'action_listen' ? 'utter_echo' : 'action_listen'),
    });
    const outputs = new Map<string, CollectingOutput>();
    const jobs: Array<Promise<void>> = [];
    for (let message = 0; message < 4; message++) {
      for (let sender = 0; sender < 50; sender++) {
        const senderId = `user-${sender}`;
        if (!outputs.has(senderId)) outputs.set(senderId, new CollectingOutput());
        jobs.push(processor.handleMessage({ text: `${senderId} #${message}`, senderId, inputChannel: 'rest', output: outputs.get(senderId)! }));
      }
    }
    await Promise.all(jobs);
    for (let sender = 0; sender < 50; sender++) {
      const senderId = `user-${sender}`;
      const texts = (await trackerStore.retrieve(senderId))!.flatMap((event) => (event.event === 'user' ? [event.text] : []));
      expect(texts).toEqual([0, 1, 2, 3].map((message) => `${senderId} #${message}`));
      expect(outputs.get(senderId)!.texts).toEqual([0, 1, 2, 3].map((message) => `['${senderId} #${message}']`));
      expect((await trackerStore.retrieve(senderId))!.filter((event) => event.event === 'session_started')).toHaveLength(1);
    }
  });
});

describe('ruleLikePolicies helper', () => {
  it('maps intents and actions to next actions', async () => {
    const policies = ruleLikePolicies(domain, { afterIntent: { greet: 'utter_greet' }, afterAction: { utter_greet: 'action_listen' } });
    const processor = new MessageProcessor({
      domain,
      interpreter,
      policies,
      trackerStore: new MemoryTrackerStore(),
      lockStore: new MemoryLockStore(),
      logger: silentLogger(),
    });
    const output = new CollectingOutput();
    await processor.handleMessage({ text: 'hi', senderId: 'x', inputChannel: 'rest', output });
    expect(output.texts).toEqual(['Hello!']);
  });
});
