import { describe, expect, it } from 'vitest';
import {
  actionExecuted,
  botUttered,
  parseEvent,
  parseEvents,
  sameEvent,
  serializeEvent,
  slotSet,
  userUttered,
} from '../../src/core/events.js';
import { ParleyError } from '../../src/errors.js';

function errorOf(run: () => unknown): ParleyError {
  try {
    run();
  } catch (error) {
    return error as ParleyError;
  }
  throw new Error('expected an error');
}

describe('event construction', () => {
  it('stamps events with the current time in seconds', () => {
    const before = Date.now() / 1000;
    const event = slotSet('cuisine', 'thai');
    expect(event.timestamp).toBeGreaterThanOrEqual(before - 0.001);
    expect(event.timestamp).toBeLessThanOrEqual(Date.now() / 1000 + 0.001);
  });

  it('gives a user event parse data with intent, entities, text, message_id and metadata', () => {
    const event = userUttered({
      text: 'hi',
      parseData: { text: 'hi', intent: { name: 'greet', confidence: 0.9 }, entities: [], intent_ranking: [] },
      inputChannel: 'rest',
      messageId: 'abc',
      metadata: { page: 'home' },
    });
    expect(event.parse_data).toEqual({
      intent: { name: 'greet', confidence: 0.9 },
      entities: [],
      text: 'hi',
      message_id: 'abc',
      metadata: { page: 'home' },
      intent_ranking: [],
    });
    expect(event.input_channel).toBe('rest');
  });

  it('ignores NLU output keys that are present but undefined', () => {
    const event = userUttered({ text: 'hi', messageId: 'm', metadata: { a: 1 }, parseData: { text: 'hi', message_id: undefined, metadata: undefined } });
    expect(event.parse_data).toMatchObject({ message_id: 'm', metadata: { a: 1 } });
  });

  it('defaults a user event without NLU output to an empty intent', () => {
    const event = userUttered({ text: 'EXTERNAL: x' });
    expect(event.parse_data.intent).toEqual({});
    expect(event.parse_data.entities).toEqual([]);
    expect(event.message_id).toBeNull();
  });
});

describe('serializeEvent', () => {
  it('writes user and bot events with a metadata key even when it is empty', () => {
    const json = serializeEvent(botUttered('Hello'));
    expect(json).toMatchObject({ event: 'bot', text: 'Hello', metadata: {} });
    expect(json.data).toEqual({ elements: null, quick_replies: null, buttons: null, attachment: null, image: null, custom: null });
  });

  it('omits empty metadata on other events and keeps every field', () => {
    const json = serializeEvent(actionExecuted('utter_greet', { policy: 'RulePolicy', confidence: 1, timestamp: 5 }));
    expect(json).toEqual({
      event: 'action',
      timestamp: 5,
      name: 'utter_greet',
      policy: 'RulePolicy',
      confidence: 1,
      action_text: null,
      hide_rule_turn: false,
    });
  });

  it('keeps the parameters of cancel_reminder', () => {
    const event = parseEvent({ event: 'cancel_reminder', timestamp: 1, name: 'r1', intent: 'EXTERNAL_x' });
    expect(serializeEvent(event!)).toMatchObject({ name: 'r1', intent: 'EXTERNAL_x' });
  });
});

describe('parseEvent', () => {
  it('reads every event type of Rasa and round-trips it', () => {
    const inputs = [
      { event: 'user', timestamp: 1, text: 'hi', parse_data: { intent: { name: 'greet', confidence: 1 }, entities: [] }, input_channel: 'rest', message_id: 'm' },
      { event: 'bot', timestamp: 1, text: 'Hey', data: { buttons: [{ title: 'A', payload: '/a' }] }, metadata: { utter_action: 'utter_greet' } },
      { event: 'action', timestamp: 1, name: 'utter_greet', policy: 'RulePolicy', confidence: 1, action_text: null, hide_rule_turn: true },
      { event: 'slot', timestamp: 1, name: 'x', value: null },
      { event: 'active_loop', timestamp: 1, name: 'restaurant_form' },
      { event: 'followup', timestamp: 1, name: 'action_listen' },
      { event: 'reset_slots', timestamp: 1 },
      { event: 'restart', timestamp: 1 },
      { event: 'session_started', timestamp: 1 },
      { event: 'rewind', timestamp: 1 },
      { event: 'undo', timestamp: 1 },
      { event: 'pause', timestamp: 1 },
      { event: 'resume', timestamp: 1 },
      { event: 'export', timestamp: 1 },
      { event: 'agent', timestamp: 1, text: 'x', data: null },
      { event: 'user_featurization', timestamp: 1, use_text_for_featurization: true },
      { event: 'action_execution_rejected', timestamp: 1, name: 'f', policy: null, confidence: null },
      { event: 'loop_interrupted', timestamp: 1, is_interrupted: true },
      { event: 'entities', timestamp: 1, entities: [{ entity: 'city', value: 'Berlin' }] },
      { event: 'reminder', timestamp: 1, intent: 'EXTERNAL_r', date_time: '2024-01-01T12:00:00+00:00', entities: null, name: 'r', kill_on_user_msg: false },
      { event: 'cancel_reminder', timestamp: 1, name: 'r', intent: null, entities: null },
    ];
    for (const input of inputs) {
      const event = parseEvent(input);
      expect(event?.event).toBe(input.event);
      expect(serializeEvent(event!)).toMatchObject(Object.fromEntries(Object.entries(input).filter(([key]) => key !== 'data' && key !== 'parse_data')));
    }
  });

  it('fills a missing or null timestamp with now', () => {
    const before = Date.now() / 1000 - 0.001;
    expect(parseEvent({ event: 'slot', name: 'x', value: 1 })!.timestamp).toBeGreaterThanOrEqual(before);
    expect(parseEvent({ event: 'slot', name: 'x', value: 1, timestamp: null })!.timestamp).toBeGreaterThanOrEqual(before);
  });

  it('rejects an unknown event name with the name in the message', () => {
    const error = errorOf(() => parseEvent({ event: 'teleport' }));
    expect(error.code).toBe('PARLEY_ERR_EVENT_INVALID');
    expect(error.message).toContain("Unknown event name 'teleport'");
    expect(error.status).toBe(400);
  });

  it('ignores the legacy topic event', () => {
    expect(parseEvent({ event: 'topic', topic: 'x' })).toBeNull();
    expect(parseEvents([{ event: 'topic' }, { event: 'restart' }]).map((event) => event.event)).toEqual(['restart']);
  });

  it('reads the legacy form event as active_loop and form_validation as loop_interrupted', () => {
    expect(parseEvent({ event: 'form', name: 'f' })).toMatchObject({ event: 'active_loop', name: 'f' });
    expect(parseEvent({ event: 'form_validation', validate: false })).toMatchObject({ event: 'loop_interrupted', is_interrupted: true });
    expect(parseEvent({ event: 'form_validation', validate: true })).toMatchObject({ event: 'loop_interrupted', is_interrupted: false });
  });

  it('names the offending field and the event position when a field has the wrong type', () => {
    const error = errorOf(() =>
      parseEvents([{ event: 'restart' }, { event: 'user', parse_data: { intent: { name: 5 } } }]),
    );
    expect(error.message).toContain("events[1] ('user')");
    expect(error.message).toContain("'parse_data.intent.name'");
  });

  it('requires name and value on slot events, even a null value must be present', () => {
    expect(errorOf(() => parseEvent({ event: 'slot', name: 'x' })).message).toContain("'value'");
    expect(errorOf(() => parseEvent({ event: 'slot', value: 'x' })).message).toContain("'name'");
  });

  it('requires entity and value on each added entity', () => {
    expect(errorOf(() => parseEvent({ event: 'entities', entities: [{ value: 'x' }] })).message).toContain("'entities.0.entity'");
  });

  it('rejects events that are not objects or lack a string event field', () => {
    expect(errorOf(() => parseEvent('restart')).code).toBe('PARLEY_ERR_EVENT_INVALID');
    expect(errorOf(() => parseEvent({ timestamp: 1 })).message).toContain("'event'");
    expect(errorOf(() => parseEvents({ event: 'restart' })).message).toContain('list');
  });

  it('keeps unknown extra fields out of the typed event but accepts them', () => {
    const event = parseEvent({ event: 'restart', timestamp: 2, extra: true });
    expect(serializeEvent(event!)).toEqual({ event: 'restart', timestamp: 2 });
  });

  it('defaults a reminder to kill_on_user_msg true and a generated name', () => {
    const event = parseEvent({ event: 'reminder', intent: 'EXTERNAL_x', date_time: '2030-01-01T00:00:00' });
    expect(event).toMatchObject({ kill_on_user_msg: true });
    expect((event as { name: string }).name).toMatch(/[0-9a-f-]{36}/);
  });
});

describe('sameEvent', () => {
  it('ignores timestamps and metadata', () => {
    const a = { ...slotSet('x', { a: 1, b: [2] }), timestamp: 1 };
    const b = { ...slotSet('x', { b: [2], a: 1 }), timestamp: 2, metadata: { model_id: 'm' } };
    expect(sameEvent(a, b)).toBe(true);
    expect(sameEvent(a, slotSet('x', 2))).toBe(false);
  });
});
