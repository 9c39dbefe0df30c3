/**
 * A conversation as a YAML test story (`GET /conversations/{id}/story`): one story per session,
 * user turns with inline entity annotations, actions, slots and loops; the bookkeeping actions
 * `action_listen`, `action_session_start` and `action_unlikely_intent` are left out.
 */
import { Document, Scalar } from 'yaml';
import type { TrackerEvent, UserUtteredEvent } from '../shared/events.js';
import type { Entity } from '../shared/nlu.js';

const HIDDEN_ACTIONS = new Set(['action_listen', 'action_session_start', 'action_unlikely_intent']);

/** The story format version Rasa 3.6 writes. */
export const STORY_FORMAT_VERSION = '3.1';

type Step = Record<string, unknown>;

/** `[thai]{"entity": "cuisine"}` annotations in the user text, as Rasa's `format_message` writes them. */
export function annotatedText(text: string, entities: readonly Entity[]): string {
  const located = entities
    .filter((entity) => typeof entity.start === 'number' && typeof entity.end === 'number')
    .sort((a, b) => (a.start as number) - (b.start as number));
  let result = '';
  let position = 0;
  for (const entity of located) {
    const start = entity.start as number;
    const end = entity.end as number;
    if (start < position || end > text.length) continue;
    const covered = text.slice(start, end);
    const annotation: Record<string, unknown> = { entity: entity.entity };
    if (entity.role) annotation.role = entity.role;
    if (entity.group) annotation.group = entity.group;
    if (entity.value !== undefined && String(entity.value) !== covered) annotation.value = entity.value;
    result += `${text.slice(position, start)}[${covered}]${pythonStyleJson(annotation)}`;
    position = end;
  }
  return result + text.slice(position);
}

/** `json.dumps` with Python's default separators (`", "` and `": "`). */
function pythonStyleJson(value: Record<string, unknown>): string {
  return `{${Object.entries(value)
    .map(([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`)
    .join(', ')}}`;
}

function userStep(event: UserUtteredEvent): Step {
  const step: Step = {};
  const intent = (event.parse_data?.intent as { name?: string | null } | undefined)?.name ?? null;
  const entities = (event.parse_data?.entities ?? []) as Entity[];
  const text = event.text;
  if (text && !text.startsWith('/')) {
    const scalar = new Scalar(annotatedText(text, entities));
    scalar.type = 'BLOCK_LITERAL';
    step.user = scalar;
  }
  if (intent) step.intent = intent;
  if ((!text || text.startsWith('/')) && entities.length > 0) {
    step.entities = entities.map((entity) => ({ [entity.entity]: entity.value }));
  }
  return step;
}

function stepOf(event: TrackerEvent): Step | null {
  switch (event.event) {
    case 'user':
      return userStep(event);
    case 'action':
      if (event.name && !HIDDEN_ACTIONS.has(event.name)) return { action: event.name };
      if (!event.name && event.action_text) return { bot: event.action_text };
      return null;
    case 'slot':
      return { slot_was_set: [{ [event.name]: event.value }] };
    case 'active_loop':
      return { active_loop: event.name };
    default:
      return null;
  }
}

/** Splits at each `action_session_start`; sessions without any step are dropped. */
function sessions(events: readonly TrackerEvent[]): TrackerEvent[][] {
  const result: TrackerEvent[][] = [[]];
  for (const event of events) {
    if (event.event === 'action' && event.name === 'action_session_start' && result[result.length - 1].length > 0) result.push([]);
    result[result.length - 1].push(event);
  }
  return result;
}

/**
 * The YAML document for the given events (already cut to the wanted sessions and `until`).
 * Several sessions become `<id>, story 1`, `<id>, story 2`…
 */
export function exportStory(conversationId: string, events: readonly TrackerEvent[]): string {
  const stories = sessions(events)
    .map((session) => session.map(stepOf).filter((step): step is Step => step !== null))
    .filter((steps) => steps.length > 0);
  const named = stories.map((steps, index) => ({
    story: stories.length > 1 ? `${conversationId}, story ${index + 1}` : conversationId,
    steps,
  }));
  const document = new Document({ version: STORY_FORMAT_VERSION, stories: named });
  const version = document.get('version', true) as Scalar;
  version.type = 'QUOTE_DOUBLE';
  return document.toString({ lineWidth: 0, indentSeq: false });
}
