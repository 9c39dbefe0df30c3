import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACTIONS } from '../../src/shared/domain.js';
import type { Project, ProjectIssue } from '../../src/shared/project.js';
import type { StoryStep } from '../../src/shared/training-data.js';
import { loadProject } from '../../src/project/index.js';
import { fixtureBot } from './helpers.js';

const DEFAULT_INTENT_NAMES = ['back', 'nlu_fallback', 'out_of_scope', 'restart', 'session_start'];

function countByIntent(project: Project): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const example of project.training.nlu.examples) counts[example.intent] = (counts[example.intent] ?? 0) + 1;
  return counts;
}

/** Steps without their source positions, for compact comparisons. */
function bare(steps: readonly StoryStep[]): unknown[] {
  return steps.map((step) => {
    const { source: _source, ...rest } = step as StoryStep & { source?: unknown };
    return rest;
  });
}

describe('loadProject on the moodbot fixture', () => {
  let project: Project;
  let warnings: ProjectIssue[];

  beforeAll(async () => {
    ({ project, warnings } = await loadProject(fixtureBot('moodbot')));
  });

  it('reads the config with empty pipeline and policies as null (auto-config)', () => {
    expect(project.config).toMatchObject({
      recipe: 'default.v1',
      language: 'en',
      assistantId: null,
      pipeline: null,
      policies: null,
    });
    expect(project.config.raw).toEqual({ recipe: 'default.v1', language: 'en', pipeline: null, policies: null });
  });

  it('lists the domain intents plus the default intents, sorted', () => {
    expect(project.domain.intents.map((intent) => intent.name)).toEqual(
      [
        'affirm',
        'bot_challenge',
        'deny',
        'goodbye',
        'greet',
        'mood_great',
        'mood_unhappy',
        ...DEFAULT_INTENT_NAMES,
      ].sort(),
    );
    const greet = project.domain.intents.find((intent) => intent.name === 'greet');
    expect(greet).toEqual({
      name: 'greet',
      usedEntities: [],
      useEntities: null,
      ignoreEntities: [],
      isRetrievalIntent: false,
      source: { file: 'domain.yml', line: 4, column: 5 },
    });
    expect(project.domain.intents.find((intent) => intent.name === 'restart')?.source).toBeUndefined();
  });

  it('has only the session metadata slot, no entities and no forms', () => {
    expect(project.domain.slots).toEqual([
      { name: 'session_started_metadata', type: 'any', influenceConversation: false, initialValue: null, mappings: [] },
    ]);
    expect(project.domain.entities).toEqual([]);
    expect(project.domain.forms).toEqual({});
  });

  it('orders actions as Rasa does: defaults, then responses sorted', () => {
    expect(project.domain.actionNames).toEqual([
      ...DEFAULT_ACTIONS,
      'utter_cheer_up',
      'utter_did_that_help',
      'utter_goodbye',
      'utter_greet',
      'utter_happy',
      'utter_iamabot',
    ]);
    expect(project.domain.customActions).toEqual([]);
    expect(project.domain.actionTexts).toEqual([]);
  });

  it('keeps responses as written, including the image of utter_cheer_up', () => {
    expect(project.domain.responses.utter_cheer_up).toEqual([
      { text: 'Here is something to cheer you up:', image: 'https://i.imgur.com/nGF1K8f.jpg' },
    ]);
    expect(project.domain.responses.utter_greet).toEqual([{ text: 'Hey! How are you?' }]);
    expect(project.domain.sessionConfig).toEqual({ sessionExpirationTime: 60, carryOverSlots: true });
    expect(project.domain.storeEntitiesAsSlots).toBe(true);
  });

  it('serializes the domain as Domain.as_dict() does', () => {
    expect(project.domain.serialized).toEqual({
      version: '3.1',
      intents: ['affirm', 'bot_challenge', 'deny', 'goodbye', 'greet', 'mood_great', 'mood_unhappy'],
      responses: {
        utter_greet: [{ text: 'Hey! How are you?' }],
        utter_cheer_up: [{ text: 'Here is something to cheer you up:', image: 'https://i.imgur.com/nGF1K8f.jpg' }],
        utter_did_that_help: [{ text: 'Did that help you?' }],
        utter_happy: [{ text: 'Great, carry on!' }],
        utter_goodbye: [{ text: 'Bye' }],
        utter_iamabot: [{ text: 'I am a bot, powered by Rasa.' }],
      },
      session_config: { session_expiration_time: 60, carry_over_slots_to_new_session: true },
    });
  });

  it('reads 68 NLU examples with the per-intent counts of the rasa init template', () => {
    expect(countByIntent(project)).toEqual({
      greet: 13,
      goodbye: 10,
      affirm: 6,
      deny: 7,
      mood_great: 14,
      mood_unhappy: 14,
      bot_challenge: 4,
    });
    expect(project.training.nlu.examples[0]).toEqual({
      text: 'hey',
      intent: 'greet',
      entities: [],
      source: { file: 'data/nlu.yml', line: 6, column: 5 },
    });
    expect(project.training.nlu.synonyms).toEqual({});
  });

  it('reads the three stories and two rules step by step', () => {
    expect(project.training.stories.map((story) => story.name)).toEqual(['happy path', 'sad path 1', 'sad path 2']);
    expect(bare(project.training.stories[1].steps)).toEqual([
      { kind: 'user', intent: 'greet', text: null, entities: [] },
      { kind: 'action', name: 'utter_greet' },
      { kind: 'user', intent: 'mood_unhappy', text: null, entities: [] },
      { kind: 'action', name: 'utter_cheer_up' },
      { kind: 'action', name: 'utter_did_that_help' },
      { kind: 'user', intent: 'affirm', text: null, entities: [] },
      { kind: 'action', name: 'utter_happy' },
    ]);
    expect(project.training.stories[0].source).toEqual({ file: 'data/stories.yml', line: 5, column: 3 });
    expect(project.training.rules).toHaveLength(2);
    expect(project.training.rules[0]).toMatchObject({
      name: 'Say goodbye anytime the user says goodbye',
      condition: [],
      conversationStart: false,
      waitForUserInput: true,
    });
  });

  it('reads the seven end-to-end test stories with their user texts', () => {
    expect(project.testStories).toHaveLength(7);
    expect(bare(project.testStories[0].steps)).toEqual([
      { kind: 'user', intent: 'greet', text: 'hello there!', entities: [] },
      { kind: 'action', name: 'utter_greet' },
      { kind: 'user', intent: 'mood_great', text: 'amazing', entities: [] },
      { kind: 'action', name: 'utter_happy' },
    ]);
  });

  it('lists every training file with its sha256, sorted, and not the test stories', () => {
    expect(project.files.map((file) => file.path)).toEqual([
      'config.yml',
      'data/nlu.yml',
      'data/rules.yml',
      'data/stories.yml',
      'domain.yml',
    ]);
    for (const file of project.files) expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('warns that the story and rule files declare the older format 3.0', () => {
    expect(warnings.map((warning) => [warning.code, warning.file, warning.line])).toEqual([
      ['PARLEY_WARN_FORMAT_VERSION', 'data/rules.yml', 1],
      ['PARLEY_WARN_FORMAT_VERSION', 'data/stories.yml', 1],
    ]);
  });
});

describe('loadProject on the formbot fixture', () => {
  let project: Project;
  let warnings: ProjectIssue[];

  beforeAll(async () => {
    ({ project, warnings } = await loadProject(fixtureBot('formbot')));
  });

  it('reads the pipeline and policies with their options', () => {
    expect(project.config.assistantId).toBe('form_bot');
    expect(project.config.pipeline).toEqual([
      { name: 'WhitespaceTokenizer' },
      { name: 'LexicalSyntacticFeaturizer' },
      { name: 'CountVectorsFeaturizer', token_pattern: '(?u)\\b\\w+\\b' },
      { name: 'DucklingEntityExtractor', url: 'http://localhost:8000', dimensions: ['number'] },
      { name: 'DIETClassifier', epochs: 1, run_eagerly: true },
      { name: 'EntitySynonymMapper' },
    ]);
    expect(project.config.policies).toEqual([
      { name: 'TEDPolicy', epochs: 1 },
      { name: 'AugmentedMemoizationPolicy' },
      { name: 'RulePolicy' },
    ]);
  });

  it('computes used entities per intent, honouring use_entities: []', () => {
    const intents = Object.fromEntries(project.domain.intents.map((intent) => [intent.name, intent]));
    expect(Object.keys(intents)).toEqual(
      [
        'affirm',
        'bot_challenge',
        'chitchat',
        'deny',
        'greet',
        'inform',
        'request_restaurant',
        'stop',
        'thankyou',
        ...DEFAULT_INTENT_NAMES,
      ].sort(),
    );
    expect(intents.request_restaurant).toMatchObject({ useEntities: [], usedEntities: [] });
    expect(intents.chitchat.usedEntities).toEqual([]);
    expect(intents.inform).toMatchObject({ useEntities: null, usedEntities: ['cuisine', 'feedback', 'number', 'seating'] });
    expect(intents.session_start.usedEntities).toEqual(['cuisine', 'feedback', 'number', 'seating']);
    expect(project.domain.entities.map((entity) => entity.name)).toEqual(['cuisine', 'feedback', 'number', 'seating']);
  });

  it('reads slots with their mappings, then adds requested_slot and session_started_metadata', () => {
    expect(project.domain.slots.map((slot) => slot.name)).toEqual([
      'cuisine',
      'num_people',
      'outdoor_seating',
      'preferences',
      'feedback',
      'requested_slot',
      'session_started_metadata',
    ]);
    const [cuisine, numPeople, outdoorSeating, preferences] = project.domain.slots;
    expect(cuisine).toEqual({
      name: 'cuisine',
      type: 'text',
      influenceConversation: false,
      initialValue: null,
      mappings: [{ type: 'from_entity', entity: 'cuisine' }],
      source: { file: 'domain.yml', line: 22, column: 3 },
    });
    expect(numPeople).toMatchObject({
      type: 'float',
      minValue: 0,
      maxValue: 1,
      mappings: [{ type: 'from_entity', entity: 'number', intent: ['inform', 'request_restaurant'] }],
    });
    expect(outdoorSeating.mappings[1]).toEqual({
      type: 'from_intent',
      intent: ['affirm'],
      value: true,
      conditions: [{ active_loop: 'restaurant_form', requested_slot: 'outdoor_seating' }],
    });
    expect(preferences.mappings[1]).toEqual({
      type: 'from_text',
      not_intent: ['deny'],
      conditions: [{ active_loop: 'restaurant_form', requested_slot: 'preferences' }],
    });
    expect(project.domain.slots[5]).toMatchObject({ name: 'requested_slot', type: 'text', influenceConversation: false });
  });

  it('reads the form with its required slots and ignored intents', () => {
    expect(project.domain.forms).toEqual({
      restaurant_form: {
        name: 'restaurant_form',
        requiredSlots: ['cuisine', 'num_people', 'outdoor_seating', 'preferences', 'feedback'],
        ignoredIntents: ['chitchat'],
        source: { file: 'domain.yml', line: 124, column: 3 },
      },
    });
  });

  it('orders actions: defaults, custom actions, sorted responses, then the form', () => {
    const userPart = project.domain.actionNames.slice(DEFAULT_ACTIONS.length);
    expect(project.domain.actionNames.slice(0, DEFAULT_ACTIONS.length)).toEqual([...DEFAULT_ACTIONS]);
    expect(userPart[0]).toBe('validate_restaurant_form');
    expect(userPart.at(-1)).toBe('restaurant_form');
    const responses = userPart.slice(1, -1);
    expect(responses).toEqual([...responses].sort());
    expect(responses).toHaveLength(Object.keys(project.domain.responses).length);
    expect(project.domain.customActions).toEqual(['validate_restaurant_form']);
    expect(project.domain.actionsSendingDomain).toEqual(['validate_restaurant_form']);
  });

  it('reads a double-quoted multi-line response as YAML folds it', () => {
    expect(project.domain.responses.utter_slots_values[0].text).toBe(
      'I am going to run a restaurant search using the following parameters:\n' +
        ' - cuisine: {cuisine}\n - num_people: {num_people}\n - outdoor_seating: {outdoor_seating}\n' +
        ' - preferences: {preferences}\n - feedback: {feedback}',
    );
  });

  it('serializes intents sorted with use_entities kept and no default intents', () => {
    const serialized = project.domain.serialized;
    expect(Object.keys(serialized)).toEqual([
      'version',
      'intents',
      'entities',
      'slots',
      'responses',
      'actions',
      'forms',
      'session_config',
    ]);
    expect(serialized.intents).toEqual([
      'affirm',
      'bot_challenge',
      { chitchat: { use_entities: [] } },
      'deny',
      'greet',
      'inform',
      { request_restaurant: { use_entities: [] } },
      'stop',
      'thankyou',
    ]);
    expect(serialized.actions).toEqual(['validate_restaurant_form']);
    expect((serialized.forms as Record<string, unknown>).restaurant_form).toEqual({
      ignored_intents: ['chitchat'],
      required_slots: ['cuisine', 'num_people', 'outdoor_seating', 'preferences', 'feedback'],
    });
  });

  it('reads 289 NLU examples with entity offsets into the plain text', () => {
    expect(countByIntent(project)).toEqual({
      greet: 28,
      request_restaurant: 20,
      affirm: 18,
      deny: 8,
      inform: 128,
      thankyou: 27,
      chitchat: 37,
      stop: 19,
      bot_challenge: 4,
    });
    const byText = new Map(project.training.nlu.examples.map((example) => [example.text, example]));
    expect(byText.get('serving gastro pub')?.entities).toEqual([
      { entity: 'cuisine', value: 'gastropub', start: 8, end: 18 },
    ]);
    expect(byText.get('how about asian oriental food')?.entities).toEqual([
      { entity: 'cuisine', value: 'asian oriental', start: 10, end: 24 },
    ]);
    expect(byText.get('I prefer sitting outside')?.entities).toEqual([
      { entity: 'seating', value: 'outside', start: 17, end: 24 },
    ]);
    // "-  serves [french](cuisine) food": the text after '-' is trimmed.
    expect(byText.get('serves french food')?.source).toEqual({ file: 'data/nlu.yml', line: 106, column: 5 });
  });

  it('records synonyms from [text](entity:value) annotations', () => {
    expect(project.training.nlu.synonyms).toEqual({
      'gastro pub': 'gastropub',
      'pan asian': 'asian',
      'asian oriental': 'asian',
    });
  });

  it('reads rules with active_loop steps and an active_loop condition', () => {
    const rules = Object.fromEntries(project.training.rules.map((rule) => [rule.name, rule]));
    expect(bare(rules['activate restaurant form'].steps)).toEqual([
      { kind: 'user', intent: 'request_restaurant', text: null, entities: [] },
      { kind: 'action', name: 'restaurant_form' },
      { kind: 'active_loop', name: 'restaurant_form' },
    ]);
    expect(bare(rules['submit form'].condition)).toEqual([{ kind: 'active_loop', name: 'restaurant_form' }]);
    expect(bare(rules['submit form'].steps)).toEqual([
      { kind: 'action', name: 'restaurant_form' },
      { kind: 'active_loop', name: null },
      { kind: 'action', name: 'utter_submit' },
      { kind: 'action', name: 'utter_slots_values' },
    ]);
    expect(rules['submit form'].condition[0].source).toEqual({ file: 'data/rules.yml', line: 31, column: 7 });
  });

  it('renames the legacy action_deactivate_form to action_deactivate_loop with a warning', () => {
    const stop = project.training.stories.find((story) => story.name === 'stop form + stop');
    expect(stop?.steps.at(-2)).toMatchObject({ kind: 'action', name: 'action_deactivate_loop' });
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'PARLEY_WARN_DEPRECATED', file: 'data/stories.yml', line: 23, column: 9 }),
    ]);
  });

  it('reads annotated user texts of test stories into text and entities', () => {
    expect(project.testStories.map((story) => story.name)).toEqual([
      'Happy path',
      'Happy path with message providing requested value',
      'unhappy path',
    ]);
    const step = project.testStories[1].steps[5];
    expect(step).toEqual({
      kind: 'user',
      intent: 'inform',
      text: 'afghan food',
      entities: [{ entity: 'cuisine', value: 'afghan', start: 0, end: 6 }],
      source: { file: 'tests/test_stories.yml', line: 31, column: 5 },
    });
  });
});
