import { describe, expect, it } from 'vitest';
import { FeatureVocabulary, HistoryFeaturizer, historyTokens } from '../../../src/core/policies/state-features.js';
import { StateBuilder, type DialogueState } from '../../../src/core/policies/states.js';
import { DialogueStateTracker } from '../../../src/core/tracker.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import { buildDomain } from './helpers/fixture-bot.js';
import { action, userEvent } from './helpers/conversation.js';

const MAX_HISTORY = 3;

const HISTORIES: DialogueState[][] = [
  [],
  [{}],
  [{}, { prev_action: { action_name: 'action_listen' }, user: { intent: 'greet' } }],
  [
    {},
    { prev_action: { action_name: 'action_listen' }, user: { text: 'very very good' } },
    { prev_action: { action_text: 'Hi!' }, slots: { level: [0.25], vip: [1, 0] }, active_loop: { name: 'trip_form' } },
    { prev_action: { action_name: 'action_listen' }, user: { intent: 'inform', entities: ['city'] }, slots: { level: [0.75] } },
  ],
];

/** A vocabulary grown from the histories, minus every third token (unknown at prediction). */
function vocabularyFor(histories: DialogueState[][]): FeatureVocabulary {
  const grown = new FeatureVocabulary();
  for (const states of histories) grown.row(historyTokens(states, MAX_HISTORY), true);
  return new FeatureVocabulary(grown.tokens().filter((_, index) => index % 3 !== 2));
}

describe('HistoryFeaturizer', () => {
  it('gives exactly the row of the uncached featurisation, for known and unknown features', () => {
    const vocabulary = vocabularyFor(HISTORIES);
    const featurizer = new HistoryFeaturizer(vocabulary, MAX_HISTORY);
    for (const states of HISTORIES) {
      const expected = vocabulary.row(historyTokens(states, MAX_HISTORY));
      expect(featurizer.row(states)).toEqual(expected);
      // Twice: the second row comes from what the first remembered, and scratch sums are reset.
      expect(featurizer.row(states)).toEqual(expected);
    }
  });

  it('featurises a live conversation\'s states the same way when they move back in the window', () => {
    const domain = buildDomain({
      intents: ['greet', 'bye'],
      slots: { vip: { type: 'bool', initial_value: false, mappings: [{ type: 'custom' }] } },
      responses: { utter_hi: [{ text: 'hi' }] },
    });
    const builder = new StateBuilder(domain);
    const tracker = new DialogueStateTracker('window', domain.slots);
    const turns: TrackerEvent[][] = [
      [action('action_listen'), userEvent('greet')],
      [action('utter_hi'), action('action_listen'), userEvent('bye', { text: 'bye now' })],
      [action('utter_hi'), { event: 'slot', timestamp: 1, name: 'vip', value: true }, action('action_listen'), userEvent('greet')],
    ];
    const seen: DialogueState[][] = [];
    for (const turn of turns) {
      for (const event of turn) tracker.update(event);
      seen.push(builder.buildFor(tracker, { tail: MAX_HISTORY, lastUserInput: 'intent' }).states);
    }
    const vocabulary = vocabularyFor(seen);
    const featurizer = new HistoryFeaturizer(vocabulary, MAX_HISTORY);
    for (const states of seen) expect(featurizer.row(states)).toEqual(vocabulary.row(historyTokens(states, MAX_HISTORY)));
  });
});
