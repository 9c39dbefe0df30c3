import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACTIONS } from '../../src/shared/domain.js';
import type { Project, ProjectIssue } from '../../src/shared/project.js';
import type { StoryStep } from '../../src/shared/training-data.js';
import { loadProject } from '../../src/project/index.js';
import { removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

const DOMAIN = `version: "3.1"
intents:
  - greet
  - inform
  - affirm
  - thankyou
  - chitchat
entities:
  - name
  - city:
      roles: [departure, destination]
slots:
  name:
    type: text
    mappings:
    - type: from_entity
      entity: name
  cities:
    type: list
    mappings:
    - type: from_entity
      entity: city
  confirmed:
    type: bool
    mappings:
    - type: custom
responses:
  utter_greet:
  - text: Hi
`;

const STORIES = `version: "3.1"
stories:
- story: everything
  steps:
  - checkpoint: start
    slot_was_set:
    - confirmed: true
  - intent: inform
    entities:
    - name: Sara
    - city: Berlin
      role: destination
    - city
  - or:
    - intent: affirm
    - intent: thankyou
  - or:
    - slot_was_set:
      - name: joe
      - name: bob
  - slot_was_set:
    - name
    - cities
    - confirmed
    - name: Sara
  - user: 'I live in [Berlin]{"entity": "city", "role": "departure"}'
  - user: |
      /inform{"name": "Ann"}
  - intent: /greet
  - intent: chitchat/ask_weather
  - bot: Nice to meet you!
  - action: utter_greet
  - active_loop: null
  - checkpoint: end
rules:
- rule: at start
  conversation_start: true
  steps:
  - intent: greet
  - action: utter_greet
- rule: no wait
  condition:
  - slot_was_set:
    - confirmed: true
  steps:
  - intent: greet
  - action: utter_greet
  wait_for_user_input: false
`;

const TESTS = `stories:
- story: test
  steps:
  - user: what is the weather
    intent: chitchat/ask_weather
  - action: utter_greet
`;

function bare(step: StoryStep): unknown {
  const { source: _source, ...rest } = step as StoryStep & { source?: unknown };
  if (rest.kind === 'or') return { ...rest, alternatives: rest.alternatives.map(bare) };
  return rest;
}

describe('reading stories and rules', () => {
  let project: Project;
  let warnings: ProjectIssue[];
  let steps: unknown[];

  beforeAll(async () => {
    const root = writeProject({
      'config.yml': 'recipe: default.v1\nlanguage: en\nassistant_id: x\n',
      'domain.yml': DOMAIN,
      'data/stories.yml': STORIES,
      'tests/test_chitchat.yml': TESTS,
      'tests/not_a_test.yml': TESTS,
    });
    ({ project, warnings } = await loadProject(root));
    steps = project.training.stories[0].steps.map(bare);
  });

  it('reads checkpoints with their slot conditions', () => {
    expect(steps[0]).toEqual({ kind: 'checkpoint', name: 'start', slotWasSet: [{ name: 'confirmed', value: true }] });
    expect(steps.at(-1)).toEqual({ kind: 'checkpoint', name: 'end', slotWasSet: [] });
  });

  it('reads step entities in all three written forms', () => {
    expect(steps[1]).toEqual({
      kind: 'user',
      intent: 'inform',
      text: null,
      entities: [
        { entity: 'name', value: 'Sara' },
        { entity: 'city', value: 'Berlin', role: 'destination' },
        { entity: 'city', value: '' },
      ],
    });
  });

  it("reads 'or' steps of intents and of slots (one alternative per slot)", () => {
    expect(steps[2]).toEqual({
      kind: 'or',
      alternatives: [
        { kind: 'user', intent: 'affirm', text: null, entities: [] },
        { kind: 'user', intent: 'thankyou', text: null, entities: [] },
      ],
    });
    expect(steps[3]).toEqual({
      kind: 'or',
      alternatives: [
        { kind: 'slot_was_set', slots: [{ name: 'name', value: 'joe' }] },
        { kind: 'slot_was_set', slots: [{ name: 'name', value: 'bob' }] },
      ],
    });
  });

  it('gives slots named without a value the value Rasa implies', () => {
    expect(steps[4]).toEqual({
      kind: 'slot_was_set',
      slots: [
        { name: 'name', value: 'filled' },
        { name: 'cities', value: ['filled'] },
        { name: 'confirmed', value: null },
        { name: 'name', value: 'Sara' },
      ],
    });
    expect(warnings.some((warning) => warning.message.includes("'confirmed' is given by name only"))).toBe(true);
  });

  it('reads annotated user texts as end-to-end steps without intent', () => {
    expect(steps[5]).toEqual({
      kind: 'user',
      intent: null,
      text: 'I live in Berlin',
      entities: [{ entity: 'city', value: 'Berlin', start: 10, end: 16, role: 'departure' }],
    });
  });

  it('decodes the /intent{...} shortcut of a user text', () => {
    expect(steps[6]).toEqual({
      kind: 'user',
      intent: 'inform',
      text: '/inform{"name": "Ann"}',
      entities: [{ entity: 'name', value: 'Ann', start: 7, end: 22 }],
    });
  });

  it('drops a leading slash and the response key of training-story intents, with warnings', () => {
    expect(steps[7]).toMatchObject({ kind: 'user', intent: 'greet' });
    expect(steps[8]).toMatchObject({ kind: 'user', intent: 'chitchat' });
    const messages = warnings.map((warning) => warning.message).join('\n');
    expect(messages).toContain("The intent '/greet' starts with '/'");
    expect(messages).toContain("'chitchat/ask_weather' is a full retrieval intent");
  });

  it('reads bot, action and active_loop steps, and adds bot texts to the domain actions', () => {
    expect(steps.slice(9, 12)).toEqual([
      { kind: 'bot', text: 'Nice to meet you!' },
      { kind: 'action', name: 'utter_greet' },
      { kind: 'active_loop', name: null },
    ]);
    expect(project.domain.actionTexts).toEqual(['Nice to meet you!']);
    expect(project.domain.actionNames).toEqual([...DEFAULT_ACTIONS, 'utter_greet', 'Nice to meet you!']);
    expect(project.domain.serialized.e2e_actions).toEqual(['Nice to meet you!']);
  });

  it('reads rule flags and conditions', () => {
    const [atStart, noWait] = project.training.rules;
    expect(atStart).toMatchObject({ name: 'at start', conversationStart: true, waitForUserInput: true, condition: [] });
    expect(noWait).toMatchObject({ conversationStart: false, waitForUserInput: false });
    expect(noWait.condition.map(bare)).toEqual([{ kind: 'slot_was_set', slots: [{ name: 'confirmed', value: true }] }]);
  });

  it('reads only test_ files of tests/ and keeps full retrieval intents there', () => {
    expect(project.testStories).toHaveLength(1);
    expect(bare(project.testStories[0].steps[0])).toEqual({
      kind: 'user',
      intent: 'chitchat/ask_weather',
      text: 'what is the weather',
      entities: [],
    });
  });

  it('locates each step at its line', () => {
    const lines = project.training.stories[0].steps.map((step) => step.source?.line);
    expect(lines.slice(0, 4)).toEqual([5, 8, 14, 17]);
  });
});
