import { describe, expect, it } from 'vitest';
import { loadPolicies, trainPolicies } from '../../../src/core/policies/index.js';
import type { TedPolicyData } from '../../../src/core/policies/ted-policy.js';
import type { Story, StoryStep } from '../../../src/shared/training-data.js';
import { buildDomain } from './helpers/fixture-bot.js';
import { TestConversation, action } from './helpers/conversation.js';

const domain = buildDomain({
  intents: ['greet', 'ask', 'thanks', 'bye', 'chitchat'],
  responses: { utter_hi: [{ text: 'hi' }], utter_answer: [{ text: 'a' }], utter_welcome: [{ text: 'w' }], utter_bye: [{ text: 'b' }] },
});
const user = (intent: string): StoryStep => ({ kind: 'user', intent, text: null, entities: [] });
const act = (name: string): StoryStep => ({ kind: 'action', name });
const stories: Story[] = [
  { name: 'qa', steps: [user('greet'), act('utter_hi'), user('ask'), act('utter_answer'), user('thanks'), act('utter_welcome')] },
  { name: 'bye', steps: [user('greet'), act('utter_hi'), user('bye'), act('utter_bye')] },
];

async function trainTed(options: Record<string, unknown> = {}) {
  const data = await trainPolicies({ domain, stories, rules: [], policies: [{ name: 'TEDPolicy', ...options }] });
  return { data, policies: loadPolicies(data, domain) };
}

describe('TEDPolicy', () => {
  it('predicts sensible actions for conversations the stories do not contain literally', async () => {
    const { policies } = await trainTed();
    const conversation = new TestConversation(domain).user('chitchat').add(action('utter_bye'), action('action_listen'));
    conversation.user('ask');
    const answer = policies.predict(conversation);
    expect(answer).toMatchObject({ actionName: 'utter_answer', policyName: 'TEDPolicy' });
    conversation.apply(answer);
    expect(policies.predict(conversation).actionName).toBe('action_listen');
  });

  it('gives conversations with the same recent states the same scores, each in its own array, and different ones different scores', async () => {
    const { policies } = await trainTed();
    const ted = policies.policies[0];
    const first = ted.predict(new TestConversation(domain).user('greet'));
    const second = ted.predict(new TestConversation(domain).user('greet'));
    expect([...second.probabilities]).toEqual([...first.probabilities]);
    expect(second.probabilities).not.toBe(first.probabilities);
    first.probabilities.fill(0);
    expect([...ted.predict(new TestConversation(domain).user('greet')).probabilities]).toEqual([...second.probabilities]);
    const other = ted.predict(new TestConversation(domain).user('bye'));
    expect([...other.probabilities]).not.toEqual([...second.probabilities]);
  });

  it('returns probabilities that sum to one over the actions seen in stories', async () => {
    const { policies } = await trainTed();
    const prediction = policies.policies[0].predict(new TestConversation(domain).user('greet'));
    expect([...prediction.probabilities].reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 6);
    expect(prediction.priority).toBe(1);
  });

  it('reads max_history states (default 5) and accepts epochs without using it', async () => {
    const defaults = (await trainTed()).data.policies[0] as TedPolicyData;
    expect(defaults.maxHistory).toBe(5);
    const short = (await trainTed({ max_history: 2, epochs: 400 })).data.policies[0] as TedPolicyData;
    expect(short.maxHistory).toBe(2);
    expect(short.vocabulary.every((token) => !/^[2-9]\|/.test(token))).toBe(true);
  });

  it('is deterministic: the same data gives the same weights', async () => {
    const first = (await trainTed()).data.policies[0] as TedPolicyData;
    const second = (await trainTed()).data.policies[0] as TedPolicyData;
    expect(second.weights).toEqual(first.weights);
  });

  it('predicts nothing when there are no stories to learn from', async () => {
    const data = await trainPolicies({ domain, stories: [], rules: [], policies: [{ name: 'TEDPolicy' }] });
    const prediction = loadPolicies(data, domain).predict(new TestConversation(domain).user('greet'));
    expect(prediction).toMatchObject({ actionName: 'action_listen', confidence: 0 });
  });
});
