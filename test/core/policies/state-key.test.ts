import { describe, expect, it } from 'vitest';
import { hashedStateKey, parseStateKey, pythonJson, stateKey } from '../../../src/core/policies/state-key.js';

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
});
