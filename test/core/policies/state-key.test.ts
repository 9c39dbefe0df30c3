import { describe, expect, it } from 'vitest';
import {
  REMEMBERED_DIGESTS,
  REMEMBERED_JSON_STRINGS,
  asciiJsonString,
  hashedStateKey,
  parseStateKey,
  pythonJson,
  rememberedJsonStrings,
  stateKey,
} from '../../../src/core/policies/state-key.js';
import { StateBuilder, type DialogueState } from '../../../src/core/policies/states.js';
import { BuiltDialogueState, numberState, stateMemo } from '../../../src/core/policies/state-memo.js';
import { buildDomain } from './helpers/fixture-bot.js';
import { action, userEvent } from './helpers/conversation.js';

describe('state keys', () => {
  it('writes states the way Python json.dumps(sort_keys=True) does', () => {
    const key = stateKey([{}, { user: { intent: 'greet', entities: ['city'] }, prev_action: { action_name: 'action_listen' }, slots: { vip: [1, 0.5] } }]);
    expect(key).toBe(
      '[{}, {"prev_action": {"action_name": "action_listen"}, "slots": {"vip": [1.0, 0.5]}, "user": {"entities": ["city"], "intent": "greet"}}]',
    );
  });

  it('escapes non-ASCII text like Python does', () => {
    expect(pythonJson('café')).toBe('"caf\\u00e9"');
  });

  it('parses a key back into the same states', () => {
    const states = [{ prev_action: { action_name: 'utter_x' }, slots: { s: 'should_not_be_set' as const } }];
    expect(parseStateKey(stateKey(states))).toEqual(states);
  });

  it('hashes histories into short keys that differ when the history differs', () => {
    const a = hashedStateKey([{ prev_action: { action_name: 'a' } }]);
    expect(a).toHaveLength(22);
    expect(hashedStateKey([{ prev_action: { action_name: 'a' } }])).toBe(a);
    expect(hashedStateKey([{ prev_action: { action_name: 'b' } }])).not.toBe(a);
  });

  it('gives built states (whose digests are remembered) the digest of the same states as plain objects, past the memories\' bounds', () => {
    // Shared states, as the builder gives them out: each with its own id.
    const built = (state: DialogueState): DialogueState => {
      const shared = Object.assign(new BuiltDialogueState() as DialogueState, state);
      numberState(stateMemo(shared)!);
      return shared;
    };
    const plainHistory = (index: number): DialogueState[] => [
      { prev_action: { action_name: 'action_listen' } },
      { user: { intent: `intent_${index % 97}` }, prev_action: { action_name: 'action_listen' } },
      { prev_action: { action_name: `utter_${index}` } },
    ];
    const rounds = REMEMBERED_DIGESTS + 50;
    const seen = new Set<string>();
    for (let index = 0; index < rounds; index++) {
      const plain = plainHistory(index);
      const digest = hashedStateKey(plain.map(built));
      expect(digest).toBe(hashedStateKey(plain));
      seen.add(digest);
    }
    expect(seen.size).toBe(rounds);
    // Asked again after the memories started over: the same answers.
    for (const index of [0, 1, rounds - 1]) expect(hashedStateKey(plainHistory(index).map(built))).toBe(hashedStateKey(plainHistory(index)));
  });

  it('writes remembered strings exactly as written afresh, short or long, ASCII or not', () => {
    const texts = ['greet', 'prev_action', 'say "hi"\n', 'café', '日本', 'tab\there', '', 'x'.repeat(64), 'é'.repeat(65)];
    for (const text of texts) {
      const fresh = JSON.stringify(text).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(asciiJsonString(text)).toBe(fresh);
      // The second time comes from the memory.
      expect(asciiJsonString(text)).toBe(fresh);
    }
  });

  it('remembers a bounded number of strings, starting over when full', () => {
    for (let index = 0; index <= REMEMBERED_JSON_STRINGS + 10; index++) {
      expect(asciiJsonString(`name_${index}`)).toBe(`"name_${index}"`);
      expect(rememberedJsonStrings()).toBeLessThanOrEqual(REMEMBERED_JSON_STRINGS);
    }
    expect(rememberedJsonStrings()).toBeLessThan(REMEMBERED_JSON_STRINGS);
    expect(asciiJsonString('name_0')).toBe('"name_0"');
  });

  it('sorts many keys in code-unit order, as before', () => {
    const record = Object.fromEntries(['b', 'a', 'Z', 'é', 'aa', '_', 'c1', 'c10', 'c2', 'y', 'x', 'w', 'v', 'u'].map((key, index) => [key, index]));
    const sorted = Object.keys(record).sort();
    expect(pythonJson(record)).toBe(`{${sorted.map((key) => `${pythonJson(key)}: ${pythonJson(record[key])}`).join(', ')}}`);
    expect(pythonJson({ b: 1, a: [true, null, 'x'], c: undefined })).toBe('{"a": [true, null, "x"], "b": 1.0}');
  });

  it('writes a built state\'s remembered text, and a changed copy of it afresh', () => {
    const domain = buildDomain({ intents: ['greet'], responses: { utter_hi: [{ text: 'hi' }] } });
    const builder = new StateBuilder(domain);
    const events = [action('action_listen'), userEvent('greet', { text: 'Hi' }), action('utter_hi')];
    const { states } = builder.build(events);
    const expected = pythonJson(states);
    expect(stateKey(states)).toBe(expected);
    expect(stateKey(states)).toBe(expected);
    const changed = { ...states[1], user: { text: 'Hi' } };
    expect(stateKey([changed])).toBe(pythonJson([changed]));
    expect(stateKey([changed])).not.toBe(stateKey([states[1]]));
  });
});

