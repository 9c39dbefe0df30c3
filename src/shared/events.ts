/** Tracker events: the one discriminated union, in Rasa's exact JSON shape (field names included). */
import type { ParseResult, Entity } from './nlu.js';

/** Seconds since the epoch, as a float (Rasa's `timestamp`). */
export type Timestamp = number;

export type EventMetadata = Record<string, unknown>;

interface EventBase {
  timestamp: Timestamp;
  metadata?: EventMetadata;
}

export interface UserUtteredEvent extends EventBase {
  event: 'user';
  text: string | null;
  parse_data: ParseResult;
  input_channel: string | null;
  message_id: string | null;
}

/** What a bot message carries beside its text (Rasa's `BotUttered.data`). */
export interface BotMessageData {
  elements: unknown[] | null;
  quick_replies: Button[] | null;
  buttons: Button[] | null;
  attachment: unknown;
  image: string | null;
  custom: Record<string, unknown> | null;
}

export interface BotUtteredEvent extends EventBase {
  event: 'bot';
  text: string | null;
  data: BotMessageData;
}

export interface ActionExecutedEvent extends EventBase {
  event: 'action';
  name: string | null;
  policy: string | null;
  confidence: number | null;
  action_text: string | null;
  hide_rule_turn: boolean;
}

export interface SlotSetEvent extends EventBase {
  event: 'slot';
  name: string;
  value: unknown;
}

export interface ActiveLoopEvent extends EventBase {
  event: 'active_loop';
  name: string | null;
}

export interface FollowupEvent extends EventBase {
  event: 'followup';
  name: string;
}

export interface ReminderEvent extends EventBase {
  event: 'reminder';
  intent: string;
  date_time: string;
  entities: unknown;
  name: string;
  kill_on_user_msg: boolean;
}

export interface CancelReminderEvent extends EventBase {
  event: 'cancel_reminder';
  name?: string | null;
  intent?: string | null;
  entities?: unknown;
}

export interface AgentUtteredEvent extends EventBase {
  event: 'agent';
  text: string | null;
  data: unknown;
}

export interface UserFeaturizationEvent extends EventBase {
  event: 'user_featurization';
  use_text_for_featurization: boolean;
}

export interface ActionExecutionRejectedEvent extends EventBase {
  event: 'action_execution_rejected';
  name: string;
  policy: string | null;
  confidence: number | null;
}

export interface LoopInterruptedEvent extends EventBase {
  event: 'loop_interrupted';
  is_interrupted: boolean;
}

export interface EntitiesAddedEvent extends EventBase {
  event: 'entities';
  entities: Entity[];
}

export interface SimpleEvent extends EventBase {
  event:
    | 'reset_slots'
    | 'restart'
    | 'session_started'
    | 'rewind'
    | 'undo'
    | 'pause'
    | 'resume'
    | 'export';
}

export type TrackerEvent =
  | UserUtteredEvent
  | BotUtteredEvent
  | ActionExecutedEvent
  | SlotSetEvent
  | ActiveLoopEvent
  | FollowupEvent
  | ReminderEvent
  | CancelReminderEvent
  | AgentUtteredEvent
  | UserFeaturizationEvent
  | ActionExecutionRejectedEvent
  | LoopInterruptedEvent
  | EntitiesAddedEvent
  | SimpleEvent;

export type EventType = TrackerEvent['event'];

/** A button as written in domain responses and sent to channels (extra keys are kept). */
export interface Button {
  title: string;
  payload?: string;
  [key: string]: unknown;
}

/** Current time in Rasa's timestamp unit. */
export function now(): Timestamp {
  return Date.now() / 1000;
}
