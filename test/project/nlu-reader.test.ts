import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACTIONS } from '../../src/shared/domain.js';
import type { Project, ProjectIssue } from '../../src/shared/project.js';
import { loadProject } from '../../src/project/index.js';
import { BASE_FILES, removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

const NLU = `version: "3.1"
nlu:
- intent: greet
  metadata: {sentiment: neutral}
  examples: |
    - hi
    -hey
     - bad indentation
    - hello [Sara](name)
- intent: inform
  examples:
  - text: |
      I live in [Berlin]{"entity": "city", "role": "home"}
    metadata: {source: web}
  - text: from [NYC](city:new york)
- intent: chitchat/ask_name
  examples: |
    - what's your name?
- intent: chitchat/ask_weather
  examples: |
    - how is the weather?
- intent: empty
- synonym: new york
  examples: |
    - the big apple
    - NYC
- regex: account_number
  examples: |
    - \\d{10,12}
- lookup: city
  examples: |
    - Berlin
    - San Francisco
- synonym: boston
  examples: |
    - the big apple
responses:
  utter_chitchat/ask_name:
  - text: I'm Sara.
  utter_chitchat/ask_weather:
  - text: Sunny.
`;

describe('reading NLU files', () => {
  let project: Project;
  let warnings: ProjectIssue[];

  beforeAll(async () => {
    const root = writeProject({
      ...BASE_FILES,
      'domain.yml': 'version: "3.1"\nintents:\n  - greet\n  - inform\n  - chitchat:\n      use_entities: []\nentities:\n  - name\n  - city\nresponses:\n  utter_greet:\n  - text: Hello\n',
      'data/nlu.yml': NLU,
    });
    ({ project, warnings } = await loadProject(root));
  });

  it('reads block examples, skipping lines that do not start with "-"', () => {
    const greet = project.training.nlu.examples.filter((example) => example.intent === 'greet');
    expect(greet.map((example) => example.text)).toEqual(['hi', 'hey', 'hello Sara']);
    expect(greet[0].metadata).toEqual({ intent: { sentiment: 'neutral' } });
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'PARLEY_WARN_NLU_DATA', file: 'data/nlu.yml', line: 8, column: 6 }),
    );
  });

  it('reads long-form examples with their own metadata', () => {
    const inform = project.training.nlu.examples.filter((example) => example.intent === 'inform');
    expect(inform.map(({ text, entities, metadata }) => ({ text, entities, metadata }))).toEqual([
      {
        text: 'I live in Berlin',
        entities: [{ entity: 'city', value: 'Berlin', start: 10, end: 16, role: 'home' }],
        metadata: { example: { source: 'web' } },
      },
      { text: 'from NYC', entities: [{ entity: 'city', value: 'new york', start: 5, end: 8 }], metadata: undefined },
    ]);
    expect(inform[0].source).toEqual({ file: 'data/nlu.yml', line: 12, column: 11 });
  });

  it('merges synonyms from blocks and annotations, lower-casing the surface text', () => {
    expect(project.training.nlu.synonyms).toEqual({ nyc: 'new york', 'the big apple': 'boston' });
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'PARLEY_WARN_SYNONYM_CONFLICT', line: 36, column: 5 }),
    );
  });

  it('reads regexes and lookup tables', () => {
    expect(project.training.nlu.regexes).toEqual([{ name: 'account_number', pattern: '\\d{10,12}' }]);
    expect(project.training.nlu.lookups).toEqual([{ name: 'city', elements: ['Berlin', 'San Francisco'] }]);
  });

  it('warns about an intent without examples', () => {
    expect(warnings).toContainEqual(
      expect.objectContaining({ message: "The intent 'empty' has no examples.", line: 22 }),
    );
  });

  it('keeps full retrieval intent names on examples and marks the base intent in the domain', () => {
    expect(project.training.nlu.examples.filter((example) => example.intent.startsWith('chitchat/'))).toHaveLength(2);
    const chitchat = project.domain.intents.find((intent) => intent.name === 'chitchat');
    expect(chitchat).toMatchObject({ isRetrievalIntent: true, usedEntities: [] });
  });

  it('merges NLU responses into the domain and adds the retrieval action', () => {
    expect(Object.keys(project.domain.responses)).toEqual([
      'utter_greet',
      'utter_chitchat/ask_name',
      'utter_chitchat/ask_weather',
    ]);
    expect(project.training.nlu.responses['utter_chitchat/ask_name']).toEqual([{ text: "I'm Sara." }]);
    expect(project.domain.customActions).toEqual(['utter_chitchat']);
    expect(project.domain.actionNames).toEqual([
      ...DEFAULT_ACTIONS,
      'utter_chitchat',
      'utter_chitchat/ask_name',
      'utter_chitchat/ask_weather',
      'utter_greet',
    ]);
    expect(project.domain.serialized.intents).toEqual([
      { chitchat: { used_entities: [], is_retrieval_intent: true } },
      'greet',
      'inform',
    ]);
    expect(project.domain.serialized.actions).toEqual(['utter_chitchat']);
  });
});
