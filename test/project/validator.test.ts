import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectIssue } from '../../src/shared/project.js';
import { validateProject } from '../../src/project/index.js';
import { fixtureBot, project, removeProjects } from './helpers.js';

afterAll(removeProjects);

function summary(issues: readonly ProjectIssue[]): string[] {
  return issues.map((issue) => `${issue.severity} ${issue.code} ${issue.file ?? '-'}:${issue.line ?? '-'}`);
}

function withCode(issues: readonly ProjectIssue[], code: string): ProjectIssue[] {
  return issues.filter((issue) => issue.code === code);
}

const FORM_DOMAIN = `version: "3.1"
intents:
  - greet
  - inform
entities:
  - city
slots:
  city:
    type: text
    mappings:
    - type: from_entity
      entity: city
      conditions:
      - active_loop: travel_form
    - type: from_entity
      entity: town
      conditions:
      - active_loop: hotel_form
  date:
    type: text
    mappings:
    - type: from_trigger_intent
      intent: inform
      value: today
      conditions:
      - active_loop: travel_form
forms:
  travel_form:
    required_slots:
      - city
      - budget
responses:
  utter_greet:
  - text: Hi
  utter_ask_city:
  - text: Which city?
  utter_unused:
  - text: Never said
  utter_default:
  - text: Sorry?
`;

describe('validateProject', () => {
  it('finds nothing but the known upstream quirks in the fixture bots', async () => {
    expect(summary(await validateProject(fixtureBot('moodbot')))).toEqual([
      'warning PARLEY_WARN_FORMAT_VERSION data/rules.yml:1',
      'warning PARLEY_WARN_FORMAT_VERSION data/stories.yml:1',
      'warning PARLEY_WARN_CONFIG config.yml:1',
    ]);
    expect(summary(await validateProject(fixtureBot('formbot')))).toEqual([
      'warning PARLEY_WARN_DEPRECATED data/stories.yml:23',
      'warning PARLEY_WARN_INTENT_UNUSED domain.yml:7',
      'warning PARLEY_WARN_RESPONSE_UNUSED -:-',
      'warning PARLEY_WARN_RESPONSE_UNUSED -:-',
      'warning PARLEY_WARN_RESPONSE_UNUSED -:-',
    ]);
  });

  it('returns load errors instead of throwing them', async () => {
    const issues = await validateProject(project({ 'domain.yml': 'intents: [greet\n' }));
    expect(summary(issues)).toEqual(['error PARLEY_ERR_YAML_SYNTAX domain.yml:2']);
  });

  it('reports unknown intents, actions, responses, forms and slots in stories and rules as errors', async () => {
    const issues = await validateProject(
      project({
        'data/stories.yml': [
          'stories:',
          '- story: broken',
          '  steps:',
          '  - intent: greet',
          '  - action: utter_greet',
          '  - intent: order_pizza',
          '  - action: action_order',
          '  - action: utter_pizza',
          '  - active_loop: pizza_form',
          '  - slot_was_set:',
          '    - size: large',
          '  - intent: order_pizza',
          'rules:',
          '- rule: fallback',
          '  condition:',
          '  - active_loop: action_two_stage_fallback',
          '  steps:',
          '  - action: action_two_stage_fallback',
          '',
        ].join('\n'),
      }),
    );
    const errors = issues.filter((issue) => issue.severity === 'error');
    expect(summary(errors)).toEqual([
      'error PARLEY_ERR_INTENT_UNKNOWN data/stories.yml:6',
      'error PARLEY_ERR_ACTION_UNKNOWN data/stories.yml:7',
      'error PARLEY_ERR_RESPONSE_UNKNOWN data/stories.yml:8',
      'error PARLEY_ERR_FORM_UNKNOWN data/stories.yml:9',
      'error PARLEY_ERR_SLOT_UNKNOWN data/stories.yml:10',
    ]);
    expect(errors[0].message).toBe(
      "The intent 'order_pizza' is used in the story 'broken', but it is not listed in the domain " +
        "(it is used in 1 more place). Add it under 'intents:' or fix the spelling.",
    );
  });

  it('checks forms and slot mapping conditions against the domain', async () => {
    const issues = await validateProject(
      project({ 'domain.yml': FORM_DOMAIN, 'data/nlu.yml': 'nlu:\n- intent: greet\n  examples: |\n    - hi\n' }),
    );
    expect(summary(withCode(issues, 'PARLEY_ERR_SLOT_UNKNOWN'))).toEqual(['error PARLEY_ERR_SLOT_UNKNOWN domain.yml:28']);
    expect(withCode(issues, 'PARLEY_ERR_SLOT_UNKNOWN')[0].message).toContain("requires the slot 'budget'");
    // hotel_form does not exist; date's from_trigger_intent mapping needs no required_slots entry.
    expect(withCode(issues, 'PARLEY_ERR_SLOT_MAPPING_INVALID').map((issue) => issue.message)).toEqual([
      "The mapping 2 of the slot 'city' has a condition for the form 'hotel_form', which is not listed under 'forms:' in the domain.",
    ]);
    expect(withCode(issues, 'PARLEY_WARN_UNKNOWN_ENTITY')[0].message).toContain("reads the entity 'town'");
  });

  it('reports a mapping condition whose form does not require the slot', async () => {
    const domain = FORM_DOMAIN.replace('      - budget\n', '').replace('      - city\n', '      - date\n');
    const issues = await validateProject(project({ 'domain.yml': domain }));
    expect(withCode(issues, 'PARLEY_ERR_SLOT_MAPPING_INVALID').map((issue) => issue.message)).toContainEqual(
      "The mapping 1 of the slot 'city' has a condition for the form 'travel_form', but that form does not list 'city' in its 'required_slots'. Add it there.",
    );
  });

  it('warns about unused intents and responses, intents without examples and unknown NLU intents', async () => {
    const issues = await validateProject(
      project({
        'domain.yml': FORM_DOMAIN,
        'data/nlu.yml': 'nlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello\n- intent: goodbye\n  examples: |\n    - hello\n',
      }),
    );
    expect(summary(withCode(issues, 'PARLEY_WARN_INTENT_WITHOUT_EXAMPLES'))).toEqual([
      'warning PARLEY_WARN_INTENT_WITHOUT_EXAMPLES domain.yml:4',
    ]);
    expect(summary(withCode(issues, 'PARLEY_WARN_INTENT_UNUSED'))).toEqual(['warning PARLEY_WARN_INTENT_UNUSED domain.yml:4']);
    expect(summary(withCode(issues, 'PARLEY_WARN_INTENT_NOT_IN_DOMAIN'))).toEqual([
      'warning PARLEY_WARN_INTENT_NOT_IN_DOMAIN data/nlu.yml:8',
    ]);
    // utter_ask_city is asked by the form and utter_default by the fallback action.
    expect(withCode(issues, 'PARLEY_WARN_RESPONSE_UNUSED').map((issue) => issue.message)).toEqual([
      "The response 'utter_unused' is not used in any story, rule or form.",
    ]);
    expect(withCode(issues, 'PARLEY_WARN_DUPLICATE_EXAMPLE').map((issue) => issue.message)).toEqual([
      "The example 'hello' is labelled with several intents: goodbye, greet. Keep it under one intent.",
    ]);
  });

  it('warns when config.yml lacks language or a unique assistant_id', async () => {
    const issues = await validateProject(project({ 'config.yml': 'recipe: default.v1\nassistant_id: placeholder_default\n' }));
    expect(withCode(issues, 'PARLEY_WARN_CONFIG').map((issue) => [issue.file, issue.message.slice(0, 40)])).toEqual([
      ['config.yml', "The config has no 'language' (e.g. 'lang"],
      ['config.yml', "The config has no unique 'assistant_id';"],
    ]);
  });

  it('reports an empty domain as an error', async () => {
    const issues = await validateProject(project({ 'domain.yml': 'version: "3.1"\n', 'data/stories.yml': 'stories: []\n' }));
    expect(summary(issues.filter((issue) => issue.severity === 'error'))).toEqual(['error PARLEY_ERR_DOMAIN_INVALID domain.yml:1']);
  });
});
