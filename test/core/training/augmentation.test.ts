import { describe, expect, it } from 'vitest';
import { augmentStoryTrackers } from '../../../src/core/training/augmentation.js';
import { generateTrainingTrackers } from '../../../src/core/training/tracker-generator.js';
import type { StoryStep } from '../../../src/shared/training-data.js';
import { buildDomain } from '../policies/helpers/fixture-bot.js';

const domain = buildDomain({ intents: ['greet', 'bye'], responses: { utter_hi: [{ text: 'hi' }], utter_bye: [{ text: 'bye' }] } });
const user = (intent: string): StoryStep => ({ kind: 'user', intent, text: null, entities: [] });
const { stories } = generateTrainingTrackers({
  domain,
  stories: [
    { name: 'hi', steps: [user('greet'), { kind: 'action', name: 'utter_hi' }] },
    { name: 'bye', steps: [user('bye'), { kind: 'action', name: 'utter_bye' }] },
  ],
  rules: [],
});

describe('augmentStoryTrackers', () => {
  it('glues every story after every story when there are few, without a doubled action_listen', () => {
    const glued = augmentStoryTrackers(stories);
    expect(glued.map((tracker) => tracker.name)).toEqual(['hi > hi', 'hi > bye', 'bye > hi', 'bye > bye']);
    const names = glued[1].events.map((event) => (event.event === 'action' ? event.name : event.event));
    expect(names).toEqual(['action_listen', 'user', 'utter_hi', 'action_listen', 'user', 'utter_bye', 'action_listen']);
  });

  it('samples at most ten trackers per augmentation factor, the same ones every time', () => {
    const sampled = augmentStoryTrackers(stories, { factor: 0.3 });
    expect(sampled).toHaveLength(3);
    expect(augmentStoryTrackers(stories, { factor: 0.3 }).map((tracker) => tracker.name)).toEqual(sampled.map((tracker) => tracker.name));
    expect(augmentStoryTrackers(stories, { factor: 0 })).toEqual([]);
  });
});
