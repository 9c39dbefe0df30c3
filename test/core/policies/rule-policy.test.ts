import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicies, trainPolicies } from '../../../src/core/policies/index.js';
import type { DialoguePolicies, PolicyPrediction } from '../../../src/core/policies/types.js';
import type { ComponentConfig } from '../../../src/shared/project.js';
import type { Rule, Story, StoryStep } from '../../../src/shared/training-data.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import { buildDomain, readFixtureBot } from './helpers/fixture-bot.js';
import { TestConversation } from './helpers/conversation.js';

const FORM = 'restaurant_form';
const activate: TrackerEvent[] = [
  { event: 'active_loop', timestamp: 1, name: FORM },
  { event: 'slot', timestamp: 1, name: 'requested_slot', value: 'cuisine' },
];
const deactivate: TrackerEvent[] = [
  { event: 'slot', timestamp: 1, name: 'requested_slot', value: null },
  { event: 'active_loop', timestamp: 1, name: null },
];
const rejection: TrackerEvent = { event: 'action_execution_rejected', timestamp: 1, name: FORM, policy: 'RulePolicy', confidence: 1 };

function rulePolicyOf(policies: DialoguePolicies) {
  const policy = policies.policies.find((candidate) => candidate.name === 'RulePolicy');
  if (!policy) throw new Error('no RulePolicy');
  return policy;
}

function best(prediction: PolicyPrediction, actionNames: readonly string[]): string {
  let index = 0;
  prediction.probabilities.forEach((score, candidate) => {
    if (score > prediction.probabilities[index]) index = candidate;
  });
  return actionNames[index];
}

describe('RulePolicy with formbot', () => {
  const bot = readFixtureBot('formbot');
  let policies: DialoguePolicies;
  beforeAll(async () => {
    const data = await trainPolicies({ domain: bot.domain, stories: bot.stories, rules: bot.rules, policies: bot.policies });
    policies = loadPolicies(data, bot.domain);
  });

  /** A conversation in which the form has just asked its first question. */
  function inForm(): TestConversation {
    const conversation = new TestConversation(bot.domain).user('request_restaurant');
    conversation.apply(policies.predict(conversation)).add(...activate);
    conversation.apply(policies.predict(conversation));
    return conversation;
  }

  it('activates the form with the rule for request_restaurant', () => {
    const conversation = new TestConversation(bot.domain).user('request_restaurant');
    expect(policies.predict(conversation)).toMatchObject({ actionName: FORM, policyName: 'RulePolicy', confidence: 1 });
  });

  it('listens after the form ran, as a prediction that ignores the user message', () => {
    const conversation = new TestConversation(bot.domain).user('request_restaurant');
    conversation.apply(policies.predict(conversation)).add(...activate);
    const prediction = rulePolicyOf(policies).predict(conversation);
    expect(best(prediction, bot.domain.actionNames)).toBe('action_listen');
    expect(prediction.isNoUserPrediction).toBe(true);
  });

  it('runs the form on the next user message whatever the intent', () => {
    const conversation = inForm().user('inform', { entities: [{ entity: 'cuisine', value: 'thai' }] });
    expect(policies.predict(conversation)).toMatchObject({ actionName: FORM, policyName: 'RulePolicy' });
  });

  it('runs the submit rule once the form set active_loop to null, then listens', () => {
    const conversation = inForm().user('inform');
    conversation.apply(policies.predict(conversation)).add(...deactivate);
    const names: string[] = [];
    for (let step = 0; step < 3; step++) {
      const prediction = policies.predict(conversation);
      names.push(prediction.actionName);
      conversation.apply(prediction);
    }
    expect(names).toEqual(['utter_submit', 'utter_slots_values', 'action_listen']);
  });

  it('answers chitchat after the form rejected it, then returns to the form', () => {
    const conversation = inForm().user('chitchat');
    expect(policies.predict(conversation).actionName).toBe(FORM);
    // The form could not extract anything: the processor logs only the rejection.
    conversation.add(rejection);
    const chitchat = policies.predict(conversation);
    expect(chitchat).toMatchObject({ actionName: 'utter_chitchat', policyName: 'RulePolicy' });
    conversation.apply(chitchat);
    const back = policies.predict(conversation);
    expect(back).toMatchObject({ actionName: FORM, policyName: 'RulePolicy' });
    conversation.apply(back);
    expect(policies.predict(conversation).actionName).toBe('action_listen');
  });

  it('follows the stop story: asks to continue, and returns to the form on affirm without validation', () => {
    const conversation = inForm().user('stop');
    conversation.add(rejection);
    const ask = policies.predict(conversation);
    expect(ask.actionName).toBe('utter_ask_continue');
    conversation.apply(ask);
    conversation.apply(policies.predict(conversation));
    expect(conversation.latestActionName).toBe('action_listen');

    const affirmed = new TestConversation(bot.domain).add(...conversation.events).user('affirm');
    const resume = policies.predict(affirmed);
    expect(resume.actionName).toBe(FORM);
    expect(resume.events.map((event) => event.event)).toContain('loop_interrupted');

    const denied = new TestConversation(bot.domain).add(...conversation.events).user('deny');
    expect(policies.predict(denied).actionName).toBe('action_deactivate_loop');
  });

  it('does not hide turns of rules that the stories also contain', () => {
    const conversation = new TestConversation(bot.domain).user('request_restaurant');
    expect(policies.predict(conversation).hideRuleTurn).toBe(false);
    const greet = new TestConversation(bot.domain).user('greet');
    expect(policies.predict(greet)).toMatchObject({ actionName: 'utter_greet', hideRuleTurn: true });
  });
});

describe('RulePolicy built-in behaviour', () => {
  const bot = readFixtureBot('moodbot');
  let policies: DialoguePolicies;
  beforeAll(async () => {
    policies = loadPolicies(
      await trainPolicies({ domain: bot.domain, stories: bot.stories, rules: bot.rules, policies: [{ name: 'RulePolicy' }] }),
      bot.domain,
    );
  });

  it.each([
    ['restart', 'action_restart'],
    ['back', 'action_back'],
    ['session_start', 'action_session_start'],
  ])('maps the default intent %s to %s', (intent, actionName) => {
    const conversation = new TestConversation(bot.domain).user('goodbye');
    conversation.apply(policies.predict(conversation)).apply(policies.predict(conversation));
    expect(conversation.latestActionName).toBe('action_listen');
    conversation.user(intent);
    expect(policies.predict(conversation)).toMatchObject({ actionName, policyName: 'RulePolicy', confidence: 1 });
  });

  it('predicts the core fallback at its threshold when no rule applies', () => {
    const conversation = new TestConversation(bot.domain).user('mood_great');
    expect(policies.predict(conversation)).toMatchObject({ actionName: 'action_default_fallback', policyName: 'RulePolicy', confidence: 0.3 });
  });
});

const domain = buildDomain({
  intents: ['greet', 'stop', 'inform', 'affirm'],
  entities: ['city'],
  slots: {
    vip: { type: 'bool', mappings: [{ type: 'custom' }] },
    city: { type: 'text', influence_conversation: false, mappings: [{ type: 'from_entity', entity: 'city' }] },
  },
  responses: {
    utter_hi: [{ text: 'hi' }],
    utter_vip: [{ text: 'welcome back' }],
    utter_ok: [{ text: 'ok' }],
    utter_default: [{ text: 'sorry?' }],
    utter_ask_continue: [{ text: 'continue?' }],
  },
  forms: { trip_form: { required_slots: ['city'] } },
});

const user = (intent: string | null, text: string | null = null): StoryStep => ({ kind: 'user', intent, text, entities: [] });
const act = (name: string, line = 0, file = 'data/rules.yml'): StoryStep => ({ kind: 'action', name, source: { file, line, column: 7 } });
function rule(name: string, steps: StoryStep[], line: number, extra: Partial<Rule> = {}): Rule {
  return { name, steps, condition: [], conversationStart: false, waitForUserInput: true, source: { file: 'data/rules.yml', line, column: 3 }, ...extra };
}
function story(name: string, steps: StoryStep[], line = 1): Story {
  return { name, steps, source: { file: 'data/stories.yml', line, column: 3 } };
}
async function train(rules: Rule[], stories: Story[] = [], options: Record<string, unknown> = {}): Promise<DialoguePolicies> {
  const policies: ComponentConfig[] = [{ name: 'RulePolicy', ...options }];
  return loadPolicies(await trainPolicies({ domain, stories, rules, policies }), domain);
}
const slotEvent = (name: string, value: unknown): TrackerEvent => ({ event: 'slot', timestamp: 1, name, value });

describe('RulePolicy rules', () => {
  it('prefers the longest (most specific) matching rule', async () => {
    const policies = await train([
      rule('greet', [user('greet'), act('utter_hi')], 1),
      rule('greet vip', [user('greet'), act('utter_vip')], 5, { condition: [{ kind: 'slot_was_set', slots: [{ name: 'vip', value: true }] }] }),
    ]);
    expect(policies.predict(new TestConversation(domain).user('greet')).actionName).toBe('utter_hi');
    expect(policies.predict(new TestConversation(domain).add(slotEvent('vip', true)).user('greet')).actionName).toBe('utter_vip');
  });

  it('answers alike for conversations that reach the same states, and stops using a rule deleted from its table', async () => {
    const policies = await train([rule('greet', [user('greet'), act('utter_hi')], 1)]);
    expect(policies.predict(new TestConversation(domain).user('greet')).actionName).toBe('utter_hi');
    expect(policies.predict(new TestConversation(domain).user('greet')).actionName).toBe('utter_hi');
    const rules = policies.policies.find((candidate) => candidate.name === 'RulePolicy') as unknown as { rules: { keys(): string[]; delete(key: string): void } };
    for (const key of rules.rules.keys()) rules.rules.delete(key);
    expect(policies.predict(new TestConversation(domain).user('greet')).actionName).toBe('action_default_fallback');
  });

  it('applies a rule whose condition asks for an unset slot only while it is unset', async () => {
    const policies = await train([
      rule('greet stranger', [user('greet'), act('utter_hi')], 1, { condition: [{ kind: 'slot_was_set', slots: [{ name: 'vip', value: null }] }] }),
    ]);
    expect(policies.predict(new TestConversation(domain).user('greet')).actionName).toBe('utter_hi');
    expect(policies.predict(new TestConversation(domain).add(slotEvent('vip', true)).user('greet')).actionName).toBe('action_default_fallback');
  });

  it('applies conversation_start rules only at the start of a conversation', async () => {
    const policies = await train([rule('welcome', [user('greet'), act('utter_vip')], 1, { conversationStart: true })]);
    const start = new TestConversation(domain).user('greet');
    expect(policies.predict(start).actionName).toBe('utter_vip');
    const later = new TestConversation(domain).user('inform');
    later.apply(policies.predict(later)).add({ event: 'action', timestamp: 1, name: 'action_listen', policy: null, confidence: null, action_text: null, hide_rule_turn: false });
    later.user('greet');
    expect(policies.predict(later).actionName).toBe('action_default_fallback');
  });

  it('predicts from a rule written with user text, as an end-to-end prediction', async () => {
    const policies = await train([rule('password', [user(null, 'open sesame'), act('utter_ok')], 1)]);
    const matching = new TestConversation(domain).user('greet', { text: 'open sesame' });
    const prediction = policies.predict(matching);
    expect(prediction).toMatchObject({ actionName: 'utter_ok', isEndToEndPrediction: true });
    expect(prediction.events).toContainEqual(expect.objectContaining({ event: 'user_featurization', use_text_for_featurization: true }));
    expect(policies.predict(new TestConversation(domain).user('greet', { text: 'hello' })).actionName).toBe('action_default_fallback');
  });

  it('uses core_fallback_threshold and core_fallback_action_name', async () => {
    const policies = await train([rule('greet', [user('greet'), act('utter_hi')], 1)], [], {
      core_fallback_threshold: 0.4,
      core_fallback_action_name: 'utter_default',
    });
    expect(policies.predict(new TestConversation(domain).user('stop'))).toMatchObject({ actionName: 'utter_default', confidence: 0.4 });
  });

  it('predicts nothing (action_listen at 0) when fallback prediction is disabled', async () => {
    const policies = await train([rule('greet', [user('greet'), act('utter_hi')], 1)], [], { enable_fallback_prediction: false });
    expect(policies.predict(new TestConversation(domain).user('stop'))).toMatchObject({ actionName: 'action_listen', confidence: 0 });
  });

  it('scores with the NLU confidence when use_nlu_confidence_as_score is on', async () => {
    const policies = await train([rule('greet', [user('greet'), act('utter_hi')], 1)], [], { use_nlu_confidence_as_score: true });
    expect(policies.predict(new TestConversation(domain).user('greet', { confidence: 0.8 }))).toMatchObject({ actionName: 'utter_hi', confidence: 0.8 });
  });

  it('does not hand control back to a loop where the stories continue with another action', async () => {
    const rules = [
      rule('ask to continue', [user('stop'), act('utter_ask_continue')], 1),
      rule('start trip', [user('greet'), act('trip_form'), { kind: 'active_loop', name: 'trip_form' }], 5),
    ];
    const stopStory = story('stop', [user('greet'), act('trip_form'), { kind: 'active_loop', name: 'trip_form' }, user('stop'), act('utter_ask_continue'), user('affirm'), act('trip_form')]);
    const inLoop = (policies: DialoguePolicies): TestConversation => {
      const conversation = new TestConversation(domain).user('greet');
      conversation.apply(policies.predict(conversation)).add({ event: 'active_loop', timestamp: 1, name: 'trip_form' });
      conversation.apply(policies.predict(conversation)).user('stop');
      conversation.add({ event: 'action_execution_rejected', timestamp: 1, name: 'trip_form', policy: null, confidence: null });
      conversation.apply(policies.predict(conversation));
      expect(conversation.latestActionName).toBe('utter_ask_continue');
      return conversation;
    };
    const withoutStory = await train(rules);
    expect(withoutStory.predict(inLoop(withoutStory)).actionName).toBe('trip_form');
    const withStory = await train(rules, [stopStory]);
    expect(withStory.predict(inLoop(withStory))).toMatchObject({ actionName: 'action_default_fallback', confidence: 0.3 });
  });
});

describe('RulePolicy training errors', () => {
  it('rejects contradicting rules, naming both with their locations', async () => {
    const error = await train([
      rule('greet politely', [user('greet'), act('utter_hi', 3)], 1),
      rule('greet warmly', [user('greet'), act('utter_vip', 7)], 5),
    ]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_INVALID_RULE' });
    const message = (error as Error).message;
    expect(message).toContain('Contradicting rules or stories found');
    expect(message).toContain(
      "- the prediction of the action 'utter_hi' in rule 'greet politely' (data/rules.yml:3:7) is contradicting with rule(s) 'greet warmly' (data/rules.yml:5:3).",
    );
    expect(message).toContain("in rule 'greet warmly' (data/rules.yml:7:7) is contradicting with rule(s) 'greet politely' (data/rules.yml:1:3)");
    expect(message).toContain('https://rasa.com/docs/rasa/rules');
  });

  it('rejects a story that contradicts a rule', async () => {
    const error = await train(
      [rule('greet', [user('greet'), act('utter_hi')], 1)],
      [story('odd greeting', [user('greet'), act('utter_vip', 6, 'data/stories.yml')], 4)],
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_INVALID_RULE' });
    expect((error as Error).message).toContain(
      "- the prediction of the action 'utter_vip' in story 'odd greeting' (data/stories.yml:6:7) is contradicting with rule(s) 'greet' (data/rules.yml:1:3) which predicted action 'utter_hi'.",
    );
  });

  it('rejects a rule with two user messages, naming it', async () => {
    const error = await train([rule('chatty', [user('greet'), act('utter_hi'), user('stop'), act('utter_ok')], 9)]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_INVALID_RULE', location: { file: 'data/rules.yml', line: 9, column: 3 } });
    expect((error as Error).message).toContain("Found rules 'chatty' (data/rules.yml:9:3) that contain more than 1 user message.");
  });

  it('accepts rules with several user messages when restrict_rules is off', async () => {
    const policies = await train([rule('chatty', [user('greet'), act('utter_hi'), user('stop'), act('utter_ok')], 9)], [], { restrict_rules: false });
    expect(policies.policies).toHaveLength(1);
  });

  it('rejects incomplete rules: an action that sets a slot in one rule but not in another', async () => {
    const error = await train([
      rule('remember vip', [user('greet'), act('utter_vip'), { kind: 'slot_was_set', slots: [{ name: 'vip', value: true }] }, act('utter_ok')], 1),
      rule('forget vip', [user('stop'), act('utter_vip'), act('utter_hi')], 5),
    ]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_INVALID_RULE' });
    expect((error as Error).message).toContain("- the action 'utter_vip' in rule 'forget vip' (data/rules.yml:5:3) does not set some of the slots that it sets in other rules. Slots not set in rule 'forget vip': 'vip'.");
  });

  it('skips the contradiction checks when check_for_contradictions is off', async () => {
    const policies = await train(
      [rule('greet politely', [user('greet'), act('utter_hi')], 1), rule('greet warmly', [user('greet'), act('utter_vip')], 5)],
      [],
      { check_for_contradictions: false },
    );
    expect(policies.predict(new TestConversation(domain).user('greet')).actionName).toBe('action_default_fallback');
  });

  it('requires the fallback action to exist in the domain', async () => {
    const error = await train([], [], { core_fallback_action_name: 'action_missing' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_DOMAIN_INVALID' });
    expect((error as Error).message).toContain("The fallback action 'action_missing' which was configured for the RulePolicy must be present in the domain.");
  });
});
