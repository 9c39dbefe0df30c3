import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCredentials, ProjectFilesError } from '../../src/project/index.js';
import { fixtureBot, removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

describe('loadCredentials', () => {
  it('reads the moodbot credentials in file order, an empty entry as null', async () => {
    expect(await loadCredentials(path.join(fixtureBot('moodbot'), 'credentials.yml'))).toEqual([
      { name: 'rest', options: null },
      { name: 'rasa', options: { url: 'http://localhost:5002/api' } },
    ]);
  });

  it('returns null when the file does not exist', async () => {
    expect(await loadCredentials(path.join(writeProject({}), 'credentials.yml'))).toBeNull();
  });

  it('expands ${VAR}, also in quoted values, and reads "true"/"false" flags as booleans', async () => {
    const root = writeProject({
      'credentials.yml': [
        'socketio:',
        '  user_message_evt: user_uttered',
        '  session_persistence: ${PERSIST}',
        'slack:',
        '  slack_token: "${SLACK_TOKEN}"',
        '  use_threads: "True"',
        'twilio_voice:',
        '  enhanced: "false"',
        '',
      ].join('\n'),
    });
    const credentials = await loadCredentials(path.join(root, 'credentials.yml'), {
      env: { PERSIST: 'false', SLACK_TOKEN: 'xoxb-1' },
    });
    expect(credentials).toEqual([
      { name: 'socketio', options: { user_message_evt: 'user_uttered', session_persistence: false } },
      { name: 'slack', options: { slack_token: 'xoxb-1', use_threads: true } },
      // Not a flag: twilio_voice compares this option as text.
      { name: 'twilio_voice', options: { enhanced: 'false' } },
    ]);
  });

  it('rejects malformed content with located errors', async () => {
    const root = writeProject({ 'credentials.yml': 'rest:\nsocketio: yes\nslack: ${NOPE}\n' });
    const error = await loadCredentials(path.join(root, 'credentials.yml'), {
      env: {},
      displayPath: 'credentials.yml',
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ProjectFilesError);
    expect((error as ProjectFilesError).code).toBe('PARLEY_ERR_ENV_VAR_MISSING');
    expect((error as ProjectFilesError).message).toContain("credentials.yml:3:8: The environment variable 'NOPE'");
  });

  it('rejects a channel whose options are not a mapping', async () => {
    const root = writeProject({ 'credentials.yml': 'rest:\nsocketio: yes\n' });
    const error = (await loadCredentials(path.join(root, 'credentials.yml'), { displayPath: 'credentials.yml' }).catch(
      (thrown: unknown) => thrown,
    )) as ProjectFilesError;
    expect(error.code).toBe('PARLEY_ERR_YAML_SCHEMA');
    expect(error.message).toContain("credentials.yml:2:11: 'socketio' must be a mapping (key: value pairs), but it is a text.");
  });
});
