/** A moodbot conversation as `GET /review/api/conversations/{id}` returns it, for view-model tests. */
import type { ConversationDetail, Turn } from '../../review-ui/src/types.js';

export function turn(overrides: Partial<Turn> = {}): Turn {
  return {
    event_index: 4,
    timestamp: 1_700_000_000,
    text: 'I am feeling so-so',
    intent: { name: 'mood_great', confidence: 0.41 },
    intent_ranking: [
      { name: 'mood_great', confidence: 0.41 },
      { name: 'mood_unhappy', confidence: 0.38 },
      { name: 'greet', confidence: 0.21 },
    ],
    entities: [],
    actions: [{ name: 'utter_happy', policy: 'policy_1_RulePolicy', confidence: 1, event_index: 6 }],
    bot_messages: [{ text: 'Great, carry on!', template: 'utter_happy' }],
    slots_set: {},
    corrections: [],
    ...overrides,
  };
}

export const conversation: ConversationDetail = {
  sender_id: 'tester-1',
  session_starts: [0, 9],
  turns: [
    turn({
      event_index: 0,
      text: null,
      intent: null,
      intent_ranking: [],
      actions: [{ name: 'action_session_start', policy: null, confidence: null, event_index: 0 }],
      bot_messages: [],
    }),
    turn({
      event_index: 3,
      text: 'hello there',
      intent: { name: 'greet', confidence: 0.97 },
      intent_ranking: [{ name: 'greet', confidence: 0.97 }],
      actions: [{ name: 'utter_greet', policy: 'policy_0_MemoizationPolicy', confidence: 1, event_index: 5 }],
      bot_messages: [{ text: 'Hey! How are you?', template: 'utter_greet' }],
    }),
    turn({ event_index: 7 }),
    turn({
      event_index: 11,
      text: 'book a flight to Berlin',
      intent: { name: 'nlu_fallback', confidence: 0.3 },
      entities: [{ entity: 'city', value: 'Berlin', start: 17, end: 23, extractor: 'CRFEntityExtractor', confidence_entity: 0.88 }],
      actions: [{ name: 'action_default_fallback', policy: 'policy_2_RulePolicy', confidence: 1, event_index: 12 }],
      bot_messages: [{ text: 'Sorry, I did not get that.', template: 'utter_default' }],
      slots_set: { city: 'Berlin' },
    }),
  ],
};
