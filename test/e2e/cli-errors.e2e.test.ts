/** What a person sees when a project or a flag is wrong: clear errors with file:line, non-zero exits. */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixtureBot, runCli, sendRest, startCli } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function moodbot(): string {
  const bot = copyFixtureBot('moodbot');
  cleanups.push(bot.remove);
  return bot.dir;
}

describe('parley data validate', () => {
  it('passes the unmodified moodbot', async () => {
    const result = await runCli(['data', 'validate'], { cwd: moodbot() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/no errors/);
  });

  it('reports every problem at once with file:line:column and exits 1', async () => {
    const dir = moodbot();
    const stories = join(dir, 'data', 'stories.yml');
    writeFileSync(stories, readFileSync(stories, 'utf8').replace('action: utter_happy', 'action: utter_happpy'));
    appendFileSync(join(dir, 'data', 'rules.yml'), '\n- rule: greets\n  steps:\n  - intent: hallo\n  - action: utter_greet\n');
    const result = await runCli(['data', 'validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/data\/stories\.yml:\d+:\d+: .*utter_happpy/);
    expect(result.stderr).toMatch(/data\/rules\.yml:\d+:\d+: .*hallo/);
  });
});

describe('parley train', () => {
  it('stops on malformed YAML, naming the file, line and column', async () => {
    const dir = moodbot();
    writeFileSync(join(dir, 'domain.yml'), 'version: "3.1"\nintents:\n  - greet\n responses: [\n');
    const result = await runCli(['train'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/domain\.yml:\d+:\d+/);
  });
});

describe('parley run', () => {
  it('refuses an unknown channel in credentials.yml with Rasa\'s message and exits 1', async () => {
    const dir = moodbot();
    writeFileSync(join(dir, 'credentials.yml'), 'rest:\nmy.custom.Channel:\n');
    const result = await runCli(['run', '-p', '0', '-i', '127.0.0.1'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Failed to find input channel class for 'my\.custom\.Channel'/);
  });

  it('retrains first when the project changed since the newest model, and says so', async () => {
    const dir = moodbot();
    expect((await runCli(['train'], { cwd: dir })).code).toBe(0);
    appendFileSync(join(dir, 'data', 'nlu.yml'), '    - heya\n'.replace(/^/, ''));
    const server = await startCli([], { cwd: dir });
    try {
      expect(server.output()).toMatch(/The project changed since the model .* was trained; training a new model first/);
      expect(await sendRest(server.url, 'u', 'hello')).toEqual([{ recipient_id: 'u', text: 'Hey! How are you?' }]);
    } finally {
      await server.stop();
    }
  });

  it('starts only the channel named by --connector', async () => {
    const dir = moodbot();
    writeFileSync(join(dir, 'credentials.yml'), 'rest:\nsocketio:\n');
    const server = await startCli(['--connector', 'socketio'], { cwd: dir });
    try {
      expect((await fetch(`${server.url}/webhooks/socketio/`)).status).toBe(200);
      expect((await fetch(`${server.url}/webhooks/rest/`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
