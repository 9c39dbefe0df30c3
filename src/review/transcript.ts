/**
 * A conversation as review shows it: turns of one user message and what followed until the next
 * one (predicted intent and entities, actions with their policy, bot messages with the response
 * template, slots set). Pure data, no I/O.
 */
import type { Button, TrackerEvent, UserUtteredEvent } from '../shared/events.js';
import type { Entity, IntentPrediction } from '../shared/nlu.js';
import type { Correction } from './correction-store.js';

export interface TurnAction {
  name: string;
  policy: string | null;
  confidence: number | null;
  event_index: number;
}

export interface TurnBotMessage {
  text: string | null;
  /** The response (`utter_x`) the message came from, or null (custom actions, end-to-end texts). */
  template: string | null;
  buttons?: Button[];
  image?: string;
}

export interface Turn {
  /** Index of the turn's user event among all events, or of its first event when it has no user message. */
  event_index: number;
  timestamp: number;
  /** Null for what happened before the first user message. */
  text: string | null;
  intent: IntentPrediction | null;
  intent_ranking: IntentPrediction[];
  entities: Entity[];
  actions: TurnAction[];
  bot_messages: TurnBotMessage[];
  slots_set: Record<string, unknown>;
  corrections: Correction[];
}

export interface Transcript {
  sender_id: string;
  turns: Turn[];
  /** Event indexes of each `action_session_start`. */
  session_starts: number[];
}

/** Bookkeeping actions shown nowhere in review: they are not decisions a reviewer can judge. */
const HIDDEN_ACTIONS = new Set(['action_listen']);

function userTurn(event: UserUtteredEvent, index: number): Turn {
  const parse = event.parse_data;
  return {
    event_index: index,
    timestamp: event.timestamp,
    text: event.text ?? '',
    intent: parse?.intent ? { name: parse.intent.name ?? null, confidence: parse.intent.confidence ?? 0 } : null,
    intent_ranking: parse?.intent_ranking ?? [],
    entities: parse?.entities ?? [],
    actions: [],
    bot_messages: [],
    slots_set: {},
    corrections: [],
  };
}

function openingTurn(event: TrackerEvent, index: number): Turn {
  return {
    event_index: index,
    timestamp: event.timestamp,
    text: null,
    intent: null,
    intent_ranking: [],
    entities: [],
    actions: [],
    bot_messages: [],
    slots_set: {},
    corrections: [],
  };
}

function botMessage(event: Extract<TrackerEvent, { event: 'bot' }>): TurnBotMessage {
  const template = event.metadata?.utter_action;
  const message: TurnBotMessage = { text: event.text, template: typeof template === 'string' ? template : null };
  if (event.data?.buttons && event.data.buttons.length > 0) message.buttons = event.data.buttons;
  if (event.data?.image) message.image = event.data.image;
  return message;
}

/**
 * Splits `events` (all sessions, as stored) into turns and attaches each correction to the turn of
 * its user message.
 * @example buildTranscript('tester-1', events, db.corrections.forConversation('tester-1'))
 */
export function buildTranscript(senderId: string, events: readonly TrackerEvent[], corrections: readonly Correction[] = []): Transcript {
  const turns: Turn[] = [];
  const sessionStarts: number[] = [];
  let current: Turn | null = null;
  events.forEach((event, index) => {
    if (event.event === 'user') {
      current = userTurn(event, index);
      turns.push(current);
      return;
    }
    if (event.event === 'action' && event.name === 'action_session_start') sessionStarts.push(index);
    const isShown =
      (event.event === 'action' && event.name !== null && !HIDDEN_ACTIONS.has(event.name)) || event.event === 'bot' || event.event === 'slot';
    if (!isShown) return;
    if (!current) {
      current = openingTurn(event, index);
      turns.push(current);
    }
    const turn: Turn = current;
    if (event.event === 'action') {
      turn.actions.push({ name: event.name as string, policy: event.policy, confidence: event.confidence, event_index: index });
    } else if (event.event === 'bot') {
      turn.bot_messages.push(botMessage(event));
    } else if (event.event === 'slot') {
      turn.slots_set[event.name] = event.value;
    }
  });
  const byIndex = new Map(turns.map((turn) => [turn.event_index, turn]));
  for (const correction of corrections) byIndex.get(correction.event_index)?.corrections.push(correction);
  return { sender_id: senderId, turns, session_starts: sessionStarts };
}
