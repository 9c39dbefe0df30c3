/**
 * The unmodified formbot, trained and served by the CLI, with its form validated by a real action
 * server (the formbot's `validate_restaurant_form`, written in TypeScript for the tests).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActionServer, validateRestaurantForm, type ActionServer } from '../core/helpers/action-server.js';
import { copyFixtureBot, runCli, sendRest, startCli, type RunningCli } from './helpers.js';

let bot: ReturnType<typeof copyFixtureBot>;
let actions: ActionServer;
let server: RunningCli;

const texts = (messages: Array<Record<string, unknown>>) => messages.map((message) => message.text);

beforeAll(async () => {
  bot = copyFixtureBot('formbot');
  actions = await startActionServer({ validate_restaurant_form: validateRestaurantForm });
  writeFileSync(join(bot.dir, 'endpoints.yml'), `action_endpoint:\n  url: "${actions.url}/webhook"\n`);
  const trained = await runCli(['train'], { cwd: bot.dir });
  expect(trained.code, trained.stderr).toBe(0);
  server = await startCli([], { cwd: bot.dir });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await actions?.close();
  bot?.remove();
});

describe('the formbot served by parley run', () => {
  it('fills the restaurant form, validating through the action server, then submits', async () => {
    const user = 'diner';
    expect(texts(await sendRest(server.url, user, 'hi'))).toEqual(['Hello! I am restaurant search assistant! How can I help?']);
    expect(texts(await sendRest(server.url, user, 'im looking for a restaurant'))).toEqual(['What cuisine?']);
    expect(texts(await sendRest(server.url, user, 'italian food'))).toEqual(['How many people?']);
    expect(texts(await sendRest(server.url, user, 'for two people'))).toEqual(['Do you want to sit outside?']);
    expect(texts(await sendRest(server.url, user, 'I prefer sitting outside'))).toEqual(['Please provide additional preferences']);
    expect(texts(await sendRest(server.url, user, 'no thanks'))).toEqual(['Please give your feedback on your experience so far']);
    const submitted = texts(await sendRest(server.url, user, 'it was great'));
    expect(submitted[0]).toBe('All done!');
    expect(submitted.slice(1).join('\n')).toMatch(/cuisine: italian[\s\S]*num_people: 2[\s\S]*outdoor_seating: True[\s\S]*preferences: no additional preferences[\s\S]*feedback: great/);
    expect(actions.requests.some((request) => request.body.next_action === 'validate_restaurant_form')).toBe(true);
  });

  it('asks again when the action server rejects a cuisine', async () => {
    await sendRest(server.url, 'picky', 'im looking for a restaurant');
    expect(texts(await sendRest(server.url, 'picky', 'afghan food'))).toEqual([
      'Cuisine type is not in the database, please try again',
      'What cuisine?',
    ]);
  });

  it('handles chitchat in the middle of the form and returns to it', async () => {
    await sendRest(server.url, 'chatty', 'im looking for a restaurant');
    expect(texts(await sendRest(server.url, 'chatty', 'how is the weather?'))).toEqual(['chitchat', 'What cuisine?']);
  });
});
