import { afterAll, describe, expect, it } from 'vitest';
import { listYamlFiles } from '../../src/project/discovery.js';
import { loadProject } from '../../src/project/index.js';
import { BASE_FILES, project, removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

describe('listYamlFiles', () => {
  it('lists a directory’s YAML files sorted, then its subdirectories sorted, skipping hidden entries', async () => {
    const root = writeProject({
      'data/b.yml': '',
      'data/a.yaml': '',
      'data/z/c.yml': '',
      'data/m/d.yml': '',
      'data/readme.md': '',
      'data/.hidden.yml': '',
      'data/.git/e.yml': '',
    });
    const files = (await listYamlFiles(`${root}/data`)).map((file) => file.slice(root.length + 1));
    expect(files).toEqual(['data/a.yaml', 'data/b.yml', 'data/m/d.yml', 'data/z/c.yml']);
  });
});

describe('loadProject path options', () => {
  it('takes config, domain, data and tests paths like Rasa’s CLI options', async () => {
    const root = writeProject({
      'bot/settings.yml': BASE_FILES['config.yml'],
      'bot/my-domain.yml': BASE_FILES['domain.yml'],
      'bot/nlu-data/nlu.yml': BASE_FILES['data/nlu.yml'],
      'bot/story-data/stories.yml': BASE_FILES['data/stories.yml'],
      'bot/checks/test_greet.yml': 'stories:\n- story: t\n  steps:\n  - user: hi\n    intent: greet\n',
    });
    const { project: loaded } = await loadProject(root, {
      config: 'bot/settings.yml',
      domain: 'bot/my-domain.yml',
      data: ['bot/nlu-data', 'bot/story-data/stories.yml'],
      tests: 'bot/checks',
    });
    expect(loaded.files.map((file) => file.path)).toEqual([
      'bot/my-domain.yml',
      'bot/nlu-data/nlu.yml',
      'bot/settings.yml',
      'bot/story-data/stories.yml',
    ]);
    expect(loaded.training.nlu.examples).toHaveLength(2);
    expect(loaded.testStories).toHaveLength(1);
  });

  it('reads one file as NLU, stories, rules and domain at once', async () => {
    const all = [
      'recipe: default.v1',
      'language: en',
      'intents: [greet]',
      'responses:',
      '  utter_greet:',
      '  - text: Hi',
      'nlu:',
      '- intent: greet',
      '  examples: |',
      '    - hi',
      'stories:',
      '- story: s',
      '  steps:',
      '  - intent: greet',
      '  - action: utter_greet',
      'rules:',
      '- rule: r',
      '  steps:',
      '  - intent: greet',
      '  - action: utter_greet',
      '',
    ].join('\n');
    const root = writeProject({ 'all.yml': all });
    const { project: loaded } = await loadProject(root, { config: 'all.yml', domain: 'all.yml', data: ['all.yml'] });
    expect(loaded.config.language).toBe('en');
    expect(loaded.domain.intents.map((intent) => intent.name)).toContain('greet');
    expect(loaded.training.nlu.examples.map((example) => example.text)).toEqual(['hi']);
    expect(loaded.training.stories).toHaveLength(1);
    expect(loaded.training.rules).toHaveLength(1);
    expect(loaded.files.map((file) => file.path)).toEqual(['all.yml']);
  });

  it('warns about a training-data file holding only domain keys, and about a missing data directory', async () => {
    const { warnings } = await loadProject(project({ 'data/more-domain.yml': 'intents:\n  - goodbye\n' }), {
      data: ['data', 'elsewhere'],
    });
    expect(warnings.map((warning) => [warning.code, warning.file ?? null])).toEqual([
      ['PARLEY_WARN_FILE_SKIPPED', 'data/more-domain.yml'],
      ['PARLEY_WARN_FILE_SKIPPED', null],
    ]);
    expect(warnings[0].message).toContain('domain keys (intents)');
  });

  it('reads a version that is not a text as 3.1, with a warning', async () => {
    const { warnings } = await loadProject(project({ 'data/nlu.yml': `version: 3.1\n${BASE_FILES['data/nlu.yml'].split('\n').slice(1).join('\n')}` }));
    expect(warnings).toEqual([expect.objectContaining({ code: 'PARLEY_WARN_FORMAT_VERSION', file: 'data/nlu.yml', line: 1 })]);
  });
});
