import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Correction } from '../../src/review/correction-store.js';
import { buildStoriesYaml } from '../../src/review/story-export.js';
import type { TrackerEvent } from '../../src/shared/events.js';
import { action, bot, MISREAD_INDEX, slot, testerConversation, user } from './helpers/conversations.js';

function correction(fields: Partial<Correction> & { event_index: number }): Correction {
  return { id: 'c', sender_id: 'tester', text: '', intent: null, entities: null, action: null, created_at: 1, ...fields };
}

function stories(corrections: Correction[], events: TrackerEvent[], senderId = 'tester') {
  const result = buildStoriesYaml(corrections, new Map([[senderId, events]]));
  return { ...result, parsed: parse(result.yaml) as { version: string; stories: Array<{ story: string; steps: unknown[] }> } };
}

describe('buildStoriesYaml', () => {
  it('writes no story for an intent corrected without its action: that correction is NLU data only', () => {
    const { parsed, skipped } = stories([correction({ event_index: MISREAD_INDEX, intent: 'mood_unhappy' })], testerConversation());
    expect(skipped).toEqual([]);
    expect(parsed).toEqual({ version: '3.1', stories: [] });
  });

  it('stops the story before such a message and reports the later corrections it leaves out', () => {
    const events = [...testerConversation(100).slice(0, 6), ...testerConversation(100).slice(6), user('still sad', 'greet', 0.5, 120), action('utter_greet', 121)];
    const { parsed, skipped } = stories(
      [correction({ event_index: 2, entities: [] }), correction({ event_index: MISREAD_INDEX, intent: 'mood_unhappy' }), correction({ event_index: 10, action: 'utter_cheer_up' })],
      events,
    );
    expect(parsed.stories).toEqual([{ story: 'review tester 1', steps: [{ intent: 'greet' }, { action: 'utter_greet' }] }]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain('events 10 are not in the story');
  });

  it("replaces the bot's actions after a message with the corrected action", () => {
    const { parsed } = stories([correction({ event_index: MISREAD_INDEX, intent: 'mood_unhappy', action: 'utter_cheer_up' })], testerConversation());
    expect(parsed.stories[0].steps).toEqual([{ intent: 'greet' }, { action: 'utter_greet' }, { intent: 'mood_unhappy' }, { action: 'utter_cheer_up' }]);
  });

  it('keeps the actions when only the entities were corrected, and keeps the slots the message filled', () => {
    const events: TrackerEvent[] = [
      action('action_session_start', 1, null, null),
      user('thai please', 'inform', 0.9, 2),
      slot('cuisine', 'thai', 2),
      action('utter_ok', 3),
      bot('ok', 'utter_ok', 3),
      action('action_listen', 3),
    ];
    const { parsed } = stories([correction({ event_index: 1, entities: [{ start: 0, end: 4, entity: 'cuisine', value: 'thai', role: 'main' }] })], events);
    expect(parsed.stories[0].steps).toEqual([
      { intent: 'inform', entities: [{ cuisine: 'thai', role: 'main' }] },
      { slot_was_set: [{ cuisine: 'thai' }] },
      { action: 'utter_ok' },
    ]);
  });

  it('writes the slots a message filled before the corrected action', () => {
    const events: TrackerEvent[] = [
      user('thai please', 'inform', 0.9, 2),
      slot('cuisine', 'thai', 2),
      action('utter_wrong', 3),
      slot('other', 1, 3),
      action('action_listen', 3),
      user('thanks', 'thankyou', 0.9, 4),
    ];
    const { parsed } = stories([correction({ event_index: 0, action: 'utter_ok' })], events);
    expect(parsed.stories[0].steps).toEqual([{ intent: 'inform' }, { slot_was_set: [{ cuisine: 'thai' }] }, { action: 'utter_ok' }]);
  });

  it('writes one story per corrected session and leaves later turns out', () => {
    const events = [...testerConversation(100), ...testerConversation(200)];
    const second = MISREAD_INDEX + 10;
    const { parsed } = stories([correction({ event_index: 2, action: 'utter_happy' }), correction({ event_index: second, action: 'utter_cheer_up' })], events);
    expect(parsed.stories.map((story) => story.story)).toEqual(['review tester 1', 'review tester 2']);
    expect(parsed.stories[0].steps).toEqual([{ intent: 'greet' }, { action: 'utter_happy' }]);
    expect(parsed.stories[1].steps).toEqual([{ intent: 'greet' }, { action: 'utter_greet' }, { intent: 'mood_great' }, { action: 'utter_cheer_up' }]);
  });

  it('reports corrections of conversations the store no longer has', () => {
    const result = buildStoriesYaml([correction({ event_index: 2, intent: 'greet' })], new Map());
    expect(parse(result.yaml).stories).toEqual([]);
    expect(result.skipped[0]).toContain("conversation 'tester'");
  });
});
