import { describe, expect, it } from 'vitest';
import { computeAppliedEvents } from '../../src/core/applied-events.js';
import {
  actionExecuted,
  actionExecutionRejected,
  activeLoop,
  botUttered,
  entitiesAdded,
  followup,
  loopInterrupted,
  simpleEvent,
  slotSet,
  userUttered,
} from '../../src/core/events.js';
import { DialogueStateTracker } from '../../src/core/tracker.js';
import type { SlotDefinition } from '../../src/shared/domain.js';
import type { TrackerEvent } from '../../src/shared/events.js';
import { capturingLogger } from './helpers/scripted.js';

function slot(name: string, type: SlotDefinition['type'] = 'text', initialValue: unknown = null): SlotDefinition {
  return { name, type, influenceConversation: true, initialValue, mappings: [] };
}

const SLOTS = [slot('cuisine'), slot('tags', 'list'), slot('vip', 'bool'), slot('mood', 'text', 'happy'), slot('requested_slot')];

function user(intent: string, text = intent, extra: { inputChannel?: string; entities?: Array<{ entity: string; value: unknown }> } = {}) {
  return userUttered({
    text,
    parseData: { text, intent: { name: intent, confidence: 0.9 }, entities: extra.entities ?? [] },
    inputChannel: extra.inputChannel ?? 'rest',
  });
}

const listen = () => actionExecuted('action_listen');
const names = (events: readonly TrackerEvent[]) =>
  events.map((event) => (event.event === 'action' ? `action:${event.name}` : event.event === 'slot' ? `slot:${event.name}=${String(event.value)}` : event.event));

function trackerWith(events: TrackerEvent[]): DialogueStateTracker {
  const tracker = new DialogueStateTracker('ann', SLOTS);
  for (const event of events) tracker.update(event);
  return tracker;
}

describe('DialogueStateTracker state', () => {
  it('starts with initial slot values, no message, followup action_listen and no loop', () => {
    const tracker = new DialogueStateTracker('ann', SLOTS);
    expect(tracker.slots).toEqual({ cuisine: null, tags: null, vip: null, mood: 'happy', requested_slot: null });
    expect(tracker.latestMessage).toBeNull();
    expect(tracker.followupAction).toBe('action_listen');
    expect(tracker.activeLoop).toBeNull();
    expect(tracker.latestActionName).toBeNull();
  });

  it('tracks the latest message, bot utterance and action, and clears the followup', () => {
    const bot = botUttered('Hey');
    const tracker = trackerWith([listen(), user('greet', 'hi'), actionExecuted('utter_greet'), bot]);
    expect(tracker.latestMessage?.intent).toEqual({ name: 'greet', confidence: 0.9 });
    expect(tracker.latestMessage?.text).toBe('hi');
    expect(tracker.latestBotUtterance).toBe(bot);
    expect(tracker.latestAction).toEqual({ action_name: 'utter_greet' });
    expect(tracker.followupAction).toBeNull();
  });

  it('records an end-to-end action by its text', () => {
    const tracker = trackerWith([actionExecuted(null, { actionText: 'Hello there' })]);
    expect(tracker.latestAction).toEqual({ action_text: 'Hello there' });
    expect(tracker.latestActionName).toBeNull();
  });

  it('wraps a single value of a list slot and keeps other values as set', () => {
    const tracker = trackerWith([slotSet('tags', 'a'), slotSet('vip', 'true'), slotSet('cuisine', 3)]);
    expect(tracker.getSlot('tags')).toEqual(['a']);
    expect(tracker.getSlot('vip')).toBe('true');
    expect(tracker.getSlot('cuisine')).toBe(3);
  });

  it('logs and ignores a slot the domain does not have', () => {
    const { logger, lines } = capturingLogger();
    const tracker = new DialogueStateTracker('ann', SLOTS, { logger });
    tracker.update(slotSet('nope', 1));
    expect(tracker.slots).not.toHaveProperty('nope');
    expect(lines().some((line) => line.level === 50 && String(line.msg).includes("'nope'"))).toBe(true);
  });

  it('applies followup, pause, resume and reset_slots', () => {
    const tracker = trackerWith([slotSet('cuisine', 'thai'), followup('utter_x'), simpleEvent('pause')]);
    expect(tracker.followupAction).toBe('utter_x');
    expect(tracker.paused).toBe(true);
    tracker.update(simpleEvent('resume'));
    tracker.update(simpleEvent('reset_slots'));
    expect(tracker.paused).toBe(false);
    expect(tracker.getSlot('cuisine')).toBeNull();
    expect(tracker.getSlot('mood')).toBe('happy');
  });

  it('activates a loop with the triggering message and resets its flags on actions', () => {
    const tracker = trackerWith([listen(), user('request'), actionExecuted('form'), activeLoop('form')]);
    expect(tracker.activeLoop).toEqual({ name: 'form', is_interrupted: false, rejected: false, trigger_message: tracker.latestUserEvent!.parse_data });
    tracker.update(loopInterrupted(true));
    tracker.update(actionExecutionRejected('form', 'RulePolicy', 1));
    expect(tracker.activeLoop).toMatchObject({ is_interrupted: true, rejected: true });
    tracker.update(actionExecuted('utter_chitchat'));
    expect(tracker.activeLoop).toMatchObject({ is_interrupted: false, rejected: true });
    tracker.update(actionExecuted('form'));
    expect(tracker.activeLoop).toMatchObject({ rejected: false });
    tracker.update(activeLoop(null));
    expect(tracker.activeLoop).toBeNull();
  });

  it('ignores a rejection of an action that is not the active loop', () => {
    const tracker = trackerWith([activeLoop('form'), actionExecutionRejected('other')]);
    expect(tracker.activeLoop?.rejected).toBe(false);
  });

  it('adds entities from an entities event to the latest message only right after action_listen', () => {
    const tracker = trackerWith([listen(), user('inform', 'x', { entities: [{ entity: 'city', value: 'Rome' }] })]);
    tracker.update(entitiesAdded([{ entity: 'city', value: 'Rome' }, { entity: 'day', value: 'mon' }]));
    expect(tracker.latestMessage?.entities).toEqual([{ entity: 'city', value: 'Rome' }, { entity: 'day', value: 'mon' }]);
    expect(tracker.latestUserEvent?.parse_data.entities).toHaveLength(1);
    tracker.update(actionExecuted('utter_x'));
    tracker.update(entitiesAdded([{ entity: 'x', value: 1 }]));
    expect(tracker.latestMessage?.entities).toHaveLength(2);
    expect(tracker.latestEntityValues('city')).toEqual(['Rome']);
  });

  it('stamps model and assistant ids on new events without overriding ids already present', () => {
    const tracker = new DialogueStateTracker('ann', SLOTS, { modelId: 'model-1', assistantId: 'bot' });
    const logged = tracker.update(slotSet('cuisine', 'thai'));
    expect(logged.metadata).toEqual({ model_id: 'model-1', assistant_id: 'bot' });
    const kept = tracker.update({ ...slotSet('cuisine', 'x'), metadata: { model_id: 'old' } });
    expect(kept.metadata).toEqual({ model_id: 'old', assistant_id: 'bot' });
  });

  it('leaves the caller\'s event and metadata untouched on update, and stamps an owned event in place without changing its metadata object', () => {
    const tracker = new DialogueStateTracker('ann', SLOTS, { modelId: 'model-1', assistantId: 'bot' });
    const shared = { source: 'caller' };
    const given = { ...slotSet('cuisine', 'thai'), metadata: shared };
    const logged = tracker.update(given);
    expect(logged).not.toBe(given);
    expect(given.metadata).toBe(shared);
    expect(shared).toEqual({ source: 'caller' });
    const owned = { ...slotSet('cuisine', 'x'), metadata: shared };
    const stamped = tracker.updateOwned(owned);
    expect(stamped).toBe(owned);
    expect(stamped.metadata).toEqual({ source: 'caller', model_id: 'model-1', assistant_id: 'bot' });
    expect(shared).toEqual({ source: 'caller' });
    expect(tracker.events.at(-1)).toBe(owned);
  });

  it('keeps the stored metadata when rebuilt from events', () => {
    const events = [{ ...slotSet('cuisine', 'thai'), metadata: { model_id: 'old' } }];
    const tracker = DialogueStateTracker.fromEvents('ann', events, SLOTS, { modelId: 'new' });
    expect(tracker.events[0].metadata).toEqual({ model_id: 'old' });
    expect(tracker.update(listen()).metadata).toEqual({ model_id: 'new' });
  });

  it('reports the input channel of the last user event, even one that was rewound', () => {
    const tracker = trackerWith([listen(), user('greet', 'hi', { inputChannel: 'socketio' }), simpleEvent('rewind')]);
    expect(tracker.latestMessage).toBeNull();
    expect(tracker.latestInputChannel).toBe('socketio');
  });

  it('makes independent copies', () => {
    const tracker = trackerWith([slotSet('cuisine', 'thai')]);
    const copy = tracker.copy();
    copy.update(slotSet('cuisine', 'greek'));
    expect(tracker.getSlot('cuisine')).toBe('thai');
    expect(tracker.events).toHaveLength(1);
    expect(copy.events).toHaveLength(2);
  });

  it('makes copies that keep slot definitions, state and metadata stamping', () => {
    const tracker = new DialogueStateTracker('ann', SLOTS, { modelId: 'm1' });
    tracker.update(listen());
    tracker.update(user('greet'));
    tracker.update(slotSet('vip', true));
    const copy = tracker.copy();
    expect(copy.currentState('ALL')).toEqual(tracker.currentState('ALL'));
    expect(copy.hasSlot('mood')).toBe(true);
    expect(copy.update(listen()).metadata?.model_id).toBe('m1');
    copy.update(simpleEvent('restart'));
    expect(copy.getSlot('mood')).toBe('happy');
    expect(tracker.getSlot('vip')).toBe(true);
  });
});

describe('tentative updates (prediction events logged before their action runs)', () => {
  const userFeaturization = (): TrackerEvent => ({ event: 'user_featurization', timestamp: 1, use_text_for_featurization: false });

  it('logs user_featurization and loop_interrupted restamped, and undo restores events, applied events and loop', () => {
    const tracker = trackerWith([listen(), user('greet'), activeLoop('form')]);
    const before = { events: [...tracker.events], applied: [...tracker.appliedEvents], loop: tracker.activeLoop, generation: tracker.appliedEventsGeneration };
    const update = tracker.updateTentatively([userFeaturization(), loopInterrupted(true)]);
    expect(update).not.toBeNull();
    expect(update?.logged.map((event) => event.event)).toEqual(['user_featurization', 'loop_interrupted']);
    expect(update?.logged[0].timestamp).not.toBe(1);
    expect(tracker.events.slice(-2)).toEqual(update?.logged);
    expect(tracker.activeLoop?.is_interrupted).toBe(true);
    update?.undo();
    expect(tracker.events).toEqual(before.events);
    expect(tracker.appliedEvents).toEqual(before.applied);
    expect(tracker.activeLoop).toBe(before.loop);
    // Readers that remember their place in the applied events must start over.
    expect(tracker.appliedEventsGeneration).not.toBe(before.generation);
  });

  it('gives the same state as a copy updated the usual way when kept', () => {
    const tracker = trackerWith([listen(), user('greet')]);
    const copy = tracker.copy();
    copy.updateWithEvents([userFeaturization()]);
    tracker.updateTentatively([userFeaturization()]);
    expect(tracker.currentState('ALL')).toEqual({ ...copy.currentState('ALL'), events: expect.any(Array) });
    expect(names(tracker.events)).toEqual(names(copy.events));
  });

  it('refuses events it could not take back exactly', () => {
    const tracker = trackerWith([listen(), user('greet')]);
    expect(tracker.updateTentatively([userFeaturization(), slotSet('cuisine', 'thai')])).toBeNull();
    expect(tracker.updateTentatively([followup('utter_x')])).toBeNull();
    expect(tracker.events).toHaveLength(2);
  });
});

describe('restarts, sessions, rewinds and undos', () => {
  it('restart resets the state, cuts the applied events and asks for a session start', () => {
    const tracker = trackerWith([listen(), user('greet'), slotSet('cuisine', 'thai'), simpleEvent('restart')]);
    expect(tracker.getSlot('cuisine')).toBeNull();
    expect(tracker.appliedEvents).toEqual([]);
    expect(tracker.followupAction).toBe('action_session_start');
    expect(tracker.latestMessage).toBeNull();
  });

  it('session_started resets the state and cuts the applied events', () => {
    const tracker = trackerWith([slotSet('cuisine', 'thai'), simpleEvent('session_started'), slotSet('tags', ['x'])]);
    expect(tracker.getSlot('cuisine')).toBeNull();
    expect(names(tracker.appliedEvents)).toEqual(['slot:tags=x']);
  });

  it('rewind drops the last user message, the action_listen before it and what followed', () => {
    const tracker = trackerWith([
      listen(),
      user('greet', 'hi'),
      actionExecuted('utter_greet'),
      listen(),
      user('inform', 'thai'),
      slotSet('cuisine', 'thai'),
      actionExecuted('action_default_fallback'),
      simpleEvent('rewind'),
    ]);
    expect(names(tracker.appliedEvents)).toEqual(['action:action_listen', 'user', 'action:utter_greet']);
    // The state is replayed from the applied events: the slot set during the turn is undone.
    expect(tracker.getSlot('cuisine')).toBeNull();
    expect(tracker.latestMessage?.text).toBe('hi');
    expect(tracker.latestActionName).toBe('utter_greet');
    expect(tracker.events).toHaveLength(8);
  });

  it('undo removes the last action and everything after it', () => {
    const tracker = trackerWith([listen(), user('greet'), actionExecuted('action_set'), slotSet('cuisine', 'thai'), simpleEvent('undo')]);
    expect(names(tracker.appliedEvents)).toEqual(['action:action_listen', 'user']);
    expect(tracker.getSlot('cuisine')).toBeNull();
    expect(tracker.latestActionName).toBe('action_listen');
  });

  it('returns the events of the latest session', () => {
    const tracker = trackerWith([actionExecuted('action_session_start'), listen(), actionExecuted('action_session_start'), simpleEvent('session_started'), listen()]);
    expect(names(tracker.eventsOfLatestSession())).toEqual(['action:action_session_start', 'session_started', 'action:action_listen']);
    expect(new DialogueStateTracker('x', SLOTS).eventsOfLatestSession()).toEqual([]);
  });

  it('counts events after the latest restart', () => {
    const tracker = trackerWith([listen(), simpleEvent('restart'), listen(), user('greet')]);
    expect(tracker.latestRestartIndex).toBe(2);
    expect(names(tracker.eventsAfterLatestRestart())).toEqual(['action:action_listen', 'user']);
  });
});

describe('applied events with loops', () => {
  const happyPath = (): TrackerEvent[] => [
    actionExecuted('action_session_start'),
    simpleEvent('session_started'),
    listen(),
    user('request_restaurant'),
    actionExecuted('restaurant_form'),
    activeLoop('restaurant_form'),
    slotSet('requested_slot', 'cuisine'),
    listen(),
    user('inform', 'thai'),
    slotSet('cuisine', 'thai'),
    actionExecuted('restaurant_form'),
    slotSet('requested_slot', 'num_people'),
    listen(),
  ];

  it('collapses a form happy path: later form runs drop the user turns but keep slot events', () => {
    const tracker = trackerWith(happyPath());
    expect(names(tracker.appliedEvents)).toEqual([
      'action:action_listen',
      'user',
      'action:restaurant_form',
      'active_loop',
      'slot:requested_slot=cuisine',
      'slot:cuisine=thai',
      'slot:requested_slot=num_people',
      'action:action_listen',
    ]);
  });

  it('keeps the whole unhappy path after a rejection of the form', () => {
    const events = [
      listen(),
      user('request_restaurant'),
      actionExecuted('restaurant_form'),
      activeLoop('restaurant_form'),
      listen(),
      user('chitchat'),
      actionExecutionRejected('restaurant_form'),
      actionExecuted('utter_chitchat'),
      actionExecuted('restaurant_form'),
    ];
    expect(names(trackerWith(events).appliedEvents)).toEqual(names(events));
  });

  it('treats a form run after a deactivation as a first run', () => {
    const events = [listen(), user('a'), actionExecuted('f'), activeLoop('f'), activeLoop(null), listen(), user('b'), actionExecuted('f')];
    expect(names(trackerWith(events).appliedEvents)).toEqual(names(events));
  });

  it('gives the same applied events incrementally as in one pass, even when a loop name shows up late', () => {
    const events = [listen(), user('a'), actionExecuted('x'), listen(), user('b'), actionExecuted('x'), activeLoop('x'), listen()];
    const incremental = trackerWith(events).appliedEvents;
    expect(names(incremental)).toEqual(names(computeAppliedEvents(events)));
    expect(names(incremental)).toEqual(['action:action_listen', 'user', 'action:x', 'active_loop', 'action:action_listen']);
    expect(names(DialogueStateTracker.fromEvents('ann', events, SLOTS).appliedEvents)).toEqual(names(incremental));
  });
});

describe('currentState', () => {
  it('describes an empty tracker as Rasa does', () => {
    expect(new DialogueStateTracker('ann', SLOTS).currentState('ALL')).toEqual({
      sender_id: 'ann',
      slots: { cuisine: null, tags: null, vip: null, mood: 'happy', requested_slot: null },
      latest_message: { intent: {}, entities: [], text: null, message_id: null, metadata: {} },
      latest_event_time: null,
      followup_action: 'action_listen',
      paused: false,
      events: [],
      latest_input_channel: null,
      active_loop: {},
      latest_action: {},
      latest_action_name: null,
    });
  });

  it('includes the events of the requested verbosity', () => {
    const tracker = trackerWith([listen(), user('greet'), simpleEvent('restart'), listen(), user('bye'), simpleEvent('rewind')]);
    expect(tracker.currentState('ALL').events).toHaveLength(6);
    expect(tracker.currentState('AFTER_RESTART').events!.map((event) => event.event)).toEqual(['action', 'user', 'rewind']);
    expect(tracker.currentState('APPLIED').events).toEqual([]);
    expect(tracker.currentState('NONE').events).toBeNull();
    expect(tracker.currentState().events).toBeNull();
  });

  it('reports the latest message with added entities, the event time, loop and latest action', () => {
    const message = user('inform', 'thai please', { entities: [{ entity: 'cuisine', value: 'thai' }] });
    const tracker = trackerWith([listen(), message, entitiesAdded([{ entity: 'x', value: 1 }]), actionExecuted('f'), activeLoop('f')]);
    const state = tracker.currentState('NONE');
    expect(state.latest_message).toMatchObject({
      text: 'thai please',
      intent: { name: 'inform' },
      entities: [{ entity: 'cuisine', value: 'thai' }, { entity: 'x', value: 1 }],
    });
    expect(state.latest_event_time).toBe(tracker.events.at(-1)!.timestamp);
    expect(state.latest_input_channel).toBe('rest');
    expect(state.active_loop).toMatchObject({ name: 'f', is_interrupted: false, rejected: false });
    expect(state.latest_action).toEqual({ action_name: 'f' });
    expect(state.latest_action_name).toBe('f');
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
