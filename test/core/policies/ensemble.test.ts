import { describe, expect, it } from 'vitest';
import { combinePredictions } from '../../../src/core/policies/ensemble.js';
import type { PolicyPrediction } from '../../../src/core/policies/types.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import { buildDomain } from './helpers/fixture-bot.js';
import { TestConversation, action } from './helpers/conversation.js';

const domain = buildDomain({
  intents: ['greet'],
  responses: { utter_a: [{ text: 'a' }], utter_b: [{ text: 'b' }] },
  forms: { some_form: { required_slots: [] } },
});
const indexOf = (name: string): number => domain.actionNames.indexOf(name);

function candidate(name: string, priority: number, scores: Record<string, number>, extra: Partial<PolicyPrediction> = {}): PolicyPrediction {
  const probabilities = new Float64Array(domain.actionNames.length);
  for (const [action, score] of Object.entries(scores)) probabilities[indexOf(action)] = score;
  return {
    probabilities,
    policyName: name,
    priority,
    events: [],
    optionalEvents: [],
    isEndToEndPrediction: false,
    isNoUserPrediction: false,
    hideRuleTurn: false,
    ...extra,
  };
}

const afterUser = (): TestConversation => new TestConversation(domain).user('greet');

describe('combinePredictions', () => {
  it('picks the highest confidence, then the higher priority on equal confidence', () => {
    const result = combinePredictions(
      [candidate('TEDPolicy', 1, { utter_a: 0.9 }), candidate('MemoizationPolicy', 3, { utter_b: 0.9 }), candidate('Low', 5, { utter_a: 0.5 })],
      afterUser(),
      domain,
    );
    expect(result).toMatchObject({ actionName: 'utter_b', policyName: 'MemoizationPolicy', confidence: 0.9, actionIndex: indexOf('utter_b') });
  });

  it('lets the first listed policy win a complete tie', () => {
    const result = combinePredictions([candidate('First', 2, { utter_a: 1 }), candidate('Second', 2, { utter_b: 1 })], afterUser(), domain);
    expect(result.policyName).toBe('First');
  });

  it('zeroes the action that was just rejected in every prediction', () => {
    const conversation = afterUser().add({ event: 'action_execution_rejected', timestamp: 1, name: 'some_form', policy: null, confidence: null });
    const result = combinePredictions(
      [candidate('RulePolicy', 4, { some_form: 1, action_default_fallback: 0.3 }), candidate('TEDPolicy', 1, { some_form: 0.8, utter_a: 0.2 })],
      conversation,
      domain,
    );
    expect(result).toMatchObject({ actionName: 'action_default_fallback', policyName: 'RulePolicy', confidence: 0.3 });
  });

  it('forgets a rejection once another action ran', () => {
    const conversation = afterUser()
      .add({ event: 'action_execution_rejected', timestamp: 1, name: 'some_form', policy: null, confidence: null })
      .add(action('utter_a'));
    expect(combinePredictions([candidate('RulePolicy', 4, { some_form: 1 })], conversation, domain).actionName).toBe('some_form');
  });

  it('lets loop happy-path predictions beat everything, and end-to-end predictions beat intent ones', () => {
    const noUser = candidate('RulePolicy', 4, { some_form: 1 }, { isNoUserPrediction: true });
    const strong = candidate('Memo', 9, { utter_a: 1 });
    expect(combinePredictions([strong, noUser], afterUser(), domain).actionName).toBe('some_form');
    const endToEnd = candidate('TEDPolicy', 1, { utter_b: 0.4 }, { isEndToEndPrediction: true });
    const result = combinePredictions([strong, endToEnd], afterUser(), domain);
    expect(result).toMatchObject({ actionName: 'utter_b', isEndToEndPrediction: true });
  });

  it('keeps every policy’s events and only the winner’s optional events', () => {
    const interrupted: TrackerEvent = { event: 'loop_interrupted', timestamp: 1, is_interrupted: true };
    const entities: TrackerEvent = { event: 'entities', timestamp: 1, entities: [{ entity: 'city', value: 'x' }] };
    const lost: TrackerEvent = { event: 'entities', timestamp: 1, entities: [] };
    const result = combinePredictions(
      [
        candidate('RulePolicy', 4, { utter_a: 0.3 }, { events: [interrupted], optionalEvents: [lost] }),
        candidate('TEDPolicy', 1, { utter_b: 0.9 }, { optionalEvents: [entities], hideRuleTurn: true, actionMetadata: { m: 1 } }),
      ],
      afterUser(),
      domain,
    );
    expect(result.events.slice(0, 2)).toEqual([interrupted, entities]);
    expect(result).toMatchObject({ hideRuleTurn: true, actionMetadata: { m: 1 } });
  });

  it('adds user_featurization only right after action_listen, true for a text-based winner', () => {
    const text = combinePredictions([candidate('RulePolicy', 4, { utter_a: 1 }, { isEndToEndPrediction: true })], afterUser(), domain);
    expect(text.events.at(-1)).toMatchObject({ event: 'user_featurization', use_text_for_featurization: true });
    const intent = combinePredictions([candidate('RulePolicy', 4, { utter_a: 1 })], afterUser(), domain);
    expect(intent.events.at(-1)).toMatchObject({ event: 'user_featurization', use_text_for_featurization: false });
    const later = combinePredictions([candidate('RulePolicy', 4, { utter_a: 1 })], afterUser().add(action('utter_a')), domain);
    expect(later.events).toEqual([]);
  });

  it('predicts action_listen when no policy predicts anything', () => {
    const result = combinePredictions([candidate('A', 1, {}), candidate('B', 2, {})], afterUser(), domain);
    expect(result).toMatchObject({ actionName: 'action_listen', actionIndex: 0, confidence: 0, policyName: 'B' });
  });
});
