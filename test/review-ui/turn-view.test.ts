import { describe, expect, it } from 'vitest';
import { conversationView, latestCorrection, turnView } from '../../review-ui/src/turn-view.js';
import { conversation, turn } from './fixtures.js';

describe('turnView', () => {
  it('flags an intent predicted below the threshold and lists the rest of the ranking', () => {
    const view = turnView(turn(), 0.5);
    expect(view.intent).toEqual({ name: 'mood_great', confidence: '41%', flagged: true });
    expect(view.ranking.map((entry) => entry.name)).toEqual(['mood_great', 'mood_unhappy', 'greet']);
    expect(turnView(turn(), 0.4).intent?.flagged).toBe(false);
  });

  it('names the policy of each action without the ensemble prefix and keeps the full name', () => {
    const [action] = turnView(turn(), 0.5).actions;
    expect(action).toEqual({
      name: 'utter_happy',
      policy: 'RulePolicy',
      policyFull: 'policy_1_RulePolicy',
      confidence: '100%',
      listen: false,
      fallback: false,
    });
  });

  it('shows bot messages with the response template they came from', () => {
    expect(turnView(turn(), 0.5).bots).toEqual([{ text: 'Great, carry on!', template: 'utter_happy', buttons: [], image: null }]);
  });

  it('marks predicted entities in the text and lists them with confidence and extractor', () => {
    const view = turnView(conversation.turns[3], 0.5);
    expect(view.segments).toEqual([
      { text: 'book a flight to ', entity: null },
      { text: 'Berlin', entity: { name: 'city', role: null, group: null } },
    ]);
    expect(view.entities).toEqual([{ entity: 'city', value: 'Berlin', role: null, group: null, confidence: '88%', extractor: 'CRFEntityExtractor' }]);
    expect(view.slots).toEqual([{ name: 'city', value: 'Berlin' }]);
  });

  it('treats nlu_fallback and fallback actions as a fallback turn', () => {
    const view = turnView(conversation.turns[3], 0.1);
    expect(view.fallback).toBe(true);
    expect(view.intent?.flagged).toBe(true);
    expect(view.actions[0].fallback).toBe(true);
    expect(turnView(conversation.turns[1], 0.5).fallback).toBe(false);
  });

  it('summarises saved corrections and marks the corrected entities in the text', () => {
    const corrected = turn({
      text: 'fly to Paris',
      entities: [],
      corrections: [
        {
          id: 'c1',
          sender_id: 'tester-1',
          event_index: 4,
          text: 'fly to Paris',
          intent: 'mood_unhappy',
          entities: [{ start: 7, end: 12, entity: 'city', role: 'destination' }],
          action: 'utter_cheer_up',
          created_at: 1_700_000_100,
        },
      ],
    });
    const view = turnView(corrected, 0.5);
    expect(view.corrections[0].lines).toEqual(['Intent: mood_unhappy', 'Entities: Paris → city (role destination)', 'Next action: utter_cheer_up']);
    expect(view.segments[1]).toEqual({ text: 'Paris', entity: { name: 'city', role: 'destination', group: null } });
    expect(latestCorrection(corrected)?.id).toBe('c1');
  });

  it('says when a correction removes every entity', () => {
    const base = turn();
    const view = turnView(
      turn({ corrections: [{ id: 'c2', sender_id: 's', event_index: 4, text: base.text, intent: null, entities: [], action: null, created_at: 1 }] }),
      0.5,
    );
    expect(view.corrections[0].lines).toEqual(['Entities: none']);
  });
});

describe('conversationView', () => {
  it('puts a session divider before the first turn of every later session only', () => {
    const views = conversationView(conversation, 0.5);
    expect(views.map((view) => view.sessionStart)).toEqual([false, false, false, true]);
    expect(views[0].text).toBeNull();
    expect(views[0].segments).toEqual([]);
  });

  it('puts no divider before the first user message when a session starts after the opening events', () => {
    const views = conversationView({ ...conversation, session_starts: [0, 2, 9] }, 0.5);
    expect(views.map((view) => view.sessionStart)).toEqual([false, false, false, true]);
  });
});
