import { beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/logger.js';
import { loadPolicies, trainPolicies, type DialogueModelData } from '../../../src/core/policies/index.js';
import type { DialoguePolicies } from '../../../src/core/policies/types.js';
import type { Story, StoryStep } from '../../../src/shared/training-data.js';
import { buildDomain, readFixtureBot } from './helpers/fixture-bot.js';
import { TestConversation, action, playBotTurn } from './helpers/conversation.js';
import { playTestStory } from './helpers/test-stories.js';

function capture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  return { logger: createLogger({ destination: stream }), text: () => lines.join('') };
}

describe('moodbot with the default policies', () => {
  const bot = readFixtureBot('moodbot');
  let data: DialogueModelData;
  let policies: DialoguePolicies;
  const logs = capture();
  beforeAll(async () => {
    expect(bot.policies).toBeNull();
    data = await trainPolicies({ domain: bot.domain, stories: bot.stories, rules: bot.rules, policies: bot.policies }, { logger: logs.logger });
    policies = loadPolicies(JSON.parse(JSON.stringify(data)) as DialogueModelData, bot.domain);
  });

  it('trains Rasa’s default policies, skipping UnexpecTEDIntentPolicy with a log line', () => {
    expect(data.policies.map((policy) => policy.type)).toEqual(['MemoizationPolicy', 'RulePolicy', 'TEDPolicy']);
    expect(data.skippedPolicies).toEqual(['UnexpecTEDIntentPolicy']);
    expect(logs.text()).toContain("using Rasa's default policies");
    expect(logs.text()).toContain('Parley does not run UnexpecTEDIntentPolicy yet');
  });

  for (const story of readFixtureBot('moodbot').testStories) {
    it(`predicts every action of the test story '${story.name}'`, () => {
      const results = playTestStory(policies, bot.domain, story);
      expect(results.map((step) => step.predicted)).toEqual(results.map((step) => step.expected));
    });
  }

  it('lets the goodbye rule answer after a story, hiding that rule turn from story-trained policies', () => {
    const conversation = new TestConversation(bot.domain).user('greet');
    playBotTurn(policies, conversation);
    conversation.user('goodbye');
    expect(policies.predict(conversation)).toMatchObject({ actionName: 'utter_goodbye', policyName: 'RulePolicy', hideRuleTurn: true });
  });

  it('restarts on /restart in the middle of a conversation', () => {
    const conversation = new TestConversation(bot.domain).user('greet');
    playBotTurn(policies, conversation);
    conversation.user('restart');
    expect(policies.predict(conversation)).toMatchObject({ actionName: 'action_restart', policyName: 'RulePolicy' });
  });

  it('lets TEDPolicy continue a path that is not literally in the stories', () => {
    const conversation = new TestConversation(bot.domain).user('greet');
    playBotTurn(policies, conversation);
    conversation.user('mood_great');
    playBotTurn(policies, conversation);
    conversation.user('greet');
    expect(policies.predict(conversation)).toMatchObject({ actionName: 'utter_greet', policyName: 'TEDPolicy' });
  });

  it('falls back to the core fallback whenever no policy is more confident than its threshold', () => {
    for (const intent of ['affirm', 'deny', 'mood_unhappy', 'mood_great']) {
      const conversation = new TestConversation(bot.domain).user('bot_challenge');
      playBotTurn(policies, conversation);
      conversation.user(intent);
      const prediction = policies.predict(conversation);
      if (prediction.policyName === 'RulePolicy') {
        expect(prediction).toMatchObject({ actionName: 'action_default_fallback', confidence: 0.3 });
      } else {
        expect(prediction.confidence).toBeGreaterThan(0.3);
      }
    }
  });
});

describe('trained policies as JSON', () => {
  it('predict the same after serialising, parsing and loading', async () => {
    for (const name of ['moodbot', 'formbot'] as const) {
      const bot = readFixtureBot(name);
      const data = await trainPolicies({ domain: bot.domain, stories: bot.stories, rules: bot.rules, policies: bot.policies });
      const direct = loadPolicies(data, bot.domain);
      const reloaded = loadPolicies(JSON.parse(JSON.stringify(data)) as DialogueModelData, bot.domain);
      for (const intent of bot.domain.intents.map((intent) => intent.name)) {
        const conversation = new TestConversation(bot.domain).user(intent);
        conversation.apply(direct.predict(conversation)).user('greet');
        const expected = direct.policies.map((policy) => [...policy.predict(conversation).probabilities]);
        const actual = reloaded.policies.map((policy) => [...policy.predict(conversation).probabilities]);
        expect(actual).toEqual(expected);
        expect(reloaded.predict(conversation)).toEqual({ ...direct.predict(conversation), events: expect.any(Array) });
      }
    }
  });

  it('refuses data in another format', () => {
    const domain = readFixtureBot('moodbot').domain;
    expect(() => loadPolicies({ format: 'other' } as unknown as DialogueModelData, domain)).toThrowError(
      expect.objectContaining({ code: 'PARLEY_ERR_MODEL_INVALID' }),
    );
    const unknownPolicy = { format: 'parley.dialogue.v1', policies: [{ type: 'KerasPolicy' }], ruleOnlyData: null, skippedPolicies: [] };
    expect(() => loadPolicies(unknownPolicy as unknown as DialogueModelData, domain)).toThrowError(/cannot load/);
  });
});

describe('trainPolicies', () => {
  const domain = buildDomain({ intents: ['greet', 'bye'], responses: { utter_a: [{ text: 'a' }], utter_b: [{ text: 'b' }] } });
  const user = (intent: string): StoryStep => ({ kind: 'user', intent, text: null, entities: [] });
  const stories: Story[] = [{ name: 'story', steps: [user('greet'), { kind: 'action', name: 'utter_a' }] }];

  it('lets a rule beat a story that predicts as confidently', async () => {
    const data = await trainPolicies({
      domain,
      stories,
      rules: [{ name: 'rule', steps: [user('greet'), { kind: 'action', name: 'utter_b' }], condition: [], conversationStart: false, waitForUserInput: true }],
      policies: [{ name: 'MemoizationPolicy' }, { name: 'RulePolicy', check_for_contradictions: false }],
    });
    const prediction = loadPolicies(data, domain).predict(new TestConversation(domain).user('greet'));
    expect(prediction).toMatchObject({ actionName: 'utter_b', policyName: 'RulePolicy', confidence: 1 });
  });

  it('reports progress from 0 to 1 through the trackers and every policy', async () => {
    const events: Array<{ stage: string; fraction: number }> = [];
    await trainPolicies(
      { domain, stories, rules: [], policies: [{ name: 'RulePolicy' }, { name: 'TEDPolicy' }] },
      { onProgress: (event) => events.push(event) },
    );
    const fractions = events.map((event) => event.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(new Set(events.map((event) => event.stage))).toEqual(new Set(['trackers', 'RulePolicy', 'TEDPolicy', 'done']));
  });

  it('warns about actions that stories use but the domain does not list', async () => {
    const logs = capture();
    await trainPolicies(
      {
        domain,
        stories: [{ name: 'typo', steps: [user('bye'), { kind: 'action', name: 'utter_bey', source: { file: 'data/stories.yml', line: 4, column: 7 } }] }],
        rules: [],
        policies: [{ name: 'MemoizationPolicy' }],
      },
      { logger: logs.logger },
    );
    expect(logs.text()).toContain("The story 'typo' (data/stories.yml:4:7) uses the action 'utter_bey', which is not in the domain");
  });

  it('rejects unsupported policies before training anything', async () => {
    await expect(trainPolicies({ domain, stories, rules: [], policies: [{ name: 'FormPolicy' }] })).rejects.toMatchObject({
      code: 'PARLEY_ERR_POLICY_UNSUPPORTED',
    });
  });

  it('still predicts sensibly for a long conversation', async () => {
    const policies = loadPolicies(await trainPolicies({ domain, stories, rules: [], policies: null }), domain);
    const conversation = new TestConversation(domain);
    for (let turn = 0; turn < 500; turn++) conversation.user('bye').add(action('utter_b'), action('action_listen'));
    conversation.user('greet');
    expect(policies.predict(conversation).actionName).toBe('utter_a');
  });
});
