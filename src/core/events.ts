/**
 * Tracker events: building them with timestamps, reading them from untrusted JSON (HTTP API,
 * action-server replies) and writing them back in Rasa's JSON shape.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ParleyError } from '../errors.js';
import {
  now,
  type ActionExecutedEvent,
  type ActionExecutionRejectedEvent,
  type ActiveLoopEvent,
  type BotMessageData,
  type BotUtteredEvent,
  type EntitiesAddedEvent,
  type EventMetadata,
  type EventType,
  type FollowupEvent,
  type LoopInterruptedEvent,
  type SimpleEvent,
  type SlotSetEvent,
  type Timestamp,
  type TrackerEvent,
  type UserFeaturizationEvent,
  type UserUtteredEvent,
} from '../shared/events.js';
import type { Entity, IntentPrediction, ParseResult } from '../shared/nlu.js';
import { assignOwn } from './plain-values.js';
import { jsonWithSortedKeys } from './python-values.js';

// ── construction ─────────────────────────────────────────────────────────────

export interface UserUtteredInit {
  text: string | null;
  /** NLU output; `intent`/`entities` default to `{}`/`[]` as in Rasa. */
  parseData?: Partial<ParseResult>;
  inputChannel?: string | null;
  messageId?: string | null;
  metadata?: EventMetadata;
  timestamp?: Timestamp;
}

/**
 * A `user` event. Its `parse_data` always carries `intent`, `entities`, `text`, `message_id` and
 * `metadata` (the message metadata, not the model ids added later), overlaid with the NLU output.
 */
export function userUttered(init: UserUtteredInit): UserUtteredEvent {
  const metadata = init.metadata ?? {};
  const messageId = init.messageId ?? null;
  const parseData = { intent: {}, entities: [], text: init.text, message_id: messageId, metadata } as unknown as Record<string, unknown>;
  // The NLU output overlays the defaults, except where it is undefined.
  const given = (init.parseData ?? {}) as Record<string, unknown>;
  assignOwn(parseData, given, true);
  parseData.intent = given.intent ?? ({} as IntentPrediction);
  parseData.entities = [...((given.entities as ParseResult['entities'] | undefined) ?? [])];
  return {
    event: 'user',
    timestamp: init.timestamp ?? now(),
    metadata,
    text: init.text,
    parse_data: parseData as unknown as ParseResult,
    input_channel: init.inputChannel ?? null,
    message_id: messageId,
  };
}

export const EMPTY_BOT_DATA: Readonly<BotMessageData> = Object.freeze({
  elements: null,
  quick_replies: null,
  buttons: null,
  attachment: null,
  image: null,
  custom: null,
});

export function botUttered(
  text: string | null,
  data: Partial<BotMessageData> = {},
  metadata: EventMetadata = {},
): BotUtteredEvent {
  return { event: 'bot', timestamp: now(), metadata, text, data: { ...EMPTY_BOT_DATA, ...data } };
}

export interface ActionExecutedInit {
  policy?: string | null;
  confidence?: number | null;
  actionText?: string | null;
  hideRuleTurn?: boolean;
  metadata?: EventMetadata;
  timestamp?: Timestamp;
}

export function actionExecuted(name: string | null, init: ActionExecutedInit = {}): ActionExecutedEvent {
  const event: ActionExecutedEvent = {
    event: 'action',
    timestamp: init.timestamp ?? now(),
    name,
    policy: init.policy ?? null,
    confidence: init.confidence ?? null,
    action_text: init.actionText ?? null,
    hide_rule_turn: init.hideRuleTurn ?? false,
  };
  if (init.metadata && Object.keys(init.metadata).length > 0) event.metadata = init.metadata;
  return event;
}

export function slotSet(name: string, value: unknown, metadata?: EventMetadata): SlotSetEvent {
  const event: SlotSetEvent = { event: 'slot', timestamp: now(), name, value };
  if (metadata && Object.keys(metadata).length > 0) event.metadata = metadata;
  return event;
}

export function activeLoop(name: string | null): ActiveLoopEvent {
  return { event: 'active_loop', timestamp: now(), name };
}

export function followup(name: string): FollowupEvent {
  return { event: 'followup', timestamp: now(), name };
}

export function loopInterrupted(isInterrupted: boolean): LoopInterruptedEvent {
  return { event: 'loop_interrupted', timestamp: now(), is_interrupted: isInterrupted };
}

export function actionExecutionRejected(
  name: string,
  policy: string | null = null,
  confidence: number | null = null,
): ActionExecutionRejectedEvent {
  return { event: 'action_execution_rejected', timestamp: now(), name, policy, confidence };
}

export function userFeaturization(useText: boolean): UserFeaturizationEvent {
  return { event: 'user_featurization', timestamp: now(), use_text_for_featurization: useText };
}

export function entitiesAdded(entities: Entity[]): EntitiesAddedEvent {
  return { event: 'entities', timestamp: now(), entities };
}

/** Events without parameters: `restart`, `session_started`, `rewind`, `undo`, `pause`, … */
export function simpleEvent(type: SimpleEvent['event']): SimpleEvent {
  return { event: type, timestamp: now() };
}

/** A copy of `event` stamped with `timestamp` (default: now). */
export function restamped<E extends TrackerEvent>(event: E, timestamp: Timestamp = now()): E {
  return { ...event, timestamp };
}

// ── serialization ────────────────────────────────────────────────────────────

/** Rasa's `Event.as_dict()`: `event`, `timestamp`, `metadata` (when non-empty; always for user/bot), fields. */
export function serializeEvent(event: TrackerEvent): Record<string, unknown> {
  const { event: type, timestamp, metadata, ...fields } = event;
  const json: Record<string, unknown> = { event: type, timestamp };
  if (type === 'user' || type === 'bot') json.metadata = metadata ?? {};
  else if (metadata && Object.keys(metadata).length > 0) json.metadata = metadata;
  return Object.assign(json, fields);
}

/** Equality as Rasa uses it for de-duplication: timestamps and metadata are ignored. */
export function sameEvent(left: TrackerEvent, right: TrackerEvent): boolean {
  const strip = (event: TrackerEvent): string => {
    const { timestamp: _timestamp, metadata: _metadata, ...rest } = event;
    return jsonWithSortedKeys(rest);
  };
  return strip(left) === strip(right);
}

// ── parsing untrusted JSON ───────────────────────────────────────────────────

const nullableString = z.string().nullable().optional();
const nullableNumber = z.number().nullable().optional();

const entitySchema = z
  .object({
    entity: z.string(),
    value: z.unknown().refine((value) => value !== undefined, { message: 'Required' }),
    start: z.number().int().optional(),
    end: z.number().int().optional(),
    confidence: z.number().optional(),
    extractor: nullableString,
    role: nullableString,
    group: nullableString,
  })
  .passthrough();

const intentSchema = z.object({ name: nullableString, confidence: z.number().optional() }).passthrough();

const fieldSchemas: Partial<Record<string, z.ZodTypeAny>> = {
  user: z
    .object({
      text: nullableString,
      input_channel: nullableString,
      message_id: nullableString,
      parse_data: z
        .object({
          text: nullableString,
          intent: intentSchema.optional(),
          intent_ranking: z.array(intentSchema).optional(),
          entities: z.array(entitySchema).optional(),
        })
        .passthrough()
        .optional(),
    })
    .passthrough(),
  bot: z.object({ text: nullableString, data: z.record(z.unknown()).nullable().optional() }).passthrough(),
  action: z
    .object({
      name: nullableString,
      policy: nullableString,
      confidence: nullableNumber,
      hide_rule_turn: z.boolean().optional(),
      action_text: nullableString,
    })
    .passthrough(),
  slot: z
    .object({
      name: z.string(),
      value: z.unknown().refine((value) => value !== undefined, { message: 'Required' }),
    })
    .passthrough(),
  entities: z.object({ entities: z.array(entitySchema) }).passthrough(),
  user_featurization: z.object({ use_text_for_featurization: z.boolean().optional() }).passthrough(),
  action_execution_rejected: z
    .object({ name: z.string(), policy: nullableString, confidence: nullableNumber })
    .passthrough(),
  loop_interrupted: z.object({ is_interrupted: z.boolean().optional() }).passthrough(),
  form_validation: z.object({ validate: z.boolean().optional() }).passthrough(),
  active_loop: z.object({ name: nullableString }).passthrough(),
  form: z.object({ name: nullableString }).passthrough(),
  followup: z.object({ name: z.string() }).passthrough(),
  reminder: z
    .object({
      intent: z.string(),
      date_time: z.string(),
      name: nullableString,
      kill_on_user_msg: z.boolean().optional(),
    })
    .passthrough(),
  cancel_reminder: z.object({ name: nullableString, intent: nullableString }).passthrough(),
  agent: z.object({ text: nullableString }).passthrough(),
};

const SIMPLE_TYPES = new Set<string>([
  'reset_slots',
  'restart',
  'session_started',
  'rewind',
  'undo',
  'pause',
  'resume',
  'export',
]);

const KNOWN_TYPES = new Set<string>([...Object.keys(fieldSchemas), ...SIMPLE_TYPES]);

const baseSchema = z
  .object({
    event: z.string(),
    timestamp: z.number().nullable().optional(),
    metadata: z.record(z.unknown()).nullable().optional(),
  })
  .passthrough();

type Json = Record<string, unknown>;

/**
 * Reads one event from untrusted JSON. Returns null for the legacy `topic` event (ignored, as in
 * Rasa); throws `PARLEY_ERR_EVENT_INVALID` naming the offending field otherwise.
 * @param where how the error message names this event, e.g. `events[2]`.
 */
export function parseEvent(input: unknown, where = 'event'): TrackerEvent | null {
  const base = baseSchema.safeParse(input);
  if (!base.success) throw invalidEvent(where, base.error);
  const json = base.data as Json;
  const type = json.event as string;
  if (type === 'topic') return null;
  if (!KNOWN_TYPES.has(type)) {
    throw new ParleyError('PARLEY_ERR_EVENT_INVALID', `Unknown event name '${type}' at ${where}.`, {
      details: { parameter: where, in: 'body' },
    });
  }
  const schema = fieldSchemas[type];
  if (schema) {
    const fields = schema.safeParse(json);
    if (!fields.success) throw invalidEvent(`${where} ('${type}')`, fields.error);
  }
  return buildEvent(type, json);
}

/** Reads a list of events (topics dropped); errors name `events[i]`. */
export function parseEvents(input: unknown, where = 'events'): TrackerEvent[] {
  if (!Array.isArray(input)) {
    throw new ParleyError('PARLEY_ERR_EVENT_INVALID', `${where} must be a list of event objects.`);
  }
  const events: TrackerEvent[] = [];
  input.forEach((item, index) => {
    const event = parseEvent(item, `${where}[${index}]`);
    if (event) events.push(event);
  });
  return events;
}

function invalidEvent(where: string, error: z.ZodError): ParleyError {
  const problems = error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(event)';
    return `'${field}': ${issue.message}`;
  });
  return new ParleyError('PARLEY_ERR_EVENT_INVALID', `Invalid ${where}: ${problems.join('; ')}.`, {
    details: { parameter: where, in: 'body' },
  });
}

function buildEvent(type: string, json: Json): TrackerEvent {
  const timestamp = typeof json.timestamp === 'number' ? json.timestamp : now();
  const metadata = (json.metadata ?? undefined) as EventMetadata | undefined;
  const withBase = <E extends TrackerEvent>(event: E): E => {
    if (metadata && Object.keys(metadata).length > 0) event.metadata = metadata;
    return event;
  };
  switch (type) {
    case 'user': {
      const parseData = (json.parse_data ?? {}) as Partial<ParseResult>;
      return userUttered({
        text: (json.text ?? null) as string | null,
        parseData,
        inputChannel: (json.input_channel ?? null) as string | null,
        messageId: (json.message_id ?? null) as string | null,
        metadata: metadata ?? {},
        timestamp,
      });
    }
    case 'bot':
      return {
        event: 'bot',
        timestamp,
        metadata: metadata ?? {},
        text: (json.text ?? null) as string | null,
        data: { ...EMPTY_BOT_DATA, ...((json.data ?? {}) as Partial<BotMessageData>) },
      };
    case 'action':
      return actionExecuted((json.name ?? null) as string | null, {
        policy: json.policy as string | null | undefined,
        confidence: json.confidence as number | null | undefined,
        actionText: json.action_text as string | null | undefined,
        hideRuleTurn: json.hide_rule_turn as boolean | undefined,
        metadata,
        timestamp,
      });
    case 'slot':
      return withBase({ event: 'slot', timestamp, name: json.name as string, value: json.value });
    case 'form':
    case 'active_loop':
      return withBase({ event: 'active_loop', timestamp, name: (json.name ?? null) as string | null });
    case 'form_validation':
      return withBase({ event: 'loop_interrupted', timestamp, is_interrupted: !json.validate });
    case 'loop_interrupted':
      return withBase({ event: 'loop_interrupted', timestamp, is_interrupted: Boolean(json.is_interrupted) });
    case 'followup':
      return withBase({ event: 'followup', timestamp, name: json.name as string });
    case 'entities':
      return withBase({ event: 'entities', timestamp, entities: json.entities as Entity[] });
    case 'user_featurization':
      return withBase({
        event: 'user_featurization',
        timestamp,
        use_text_for_featurization: Boolean(json.use_text_for_featurization),
      });
    case 'action_execution_rejected':
      return withBase({
        event: 'action_execution_rejected',
        timestamp,
        name: json.name as string,
        policy: (json.policy ?? null) as string | null,
        confidence: (json.confidence ?? null) as number | null,
      });
    case 'reminder':
      return withBase({
        event: 'reminder',
        timestamp,
        intent: json.intent as string,
        date_time: json.date_time as string,
        entities: json.entities ?? null,
        name: (json.name ?? randomUUID()) as string,
        kill_on_user_msg: json.kill_on_user_msg === undefined ? true : Boolean(json.kill_on_user_msg),
      });
    case 'cancel_reminder':
      return withBase({
        event: 'cancel_reminder',
        timestamp,
        name: (json.name ?? null) as string | null,
        intent: (json.intent ?? null) as string | null,
        entities: json.entities ?? null,
      });
    case 'agent':
      return withBase({ event: 'agent', timestamp, text: (json.text ?? null) as string | null, data: json.data ?? null });
    default:
      return withBase({ event: type as SimpleEvent['event'], timestamp });
  }
}

/** Every event type name Parley reads (legacy `form`/`form_validation`/`topic` aside). */
export function isKnownEventType(type: string): type is EventType {
  return KNOWN_TYPES.has(type) && type !== 'form' && type !== 'form_validation';
}
