import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { annotatedText, exportStory } from '../../src/api/story-export.js';
import { actionExecuted, activeLoop, simpleEvent, slotSet, userUttered } from '../../src/core/events.js';

describe('annotatedText', () => {
  it('writes entities inline with Python-style JSON, adding value only when it differs', () => {
    const text = 'I want thai food in NYC';
    const entities = [
      { entity: 'cuisine', value: 'thai', start: 7, end: 11 },
      { entity: 'city', value: 'New York', start: 20, end: 23, role: 'destination' },
    ];
    expect(annotatedText(text, entities)).toBe(
      'I want [thai]{"entity": "cuisine"} food in [NYC]{"entity": "city", "role": "destination", "value": "New York"}',
    );
  });

  it('leaves entities without offsets out', () => {
    expect(annotatedText('hi there', [{ entity: 'x', value: 1 }])).toBe('hi there');
  });
});

describe('exportStory', () => {
  const greet = userUttered({ text: 'hi', parseData: { intent: { name: 'greet', confidence: 1 }, entities: [] } });

  it('writes one story without bookkeeping actions', () => {
    const events = [
      actionExecuted('action_session_start'),
      simpleEvent('session_started'),
      actionExecuted('action_listen'),
      greet,
      actionExecuted('utter_greet'),
      slotSet('mood', 'great'),
      activeLoop('some_form'),
      actionExecuted(null, { actionText: 'Hello!' }),
      actionExecuted('action_listen'),
    ];
    expect(parse(exportStory('c1', events))).toEqual({
      version: '3.1',
      stories: [
        {
          story: 'c1',
          steps: [
            { user: 'hi', intent: 'greet' },
            { action: 'utter_greet' },
            { slot_was_set: [{ mood: 'great' }] },
            { active_loop: 'some_form' },
            { bot: 'Hello!' },
          ],
        },
      ],
    });
  });

  it('numbers the stories when several sessions are exported', () => {
    const session = [actionExecuted('action_session_start'), simpleEvent('session_started'), greet];
    const stories = parse(exportStory('c2', [...session, ...session])).stories;
    expect(stories.map((story: { story: string }) => story.story)).toEqual(['c2, story 1', 'c2, story 2']);
  });

  it('writes an intent shortcut message as intent and entities only', () => {
    const shortcut = userUttered({
      text: '/inform{"city": "Paris"}',
      parseData: { intent: { name: 'inform', confidence: 1 }, entities: [{ entity: 'city', value: 'Paris' }] },
    });
    expect(parse(exportStory('c3', [shortcut])).stories[0].steps).toEqual([{ intent: 'inform', entities: [{ city: 'Paris' }] }]);
  });
});
