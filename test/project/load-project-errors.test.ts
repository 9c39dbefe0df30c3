import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/index.js';
import { loadError, project, removeProjects } from './helpers.js';

afterAll(removeProjects);

const DOMAIN_HEAD = 'version: "3.1"\nintents:\n  - greet\nresponses:\n  utter_greet:\n  - text: "Hello!"\n';

describe('loadProject failures', () => {
  it('reports malformed YAML with file, line and column', async () => {
    const root = project({ 'domain.yml': 'version: "3.1"\nintents:\n  - greet\n - affirm\n' });
    const error = await loadError(root);
    expect(error.code).toBe('PARLEY_ERR_YAML_SYNTAX');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].location).toMatchObject({ file: 'domain.yml', line: 4 });
    expect(error.message).toMatch(/domain\.yml:4:\d+: Invalid YAML/);
  });

  it('rejects a key written twice in the same mapping', async () => {
    const root = project({ 'domain.yml': `${DOMAIN_HEAD}session_config:\n  session_expiration_time: 60\n  session_expiration_time: 30\n` });
    const error = await loadError(root);
    expect(error.code).toBe('PARLEY_ERR_YAML_SYNTAX');
    expect(error.message).toContain('domain.yml:9:3:');
    expect(error.message).toContain("'session_expiration_time' appears twice");
  });

  it('rejects an unknown key in a form and lists the allowed keys', async () => {
    const root = project({
      'domain.yml': `${DOMAIN_HEAD}slots:\n  name:\n    type: text\n    mappings:\n    - type: from_text\nforms:\n  name_form:\n    required_slots: [name]\n    required_slot: [name]\n`,
    });
    const error = await loadError(root);
    expect(error.code).toBe('PARLEY_ERR_YAML_SCHEMA');
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain("domain.yml:15:5: Unknown key 'required_slot' in 'forms.name_form'.");
    expect(error.message).toContain("'required_slots', 'ignored_intents'");
  });

  it('rejects a response variation without text or custom', async () => {
    const root = project({
      'domain.yml': 'version: "3.1"\nintents:\n  - greet\nresponses:\n  utter_greet:\n  - image: "https://example.org/x.png"\n',
    });
    const error = await loadError(root);
    expect(error.code).toBe('PARLEY_ERR_YAML_SCHEMA');
    expect(error.problems[0].location).toEqual({ file: 'domain.yml', line: 6, column: 5 });
    expect(error.message).toContain("needs a 'text'");
  });

  it('rejects an unknown key in a response variation', async () => {
    const root = project({
      'domain.yml': 'version: "3.1"\nintents:\n  - greet\nresponses:\n  utter_greet:\n  - text: hi\n    txt: hello\n',
    });
    const error = await loadError(root);
    expect(error.message).toContain("domain.yml:7:5: Unknown key 'txt' in 'responses.utter_greet[0]'.");
  });

  it('rejects a slot without mappings', async () => {
    const root = project({ 'domain.yml': `${DOMAIN_HEAD}slots:\n  name:\n    type: text\n` });
    const error = await loadError(root);
    expect(error.code).toBe('PARLEY_ERR_YAML_SCHEMA');
    expect(error.message).toContain("domain.yml:8:3: Missing required key 'mappings' in 'slots.name'.");
  });

  it("rejects the slot type 'boolean' and suggests 'bool'", async () => {
    const root = project({
      'domain.yml': `${DOMAIN_HEAD}slots:\n  confirmed:\n    type: boolean\n    mappings:\n    - type: custom\n`,
    });
    const error = await loadError(root);
    expect(error.code).toBe('PARLEY_ERR_YAML_SCHEMA');
    expect(error.message).toContain("domain.yml:9:11: Unknown slot type 'boolean'.");
    expect(error.message).toContain("Did you mean 'bool'?");
  });

  it('names an unset ${VAR} with its file, line and column', async () => {
    const root = project({ 'config.yml': 'recipe: default.v1\nlanguage: en\nassistant_id: ${PARLEY_TEST_UNSET_ID}\n' });
    const error = await loadError(root, { env: {} });
    expect(error.code).toBe('PARLEY_ERR_ENV_VAR_MISSING');
    expect(error.message).toContain("config.yml:3:15: The environment variable 'PARLEY_TEST_UNSET_ID' is not set");
  });

  it('expands ${VAR} in plain scalars of training files and quoted scalars of config.yml', async () => {
    const root = project({
      'config.yml': 'recipe: default.v1\nlanguage: "${LANG_CODE}"\nassistant_id: bot\n',
      'domain.yml': 'version: "3.1"\nintents:\n  - greet\nresponses:\n  utter_greet:\n  - text: Hi from ${BOT_NAME}\n  - text: "Price: ${price}"\n',
    });
    const { project: loaded } = await loadProject(root, { env: { LANG_CODE: 'de', BOT_NAME: 'Sara' } });
    expect(loaded.config.language).toBe('de');
    // Quoted scalars outside config/credentials/endpoints are left alone, as Rasa does.
    expect(loaded.domain.responses.utter_greet).toEqual([{ text: 'Hi from Sara' }, { text: 'Price: ${price}' }]);
  });

  it('skips a file declaring version "3.2" with a warning', async () => {
    const root = project({
      'data/extra.yml': 'version: "3.2"\nnlu:\n- intent: greet\n  examples: |\n    - good day\n',
    });
    const { project: loaded, warnings } = await loadProject(root);
    expect(loaded.training.nlu.examples.map((example) => example.text)).toEqual(['hi', 'hello']);
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'PARLEY_WARN_FILE_SKIPPED', file: 'data/extra.yml', line: 1, column: 10 }),
    ]);
  });

  it('reports every problem of every file at once', async () => {
    const root = project({
      'domain.yml': `${DOMAIN_HEAD}slots:\n  a:\n    type: boolean\n    mappings: []\n  b:\n    type: text\n`,
      'data/nlu.yml': 'nlu:\n- intent: greet\n  examples: |\n    - hi\n  example: oops\n',
      'data/stories.yml': 'stories:\n- story: x\n  steps:\n  - intent: greet\n    action: utter_greet\n',
    });
    const error = await loadError(root);
    expect(error.code).toBe('PARLEY_ERR_YAML_SCHEMA');
    const places = error.problems.map((problem) => `${problem.location?.file}:${problem.location?.line}`);
    expect(places).toEqual(['domain.yml:9', 'domain.yml:11', 'data/nlu.yml:5', 'data/stories.yml:5']);
    expect(error.message.split('\n')[0]).toBe(`Found 4 problems in the project at ${root}:`);
  });

  it('reports a missing config file', async () => {
    const error = await loadError(project({ 'config.yml': undefined }));
    expect(error.code).toBe('PARLEY_ERR_FILE_NOT_FOUND');
    expect(error.message).toContain("The config file 'config.yml' does not exist");
  });

  it('reports a missing domain', async () => {
    const error = await loadError(project({ 'domain.yml': undefined }));
    expect(error.code).toBe('PARLEY_ERR_FILE_NOT_FOUND');
    expect(error.message).toContain('No domain found');
  });

  it('rejects a file whose top level is not a mapping', async () => {
    const error = await loadError(project({ 'data/nlu.yml': '- intent: greet\n' }));
    expect(error.message).toContain('data/nlu.yml:1:1: The file must be a mapping');
  });

  it("rejects an intent written with ':' but no properties", async () => {
    const error = await loadError(project({ 'domain.yml': 'intents:\n  - greet:\n' }));
    expect(error.message).toContain("domain.yml:2:5: The intent 'greet' is followed by ':' but has no properties.");
  });

  it('rejects intent properties indented at the level of the name', async () => {
    const error = await loadError(project({ 'domain.yml': 'intents:\n  - greet:\n    use_entities: []\n' }));
    expect(error.message).toContain('has 2 keys');
  });

  it('rejects the MappingPolicy triggers of Rasa 2', async () => {
    const error = await loadError(project({ 'domain.yml': 'intents:\n  - greet:\n      triggers: utter_greet\n' }));
    expect(error.message).toContain("domain.yml:3:7: 'triggers' belongs to the MappingPolicy");
  });

  it('rejects duplicate intents and entities within one domain', async () => {
    const error = await loadError(project({ 'domain.yml': 'intents:\n  - greet\n  - greet\nentities:\n  - city\n  - city\n' }));
    expect(error.code).toBe('PARLEY_ERR_DOMAIN_INVALID');
    expect(error.message).toContain("domain.yml:3:5: The intent 'greet' is listed more than once");
    expect(error.message).toContain("domain.yml:6:5: The entity 'city' is listed more than once");
  });

  it('rejects a float slot whose min is not below its max, and a featurized any slot', async () => {
    const error = await loadError(
      project({
        'domain.yml': `${DOMAIN_HEAD}slots:\n  size:\n    type: float\n    min_value: 5\n    max_value: 1\n    mappings: []\n  blob:\n    type: any\n    influence_conversation: true\n    mappings: []\n`,
      }),
    );
    expect(error.code).toBe('PARLEY_ERR_DOMAIN_INVALID');
    expect(error.message).toContain("domain.yml:8:3: The float slot 'size' has min_value 5 and max_value 1");
    expect(error.message).toContain("domain.yml:13:3: The slot 'blob' is of type 'any'");
  });

  it('rejects a key that only applies to another slot type', async () => {
    const error = await loadError(
      project({ 'domain.yml': `${DOMAIN_HEAD}slots:\n  name:\n    type: text\n    values: [a]\n    mappings: []\n` }),
    );
    expect(error.message).toContain("domain.yml:10:5: 'values' only applies to categorical slots");
  });

  it('rejects invalid slot mappings', async () => {
    const error = await loadError(
      project({
        'domain.yml': `${DOMAIN_HEAD}slots:\n  name:\n    type: text\n    mappings:\n    - type: from_entity\n    - type: from_nowhere\n`,
      }),
    );
    expect(error.message).toContain("domain.yml:11:7: A 'from_entity' mapping needs an 'entity' key.");
    expect(error.message).toContain("domain.yml:12:13: Unknown slot mapping type 'from_nowhere'.");
  });

  it('rejects bot steps and checkpoints in rules', async () => {
    const error = await loadError(
      project({ 'data/rules.yml': 'rules:\n- rule: r\n  steps:\n  - intent: greet\n  - bot: Hello!\n' }),
    );
    expect(error.message).toContain("data/rules.yml:5:5: Rules cannot contain 'bot' steps");
  });

  it('locates type errors inside list items, also for values that allow several types', async () => {
    const error = await loadError(
      project({
        'data/nlu.yml': 'nlu:\n- intent: greet\n  examples: 5\n- intnt: x\n',
        'data/stories.yml': 'stories:\n- story: s\n  steps:\n  - or:\n    - intent: greet\n      entities: [5]\n',
      }),
    );
    expect(error.problems.map((problem) => problem.toUserString())).toEqual([
      "data/nlu.yml:3:13: 'nlu[0].examples' must be a text or a list, but it is a number.",
      "data/nlu.yml:4:3: This NLU item has none of the keys 'intent', 'synonym', 'regex', 'lookup'; found 'intnt'.",
      "data/stories.yml:6:18: 'stories[0].steps[0].or[0].entities[0]' must be a text or a mapping (key: value pairs), but it is a number.",
    ]);
  });

  it('rejects an entity annotation that is not valid JSON', async () => {
    const error = await loadError(
      project({ 'data/nlu.yml': 'nlu:\n- intent: greet\n  examples: |\n    - hi [Sara]{"entity": name}\n' }),
    );
    expect(error.code).toBe('PARLEY_ERR_TRAINING_DATA_INVALID');
    expect(error.message).toContain('data/nlu.yml:4:5: The entity annotation \'{"entity": name}\' is not valid JSON');
  });
});

describe('loadProject with validate: true', () => {
  it('fails on a story that names an unknown action, intent or form', async () => {
    const root = project({
      'data/stories.yml': [
        'stories:',
        '- story: broken',
        '  steps:',
        '  - intent: greet',
        '  - action: utter_greet',
        '  - intent: order_pizza',
        '  - action: action_order',
        '  - active_loop: pizza_form',
        '',
      ].join('\n'),
    });
    await expect(loadProject(root)).resolves.toBeDefined();
    const error = await loadError(root, { validate: true });
    expect(error.code).toBe('PARLEY_ERR_PROJECT_INVALID');
    expect(error.problems.map((problem) => [problem.code, problem.location?.line])).toEqual([
      ['PARLEY_ERR_INTENT_UNKNOWN', 6],
      ['PARLEY_ERR_ACTION_UNKNOWN', 7],
      ['PARLEY_ERR_FORM_UNKNOWN', 8],
    ]);
    expect(error.message).toContain("data/stories.yml:6:5: The intent 'order_pizza' is used in the story 'broken'");
  });
});
