/**
 * Corrected conversations as Rasa 3.x training stories: one story per corrected session
 * (`review <sender_id> <session number>`), from the session's start to its last corrected turn,
 * with corrections applied:
 * - corrected entities (and an intent corrected together with the action) replace the prediction
 *   in the user step;
 * - a corrected action replaces what the bot did after that message;
 * - a message whose intent was corrected but not the action ends what a story can use: the bot's
 *   actions after it were chosen for the wrong intent, and a story cannot end at a user message
 *   (training reads that as "listen", which contradicts rules such as "bot_challenge →
 *   utter_iamabot"). Such a correction is NLU data only; the story stops before it, and later
 *   corrections of that session are reported as left out.
 */
import { Document, type Scalar } from 'yaml';
import type { TrackerEvent, UserUtteredEvent } from '../shared/events.js';
import { SESSION_STARTED_METADATA_SLOT } from '../shared/domain.js';
import type { Correction, CorrectedEntity } from './correction-store.js';
import { TRAINING_DATA_VERSION } from './nlu-export.js';

type Step = Record<string, unknown>;

/** Actions stories leave out: the runtime adds or runs them by itself. */
const IMPLICIT_ACTIONS = new Set(['action_listen', 'action_session_start', 'action_unlikely_intent', 'action_extract_slots']);

export interface StoryExportResult {
  yaml: string;
  /** Stories left out, each with the reason. */
  skipped: string[];
}

/** The intent the message was predicted as, or null. */
export function predictedIntent(event: UserUtteredEvent): string | null {
  return event.parse_data?.intent?.name ?? null;
}

function entityStep(entity: { entity: string; value: unknown; role?: string; group?: string }): Step {
  const step: Step = { [entity.entity]: entity.value };
  if (entity.role !== undefined) step.role = entity.role;
  if (entity.group !== undefined) step.group = entity.group;
  return step;
}

function userStep(event: UserUtteredEvent, correction: Correction | undefined): Step | null {
  const intent = correction?.intent ?? predictedIntent(event);
  if (!intent) return null;
  const entities: Array<CorrectedEntity | { entity: string; value: unknown; role?: string; group?: string }> =
    correction?.entities ?? (event.parse_data?.entities ?? []).map((entity) => ({
      entity: entity.entity,
      value: entity.value,
      ...(typeof entity.role === 'string' ? { role: entity.role } : {}),
      ...(typeof entity.group === 'string' ? { group: entity.group } : {}),
    }));
  const step: Step = { intent };
  if (entities.length > 0) step.entities = entities.map(entityStep);
  return step;
}

function nonUserStep(event: TrackerEvent): Step | null {
  switch (event.event) {
    case 'action':
      if (event.name && !IMPLICIT_ACTIONS.has(event.name)) return { action: event.name };
      if (!event.name && event.action_text) return { bot: event.action_text };
      return null;
    case 'slot':
      return event.name === SESSION_STARTED_METADATA_SLOT ? null : { slot_was_set: [{ [event.name]: event.value }] };
    case 'active_loop':
      return { active_loop: event.name };
    default:
      return null;
  }
}

/**
 * Start indexes of each session. A session start opens a new one only after a user message: what
 * comes before the first (the `session_started_metadata` slot) belongs to the first session.
 */
function sessionStarts(events: readonly TrackerEvent[]): number[] {
  const starts = [0];
  let userSeen = false;
  events.forEach((event, index) => {
    if (event.event === 'user') userSeen = true;
    if (userSeen && event.event === 'action' && event.name === 'action_session_start') {
      starts.push(index);
      userSeen = false;
    }
  });
  return starts;
}

/** A correction that changes the intent but says nothing about what the bot should have done. */
function correctsIntentOnly(correction: Correction, event: UserUtteredEvent): boolean {
  return correction.action === null && correction.intent !== null && correction.intent !== predictedIntent(event);
}

/** The steps of one session up to `last` (a corrected user event), or null when a message has no intent. */
function sessionSteps(events: readonly TrackerEvent[], from: number, last: number, corrections: ReadonlyMap<number, Correction>): Step[] | null {
  const steps: Step[] = [];
  /** The corrected action, written once the slots the message itself filled are written. */
  let pendingAction: string | null = null;
  /** After a corrected action, the bot's own actions of that turn are dropped. */
  let replacing = false;
  const flush = (): void => {
    if (pendingAction !== null) steps.push({ action: pendingAction });
    pendingAction = null;
  };
  for (let index = from; index < events.length; index += 1) {
    const event = events[index];
    if (event.event === 'user' || (index > from && event.event === 'action' && event.name === 'action_session_start')) {
      flush();
      if (index > last) break;
    }
    if (event.event === 'user') {
      replacing = false;
      const correction = corrections.get(index);
      const step = userStep(event, correction);
      if (!step) return null;
      steps.push(step);
      pendingAction = correction?.action ?? null;
      continue;
    }
    if (pendingAction !== null && event.event !== 'slot' && nonUserStep(event) !== null) {
      flush();
      replacing = true;
    }
    if (replacing) continue;
    const step = nonUserStep(event);
    if (step) steps.push(step);
  }
  flush();
  return steps;
}

/** Where one session's story ends, and the corrections it had to leave out. */
function storyEnd(events: readonly TrackerEvent[], corrected: readonly number[], corrections: ReadonlyMap<number, Correction>): { last: number | null; leftOut: number[] } {
  const stop = corrected.find((index) => correctsIntentOnly(corrections.get(index) as Correction, events[index] as UserUtteredEvent));
  const usable = stop === undefined ? corrected : corrected.filter((index) => index < stop);
  const leftOut = stop === undefined ? [] : corrected.filter((index) => index > stop && !correctsIntentOnly(corrections.get(index) as Correction, events[index] as UserUtteredEvent));
  return { last: usable.length > 0 ? usable[usable.length - 1] : null, leftOut };
}

/**
 * The stories file for the corrections of the given conversations (events of all sessions).
 * Corrections of conversations not in `conversations` are reported as skipped.
 */
export function buildStoriesYaml(corrections: readonly Correction[], conversations: ReadonlyMap<string, readonly TrackerEvent[]>): StoryExportResult {
  const skipped: string[] = [];
  const bySender = new Map<string, Map<number, Correction>>();
  for (const correction of corrections) {
    const map = bySender.get(correction.sender_id) ?? new Map<number, Correction>();
    map.set(correction.event_index, correction);
    bySender.set(correction.sender_id, map);
  }
  const stories: Array<{ story: string; steps: Step[] }> = [];
  for (const [senderId, byIndex] of bySender) {
    const events = conversations.get(senderId);
    if (!events) {
      skipped.push(`conversation '${senderId}': it is no longer in the tracker store`);
      continue;
    }
    const valid = new Map([...byIndex].filter(([index]) => events[index]?.event === 'user'));
    if (valid.size < byIndex.size) skipped.push(`conversation '${senderId}': some corrections name events that are not user messages`);
    const starts = sessionStarts(events);
    starts.forEach((from, session) => {
      const to = starts[session + 1] ?? events.length;
      const corrected = [...valid.keys()].filter((index) => index >= from && index < to).sort((a, b) => a - b);
      if (corrected.length === 0) return;
      const { last, leftOut } = storyEnd(events, corrected, valid);
      if (leftOut.length > 0) {
        skipped.push(
          `conversation '${senderId}', session ${session + 1}: the corrections of events ${leftOut.join(', ')} are not in the story ` +
            'because an earlier message had its intent corrected but not the action after it; correct that action too',
        );
      }
      if (last === null) return;
      const steps = sessionSteps(events, from, last, valid);
      if (!steps) {
        skipped.push(`conversation '${senderId}', session ${session + 1}: a message has no intent`);
        return;
      }
      stories.push({ story: `review ${senderId} ${session + 1}`, steps });
    });
  }
  const document = new Document({ version: TRAINING_DATA_VERSION, stories });
  (document.get('version', true) as Scalar).type = 'QUOTE_DOUBLE';
  return { yaml: document.toString({ lineWidth: 0, indentSeq: false }), skipped };
}
