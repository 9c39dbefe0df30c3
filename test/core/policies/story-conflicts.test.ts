import { describe, expect, it } from 'vitest';
import { storyConflicts } from '../../../src/core/policies/index.js';
import type { Story, StoryStep } from '../../../src/shared/training-data.js';
import { buildDomain, readFixtureBot } from './helpers/fixture-bot.js';

const domain = buildDomain({
  intents: ['greet', 'ask', 'bye'],
  responses: { utter_hi: [{ text: 'hi' }], utter_hello: [{ text: 'hello' }], utter_answer: [{ text: 'a' }], utter_bye: [{ text: 'b' }] },
});
const user = (intent: string): StoryStep => ({ kind: 'user', intent, text: null, entities: [] });
const act = (name: string): StoryStep => ({ kind: 'action', name });
const story = (name: string, steps: StoryStep[], line: number): Story => ({ name, steps, source: { file: 'data/stories.yml', line, column: 3 } });

describe('storyConflicts', () => {
  it('reports the same history followed by different actions, naming the stories', () => {
    const conflicts = storyConflicts({
      domain,
      stories: [story('one', [user('greet'), act('utter_hi')], 1), story('two', [user('greet'), act('utter_hello')], 5)],
    });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].after).toEqual({ type: 'intent', name: 'greet' });
    expect(conflicts[0].message).toBe("Story structure conflict after intent 'greet':\n  utter_hi predicted in 'one'\n  utter_hello predicted in 'two'\n");
    expect(conflicts[0].actions[1].stories).toEqual([{ name: 'two', source: { file: 'data/stories.yml', line: 5, column: 3 } }]);
  });

  it('only compares the newest max_history states when given', () => {
    const stories = [
      story('one', [user('greet'), act('utter_hi'), user('ask'), act('utter_answer')], 1),
      story('two', [user('bye'), act('utter_bye'), user('ask'), act('utter_hello')], 5),
    ];
    expect(storyConflicts({ domain, stories })).toEqual([]);
    const conflicts = storyConflicts({ domain, stories }, { maxHistory: 1 });
    expect(conflicts.map((conflict) => conflict.message)).toEqual(["Story structure conflict after intent 'ask':\n  utter_answer predicted in 'one'\n  utter_hello predicted in 'two'\n"]);
  });

  it('finds no conflicts in the fixture bots', () => {
    for (const name of ['moodbot', 'formbot'] as const) {
      const bot = readFixtureBot(name);
      expect(storyConflicts({ domain: bot.domain, stories: bot.stories })).toEqual([]);
    }
  });
});
