import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, ProjectIssue } from '../../src/shared/project.js';
import { loadProject } from '../../src/project/index.js';
import { project as makeProject, removeProjects } from './helpers.js';

afterAll(removeProjects);

describe('a domain/ directory', () => {
  let project: Project;
  let warnings: ProjectIssue[];

  beforeAll(async () => {
    const root = makeProject({
      'domain.yml': undefined,
      'domain/a_core.yml': [
        'version: "3.1"',
        'intents:',
        '  - greet',
        'slots:',
        '  name:',
        '    type: text',
        '    mappings:',
        '    - type: from_text',
        'responses:',
        '  utter_greet:',
        '  - text: "Hello from a"',
        'forms:',
        '  name_form:',
        '    required_slots: [name]',
        'session_config:',
        '  session_expiration_time: 60',
        '  carry_over_slots_to_new_session: true',
        '',
      ].join('\n'),
      'domain/b/extra.yml': [
        'version: "3.1"',
        'intents:',
        '  - greet',
        '  - goodbye',
        'responses:',
        '  utter_greet:',
        '  - text: "Hello from b"',
        '  utter_bye:',
        '  - text: "Bye"',
        'actions:',
        '  - name_form',
        '  - action_check',
        'session_config:',
        '  session_expiration_time: 0',
        '  carry_over_slots_to_new_session: false',
        '',
      ].join('\n'),
      'domain/notes.yml': 'nlu: []\n',
    });
    ({ project, warnings } = await loadProject(root));
  });

  it('merges every domain file, the file read first winning on a clash', () => {
    expect(project.domain.intents.map((intent) => intent.name)).toContain('goodbye');
    expect(project.domain.responses.utter_greet).toEqual([{ text: 'Hello from a' }]);
    expect(project.domain.responses.utter_bye).toEqual([{ text: 'Bye' }]);
    expect(project.domain.slots.map((slot) => slot.name)).toEqual(['name', 'requested_slot', 'session_started_metadata']);
  });

  it('warns once per kind about names defined in several files', () => {
    const duplicates = warnings.filter((warning) => warning.code === 'PARLEY_WARN_DOMAIN_DUPLICATE');
    expect(duplicates.map((warning) => warning.message.split('. ')[0])).toEqual([
      'The following duplicated intents have been found across multiple domain files: greet',
      'The following duplicated responses have been found across multiple domain files: utter_greet',
    ]);
    expect(duplicates[0]).toMatchObject({ file: 'domain/b/extra.yml', line: 3, column: 5 });
  });

  it('drops forms from a later file’s actions and keeps its other actions', () => {
    expect(project.domain.customActions).toEqual(['action_check']);
    expect(project.domain.actionNames.slice(-2)).toEqual(['utter_greet', 'name_form']);
  });

  it('takes session_config from the first file that changes the default', () => {
    expect(project.domain.sessionConfig).toEqual({ sessionExpirationTime: 0, carryOverSlots: false });
  });

  it('serializes the merged dict and fingerprints every domain file', () => {
    expect(project.domain.serialized.intents).toEqual(['goodbye', 'greet']);
    expect(project.domain.serialized.actions).toEqual(['action_check']);
    expect(project.files.map((file) => file.path)).toEqual([
      'config.yml',
      'data/nlu.yml',
      'data/stories.yml',
      'domain/a_core.yml',
      'domain/b/extra.yml',
      'domain/notes.yml',
    ]);
  });
});
