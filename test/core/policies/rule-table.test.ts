import { describe, expect, it } from 'vitest';
import { RuleTable, isApplicable, ruleStateMatches } from '../../../src/core/policies/rule-table.js';
import { stateKey } from '../../../src/core/policies/state-key.js';
import type { DialogueState } from '../../../src/core/policies/states.js';

const listen = { action_name: 'action_listen' };

describe('rule matching', () => {
  it('accepts extra features in the conversation state but not different values', () => {
    const rule: DialogueState = { prev_action: listen, user: { intent: 'greet' } };
    expect(ruleStateMatches(rule, { prev_action: listen, user: { intent: 'greet', entities: ['city'] }, slots: { vip: [1] } })).toBe(true);
    expect(ruleStateMatches(rule, { prev_action: listen, user: { intent: 'bye' } })).toBe(false);
  });

  it('reads should_not_be_set as "absent"', () => {
    const rule: DialogueState = { prev_action: listen, slots: { vip: 'should_not_be_set' }, active_loop: { name: 'should_not_be_set' } };
    expect(ruleStateMatches(rule, { prev_action: listen })).toBe(true);
    expect(ruleStateMatches(rule, { prev_action: listen, slots: { vip: [1, 0] } })).toBe(false);
    expect(ruleStateMatches(rule, { prev_action: listen, active_loop: { name: 'f' } })).toBe(false);
  });

  it('matches conversation-start states only against each other', () => {
    const startRule: DialogueState[] = [{}, { prev_action: listen, user: { intent: 'greet' } }];
    expect(isApplicable(startRule, [{}, { prev_action: listen, user: { intent: 'greet' } }])).toBe(true);
    expect(isApplicable(startRule, [{}, { prev_action: { action_name: 'utter_x' } }, { prev_action: listen, user: { intent: 'greet' } }])).toBe(false);
  });

  it('picks the longest applicable key, the earlier one on a tie', () => {
    const short = stateKey([{ prev_action: listen, user: { intent: 'greet' } }]);
    const long = stateKey([{ prev_action: listen, user: { intent: 'greet' }, slots: { vip: [1, 1] } }]);
    const table = new RuleTable([
      [short, 'utter_hi'],
      [long, 'utter_vip'],
    ]);
    expect(table.best([{}, { prev_action: listen, user: { intent: 'greet' }, slots: { vip: [1, 1] } }])?.value).toBe('utter_vip');
    expect(table.best([{}, { prev_action: listen, user: { intent: 'greet' } }])?.value).toBe('utter_hi');
    table.delete(short);
    expect(table.best([{}, { prev_action: listen, user: { intent: 'greet' } }])).toBeUndefined();
  });

  it('finds exactly the keys isApplicable accepts (absent, should_not_be_set, list and start states)', () => {
    const rules: DialogueState[][] = [
      [{ prev_action: listen, user: { intent: 'greet' } }],
      [{}, { prev_action: listen, user: { intent: 'greet' } }],
      [{ prev_action: listen, user: { intent: 'greet' }, slots: { vip: [1, 0] } }],
      [{ prev_action: listen, slots: { vip: 'should_not_be_set' }, active_loop: { name: 'should_not_be_set' } }],
      [{ prev_action: { action_name: 'utter_x' } }, { prev_action: listen, user: { intent: 'bye', entities: ['city'] } }],
    ];
    const conversations: DialogueState[][] = [
      [{}, { prev_action: listen, user: { intent: 'greet' } }],
      [{}, { prev_action: listen, user: { intent: 'greet' }, slots: { vip: [1, 0] } }],
      [{ prev_action: { action_name: 'utter_x' } }, { prev_action: listen, user: { intent: 'bye', entities: ['city'] } }],
      [{ prev_action: { action_name: 'utter_y' } }, { prev_action: listen, user: { intent: 'bye', entities: ['city'] }, active_loop: { name: 'f' } }],
      [{ prev_action: listen, user: { intent: 'greet' }, slots: { vip: [0, 1] } }],
    ];
    const table = new RuleTable(rules.map((states, index) => [stateKey(states), `a${index}`] as const));
    for (const conversation of conversations) {
      const expected = rules.map((states, index) => (isApplicable(states, conversation) ? `a${index}` : null)).filter((value) => value !== null);
      expect(table.applicable(conversation).map((entry) => entry.value).sort()).toEqual(expected.sort());
    }
  });
});
