import { describe, expect, it } from 'vitest';
import { loadPolicies, trainPolicies } from '../../../src/core/policies/index.js';
import type { DialoguePolicies } from '../../../src/core/policies/types.js';
import type { ComponentConfig } from '../../../src/shared/project.js';
import type { Story, StoryStep } from '../../../src/shared/training-data.js';
import { buildDomain } from './helpers/fixture-bot.js';
import { TestConversation, action } from './helpers/conversation.js';

const domain = buildDomain({
  intents: ['greet', 'ask', 'thanks', 'bye'],
  slots: { vip: { type: 'bool', mappings: [{ type: 'custom' }] } },
  responses: { utter_hi: [{ text: 'hi' }], utter_answer: [{ text: 'a' }], utter_welcome: [{ text: 'w' }], utter_bye: [{ text: 'b' }], utter_other: [{ text: 'o' }] },
});

const user = (intent: string): StoryStep => ({ kind: 'user', intent, text: null, entities: [] });
const act = (name: string): StoryStep => ({ kind: 'action', name });
const story = (name: string, steps: StoryStep[]): Story => ({ name, steps });

async function train(stories: Story[], config: ComponentConfig): Promise<DialoguePolicies> {
  return loadPolicies(await trainPolicies({ domain, stories, rules: [], policies: [config] }), domain);
}

/** Plays user intents, logging the predicted action after each (and the listen after it). */
function converse(policies: DialoguePolicies, intents: string[]): TestConversation {
  const conversation = new TestConversation(domain);
  for (const intent of intents) {
    conversation.user(intent);
    conversation.apply(policies.predict(conversation)).add(action('action_listen'));
  }
  return conversation;
}

const qa = story('qa', [user('greet'), act('utter_hi'), user('ask'), act('utter_answer'), user('thanks'), act('utter_welcome')]);

describe('MemoizationPolicy', () => {
  it('recalls the action that followed exactly this history in a story', async () => {
    const policies = await train([qa], { name: 'MemoizationPolicy' });
    const conversation = converse(policies, ['greet', 'ask']).user('thanks');
    expect(policies.predict(conversation)).toMatchObject({ actionName: 'utter_welcome', policyName: 'MemoizationPolicy', confidence: 1 });
  });

  it('predicts nothing once the conversation leaves the stories (whole history by default)', async () => {
    const policies = await train([qa], { name: 'MemoizationPolicy' });
    const conversation = converse(policies, ['ask']).user('thanks');
    expect(policies.predict(conversation)).toMatchObject({ actionName: 'action_listen', confidence: 0 });
  });

  it('recalls from the newest max_history states only', async () => {
    const policies = await train([qa], { name: 'MemoizationPolicy', max_history: 2 });
    const conversation = new TestConversation(domain).user('bye').add(action('utter_bye'), action('action_listen'));
    conversation.user('ask').add(action('utter_answer'), action('action_listen')).user('thanks');
    expect(policies.predict(conversation).actionName).toBe('utter_welcome');
    const unbounded = await train([qa], { name: 'MemoizationPolicy' });
    expect(unbounded.predict(conversation).confidence).toBe(0);
  });

  it('forgets histories that the stories continue in two different ways', async () => {
    const other = story('other', [user('greet'), act('utter_hi'), user('ask'), act('utter_other')]);
    const policies = await train([qa, other], { name: 'MemoizationPolicy' });
    const conversation = converse(policies, ['greet']).user('ask');
    expect(policies.predict(conversation).confidence).toBe(0);
    expect(policies.predict(new TestConversation(domain).user('greet')).actionName).toBe('utter_hi');
  });

  it('scores with the NLU confidence when use_nlu_confidence_as_score is on', async () => {
    const policies = await train([qa], { name: 'MemoizationPolicy', use_nlu_confidence_as_score: true });
    const conversation = new TestConversation(domain).user('greet', { confidence: 0.7 });
    expect(policies.predict(conversation)).toMatchObject({ actionName: 'utter_hi', confidence: 0.7 });
  });

  it('does not read slots of the conversation that the story did not have', async () => {
    const policies = await train([qa], { name: 'MemoizationPolicy' });
    const conversation = new TestConversation(domain).add({ event: 'slot', timestamp: 1, name: 'vip', value: true }).user('greet');
    expect(policies.predict(conversation).confidence).toBe(0);
  });
});

describe('AugmentedMemoizationPolicy', () => {
  it('recalls a story in the middle of a longer conversation by forgetting the oldest turns', async () => {
    const plain = await train([qa], { name: 'MemoizationPolicy' });
    const augmented = await train([qa], { name: 'AugmentedMemoizationPolicy' });
    const conversation = converse(augmented, ['bye', 'greet']).user('ask');
    expect(plain.predict(conversation).confidence).toBe(0);
    expect(augmented.predict(conversation)).toMatchObject({ actionName: 'utter_answer', policyName: 'AugmentedMemoizationPolicy' });
  });

  it('forgets slots set before the cut, so a story without them still matches', async () => {
    const augmented = await train([qa], { name: 'AugmentedMemoizationPolicy' });
    const conversation = new TestConversation(domain).add({ event: 'slot', timestamp: 1, name: 'vip', value: true });
    conversation.user('bye').add(action('utter_bye'), action('action_listen')).user('greet');
    expect(augmented.predict(conversation).actionName).toBe('utter_hi');
  });

  it('stays cheap for very long conversations and still finds the story at the end', async () => {
    const augmented = await train([qa], { name: 'AugmentedMemoizationPolicy' });
    const conversation = new TestConversation(domain);
    for (let turn = 0; turn < 2000; turn++) conversation.user('bye').add(action('utter_bye'), action('action_listen'));
    conversation.user('greet');
    expect(augmented.predict(conversation).actionName).toBe('utter_hi');
  });
});
