import { describe, expect, it } from 'vitest';
import { INTERNED_STATES, MAX_INTERNED_KEY_LENGTH, StateBuilder, type DialogueState, type StateOptions } from '../../../src/core/policies/states.js';
import { DialogueStateTracker } from '../../../src/core/tracker.js';
import { trackerExamples } from '../../../src/core/policies/training-examples.js';
import { generateTrainingTrackers } from '../../../src/core/training/tracker-generator.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import { windowKey } from '../../../src/core/policies/state-memo.js';
import { buildDomain } from './helpers/fixture-bot.js';
import { TestConversation, action, userEvent } from './helpers/conversation.js';

const domain = buildDomain({
  intents: ['greet', { inform: { use_entities: ['city'] } }, 'bye'],
  entities: ['city', 'date'],
  slots: {
    city: { type: 'text', mappings: [{ type: 'from_entity', entity: 'city' }] },
    vip: { type: 'bool', initial_value: false, mappings: [{ type: 'custom' }] },
    note: { type: 'text', influence_conversation: false, mappings: [{ type: 'custom' }] },
  },
  responses: { utter_hi: [{ text: 'hi' }], utter_ok: [{ text: 'ok' }] },
  forms: { trip_form: { required_slots: ['city'] } },
});
const builder = new StateBuilder(domain);

const slot = (name: string, value: unknown): TrackerEvent => ({ event: 'slot', timestamp: 1, name, value });

describe('StateBuilder', () => {
  it('builds one state before each action plus the current one, starting without a previous action', () => {
    const events = [action('action_listen'), userEvent('greet'), action('utter_hi'), action('action_listen')];
    const { states, total } = builder.build(events);
    expect(total).toBe(4);
    expect(states).toEqual([
      { slots: { vip: [1, 0] } },
      { prev_action: { action_name: 'action_listen' }, user: { intent: 'greet' }, slots: { vip: [1, 0] } },
      { prev_action: { action_name: 'utter_hi' }, user: { intent: 'greet' }, slots: { vip: [1, 0] } },
      { prev_action: { action_name: 'action_listen' }, user: { intent: 'greet' }, slots: { vip: [1, 0] } },
    ]);
  });

  it('gives two conversations with the same history the same state objects, and different content different ones', () => {
    const own = new StateBuilder(domain);
    const history = (intent: string) => [action('action_listen'), userEvent(intent, { entities: [{ entity: 'city', value: 'Rome' }] }), action('utter_hi'), slot('vip', true), action('action_listen')];
    const first = own.build(history('inform'), { lastUserInput: 'intent' }).states;
    const second = own.build(history('inform'), { lastUserInput: 'intent' }).states;
    const other = own.build(history('greet'), { lastUserInput: 'intent' }).states;
    expect(second).toEqual(first);
    second.forEach((state, index) => expect(state).toBe(first[index]));
    expect(other[1]).not.toBe(first[1]);
    expect(other[1].user).toEqual({ intent: 'greet', entities: ['city'] });
    expect(first[1].user).toEqual({ intent: 'inform', entities: ['city'] });
    // Slot values, loops and text featurisation are part of the content.
    const vipFalse = own.build([action('action_listen'), userEvent('inform'), action('utter_hi'), slot('vip', false), action('action_listen')]).states;
    const vipTrue = own.build([action('action_listen'), userEvent('inform'), action('utter_hi'), slot('vip', true), action('action_listen')]).states;
    expect(vipFalse.at(-1)).not.toBe(vipTrue.at(-1));
    expect(vipFalse.at(-1)!.slots).toEqual({ vip: [1, 0] });
    expect(vipTrue.at(-1)!.slots).toEqual({ vip: [1, 1] });
    const byText = own.build(history('inform'), { lastUserInput: 'text' }).states;
    expect(byText.at(-1)).not.toBe(first.at(-1));
  });

  it('keeps states apart whose texts look like the other parts of a state', () => {
    const own = new StateBuilder(domain);
    const texts = ['a', 'a|', 'a\u0003', '1:a', 'i1:a||', 'a\u0000a13:action_listen', ''];
    const newest = texts.map((text) => own.build([action('action_listen'), userEvent('greet', { text })], { lastUserInput: 'text' }).states.at(-1)!);
    expect(new Set(newest).size).toBe(texts.length);
    newest.forEach((state, index) => expect(state.user?.text).toBe(texts[index] === '' ? undefined : texts[index]));
  });

  it('does not keep states of long texts in its table, and still builds them alike', () => {
    const own = new StateBuilder(domain);
    const long = 'y'.repeat(MAX_INTERNED_KEY_LENGTH + 1);
    const before = own.internedStates;
    const first = own.build([action('action_listen'), userEvent('greet', { text: long })], { lastUserInput: 'text' }).states.at(-1)!;
    const second = own.build([action('action_listen'), userEvent('greet', { text: long })], { lastUserInput: 'text' }).states.at(-1)!;
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(first.user).toEqual({ text: long });
    // Only the short states of those histories (no previous action, or by intent) were kept,
    // and the long one has no id, so policies do not remember windows holding it.
    expect(own.internedStates - before).toBeLessThanOrEqual(2);
    expect(windowKey([first])).toBeNull();
    expect(windowKey(own.build([action('action_listen'), userEvent('greet', { text: 'short' })], { lastUserInput: 'text' }).states)).not.toBeNull();
  });

  it('shares a bounded number of states, starting over when full, and builds the same states after', () => {
    const own = new StateBuilder(domain);
    const reference = new StateBuilder(domain).build([action('action_listen'), userEvent('greet'), action('utter_hi')]).states;
    for (let index = 0; index <= INTERNED_STATES + 5; index++) {
      own.build([action('action_listen'), userEvent('greet', { text: `text ${index}` })], { lastUserInput: 'text' });
      expect(own.internedStates).toBeLessThanOrEqual(INTERNED_STATES);
    }
    expect(own.internedStates).toBeLessThan(INTERNED_STATES);
    expect(own.build([action('action_listen'), userEvent('greet'), action('utter_hi')]).states).toEqual(reference);
  });

  it('keeps only the entities the intent uses, with role and group labels, sorted', () => {
    const events = [
      action('action_listen'),
      userEvent('inform', { entities: [{ entity: 'date', value: 'today' }, { entity: 'city', value: 'Rome', role: 'to' }, { entity: 'city', value: 'Oslo' }] }),
    ];
    const user = builder.build(events).states.at(-1)?.user;
    expect(user).toEqual({ intent: 'inform', entities: ['city'] });
    const unknownIntent = builder.build([
      action('action_listen'),
      userEvent('not_in_domain', { entities: [{ entity: 'date', value: 'x' }, { entity: 'city', value: 'Rome', role: 'to', group: 'g' }] }),
    ]);
    expect(unknownIntent.states.at(-1)?.user?.entities).toEqual(['city', 'city#g', 'city#to', 'date']);
  });

  it('includes featurised slots only, and with omitUnsetSlots only those an event set', () => {
    const events = [action('action_listen'), userEvent('greet'), slot('city', 'Rome'), slot('note', 'x')];
    expect(builder.build(events).states.at(-1)?.slots).toEqual({ city: [1], vip: [1, 0] });
    expect(builder.build(events, { omitUnsetSlots: true }).states.at(-1)?.slots).toEqual({ city: [1] });
  });

  it('writes should_not_be_set slots and loops as the marker', () => {
    const events = [slot('city', 'should_not_be_set'), { event: 'active_loop', timestamp: 1, name: 'should_not_be_set' } as TrackerEvent];
    expect(builder.build(events, { omitUnsetSlots: true }).states).toEqual([
      { slots: { city: 'should_not_be_set' }, active_loop: { name: 'should_not_be_set' } },
    ]);
  });

  it('featurises the newest message by text or by intent when asked', () => {
    const events = [action('action_listen'), userEvent('greet', { text: 'Hi there', entities: [{ entity: 'city', value: 'x' }] })];
    expect(builder.build(events, { lastUserInput: 'text' }).states.at(-1)?.user).toEqual({ text: 'Hi there' });
    expect(builder.build(events, { lastUserInput: 'intent' }).states.at(-1)?.user).toEqual({ intent: 'greet', entities: ['city'] });
  });

  it('follows user_featurization for past messages', () => {
    const events = [
      action('action_listen'),
      userEvent('greet', { text: 'Hi there' }),
      { event: 'user_featurization', timestamp: 1, use_text_for_featurization: true } as TrackerEvent,
      action('utter_hi'),
    ];
    expect(builder.build(events).states.at(-1)?.user).toEqual({ text: 'Hi there' });
  });

  it('returns only the newest states of a tail, still counting all', () => {
    const events = [action('action_listen'), userEvent('greet'), action('utter_hi'), action('action_listen'), userEvent('bye')];
    const { states, total } = builder.build(events, { tail: 2 });
    expect(total).toBe(4);
    expect(states.map((state) => state.prev_action)).toEqual([{ action_name: 'utter_hi' }, { action_name: 'action_listen' }]);
  });

  it('hides turns of rules that stories never use from story-trained policies', () => {
    const hidden = { hide_rule_turn: true };
    const events = [
      action('action_listen'),
      userEvent('greet'),
      action('utter_hi'),
      action('action_listen'),
      userEvent('bye'),
      action('utter_ok', hidden),
      action('action_listen', hidden),
      userEvent('inform'),
    ];
    const visible = builder.build(events, { ignoreRuleOnlyTurns: true }).states.map((state: DialogueState) => [state.prev_action, state.user?.intent]);
    expect(visible).toEqual([
      [undefined, undefined],
      [{ action_name: 'action_listen' }, 'greet'],
      [{ action_name: 'utter_hi' }, 'greet'],
      [{ action_name: 'action_listen' }, 'inform'],
    ]);
    expect(builder.build(events).total).toBe(6);
  });

  it('drops rule-only slots and loops for story-trained policies', () => {
    const events = [action('action_listen'), userEvent('greet'), slot('city', 'Rome'), { event: 'active_loop', timestamp: 1, name: 'trip_form' } as TrackerEvent];
    const state = builder.build(events, { ignoreRuleOnlyTurns: true, ruleOnlyData: { slots: ['city'], loops: ['trip_form'] } }).states.at(-1);
    expect(state).toEqual({ prev_action: { action_name: 'action_listen' }, user: { intent: 'greet' }, slots: { vip: [1, 0] } });
  });

  it('gives a live conversation the same states as the story it follows', () => {
    const { stories } = generateTrainingTrackers({
      domain,
      stories: [
        {
          name: 'trip',
          steps: [
            { kind: 'user', intent: 'inform', text: null, entities: [{ entity: 'city', value: 'Rome' }] },
            { kind: 'action', name: 'utter_ok' },
            { kind: 'user', intent: 'bye', text: null, entities: [] },
            { kind: 'action', name: 'utter_hi' },
          ],
        },
      ],
      rules: [],
    });
    const training = trackerExamples(stories[0], builder).states;
    const live = new TestConversation(domain)
      .add(userEvent('inform', { text: 'to Rome', entities: [{ entity: 'city', value: 'Rome' }] }), slot('city', 'Rome'))
      .add({ event: 'user_featurization', timestamp: 1, use_text_for_featurization: false }, action('utter_ok'), { event: 'bot', timestamp: 1, text: 'ok', data: { elements: null, quick_replies: null, buttons: null, attachment: null, image: null, custom: null } })
      .add(action('action_listen'), userEvent('bye', { text: 'bye' }), { event: 'user_featurization', timestamp: 1, use_text_for_featurization: false })
      .add(action('utter_hi'), action('action_listen'));
    expect(builder.build(live.appliedEvents).states).toEqual(training);
  });

  it('resumes a live tracker\'s states and gives the same ones as a full build, across rewrites', () => {
    const tracker = new DialogueStateTracker('resume', domain.slots);
    const hidden = { hide_rule_turn: true };
    const ruleOnlyData = { slots: ['city'], loops: [] };
    const settings: Array<StateOptions & { tail: number }> = [
      { tail: 3, lastUserInput: 'intent' },
      { tail: 3, lastUserInput: 'text' },
      { tail: 1, omitUnsetSlots: true },
      { tail: 5, ignoreRuleOnlyTurns: true, ruleOnlyData, lastUserInput: 'intent' },
    ];
    const turns: TrackerEvent[][] = [
      [action('action_session_start'), { event: 'session_started', timestamp: 1 }, action('action_listen')],
      [userEvent('inform', { text: 'to Rome', entities: [{ entity: 'city', value: 'Rome' }] }), slot('city', 'Rome')],
      [action('utter_ok'), action('action_listen'), userEvent('greet', { text: 'hello' })],
      [action('utter_hi', hidden), action('action_listen', hidden), userEvent('bye')],
      [{ event: 'rewind', timestamp: 1 }],
      [userEvent('greet'), action('trip_form'), { event: 'active_loop', timestamp: 1, name: 'trip_form' } as TrackerEvent],
      [action('action_listen'), userEvent('inform'), action('trip_form')],
      [{ event: 'undo', timestamp: 1 }, slot('vip', true), action('utter_ok')],
      [{ event: 'restart', timestamp: 1 }, action('action_listen'), userEvent('greet')],
      [action('utter_hi'), action('action_listen'), userEvent('bye', { text: 'bye' })],
    ];
    for (const turn of turns) {
      for (const event of turn) tracker.update(event);
      for (const options of settings) {
        expect(builder.buildFor(tracker, options)).toEqual(builder.build(tracker.appliedEvents, options));
      }
    }
  });

  it('gives every tail of the same options the states of a full build, also after a longer tail is asked and after undone prediction events', () => {
    const tracker = new DialogueStateTracker('tails', domain.slots);
    const tails = [1, 4, 2, 6, 3];
    const turns: TrackerEvent[][] = [
      [action('action_session_start'), { event: 'session_started', timestamp: 1 }, action('action_listen')],
      [userEvent('greet'), action('utter_hi'), action('action_listen')],
      [userEvent('inform', { entities: [{ entity: 'city', value: 'Rome' }] }), slot('city', 'Rome'), action('utter_ok')],
      [action('action_listen'), userEvent('bye', { text: 'bye' })],
    ];
    for (const turn of turns) {
      for (const event of turn) tracker.update(event);
      for (const tail of tails) {
        const options = { tail, lastUserInput: 'intent' as const };
        expect(builder.buildFor(tracker, options)).toEqual(builder.build(tracker.appliedEvents, options));
      }
      const tentative = tracker.updateTentatively([{ event: 'user_featurization', timestamp: 1, use_text_for_featurization: true }]);
      builder.buildFor(tracker, { tail: 2, lastUserInput: 'intent' });
      tentative?.undo();
      for (const tail of tails) {
        const options = { tail, lastUserInput: 'intent' as const };
        expect(builder.buildFor(tracker, options)).toEqual(builder.build(tracker.appliedEvents, options));
      }
    }
  });

  it('does not let one prediction\'s newest message featurisation leak into the next', () => {
    const tracker = new DialogueStateTracker('leak', domain.slots);
    for (const event of [action('action_listen'), userEvent('greet', { text: 'Hi there' })]) tracker.update(event);
    expect(builder.buildFor(tracker, { tail: 2, lastUserInput: 'text' }).states.at(-1)?.user).toEqual({ text: 'Hi there' });
    expect(builder.buildFor(tracker, { tail: 2, lastUserInput: 'intent' }).states.at(-1)?.user).toEqual({ intent: 'greet' });
    expect(builder.buildFor(tracker, { tail: 2 }).states.at(-1)?.user).toEqual({ intent: 'greet' });
  });
});
