/**
 * The state of one turn's correction form and the request it saves. The form starts from the
 * newest saved correction, else from the prediction; entities are added from a text selection.
 * Pure functions returning new drafts: the element only renders the draft.
 */
import { overlapping, trimSpan, wordSpans, type WordSpan } from './entity-spans.js';
import { latestCorrection } from './turn-view.js';
import type { CorrectionRequest, EntityAnnotation, Turn } from './types.js';

export interface CorrectionDraft {
  eventIndex: number;
  text: string;
  intent: string;
  entities: EntityAnnotation[];
  /** The predicted entities as annotations: entities equal to these are not sent (null keeps the prediction). */
  predicted: EntityAnnotation[];
  /** The corrected next action; '' keeps what the bot did. */
  action: string;
  /** The message's words, which the reviewer picks to mark an entity. */
  words: WordSpan[];
  /** Indexes of the picked words (sorted); the entity runs from the first to the last. */
  picked: number[];
  /** The word that has the keyboard focus within the word list. */
  cursor: number;
  /** The entity type and role to give the next selected span. */
  newEntity: string;
  newRole: string;
  /** A problem to show next to the form (invalid span, failed save). */
  problem: string | null;
  saving: boolean;
}

/** Only what an annotation needs: predicted entities carry extractor, confidence and more. */
function annotation(text: string, entity: { start?: number; end?: number; entity: string; value?: unknown; role?: string; group?: string }): EntityAnnotation | null {
  if (typeof entity.start !== 'number' || typeof entity.end !== 'number') return null;
  if (entity.start < 0 || entity.end > text.length || entity.start >= entity.end) return null;
  const result: EntityAnnotation = { start: entity.start, end: entity.end, entity: entity.entity };
  // A value that differs from the text (a synonym) is kept; otherwise the text says it.
  if (typeof entity.value === 'string' && entity.value !== text.slice(entity.start, entity.end)) result.value = entity.value;
  if (entity.role) result.role = entity.role;
  if (entity.group) result.group = entity.group;
  return result;
}

/** A draft for a user turn (null for the turn before the first user message). */
export function startDraft(turn: Turn, firstEntity = ''): CorrectionDraft | null {
  if (turn.text === null) return null;
  const text = turn.text;
  const latest = latestCorrection(turn);
  const toAnnotations = (list: Turn['entities'] | EntityAnnotation[]): EntityAnnotation[] =>
    list.map((entity) => annotation(text, entity)).filter((entity): entity is EntityAnnotation => entity !== null);
  const predicted = toAnnotations(turn.entities);
  return {
    eventIndex: turn.event_index,
    text,
    intent: latest?.intent ?? turn.intent?.name ?? '',
    entities: latest?.entities ? toAnnotations(latest.entities) : predicted,
    predicted,
    words: wordSpans(text),
    picked: [],
    cursor: 0,
    action: latest?.action ?? '',
    newEntity: firstEntity,
    newRole: '',
    problem: null,
    saving: false,
  };
}

/** Marks [start, end) of the text as `draft.newEntity` (with `draft.newRole`), or says why not. */
export function addEntity(draft: CorrectionDraft, start: number, end: number): CorrectionDraft {
  if (draft.newEntity === '') return { ...draft, problem: 'Choose an entity type first.' };
  const span = trimSpan(draft.text, start, end);
  if (span === null) return { ...draft, problem: 'Select the words of the entity in the message first.' };
  const clash = overlapping(draft.entities, span.start, span.end);
  if (clash) {
    const clashText = draft.text.slice(clash.start, clash.end);
    return { ...draft, problem: `“${clashText}” is already marked as ${clash.entity}; remove it first.` };
  }
  const entity: EntityAnnotation = { start: span.start, end: span.end, entity: draft.newEntity };
  if (draft.newRole !== '') entity.role = draft.newRole;
  const entities = [...draft.entities, entity].sort((a, b) => a.start - b.start);
  return { ...draft, entities, problem: null };
}

/** Picks or unpicks one word. */
export function togglePick(draft: CorrectionDraft, index: number): CorrectionDraft {
  if (index < 0 || index >= draft.words.length) return draft;
  const picked = draft.picked.includes(index) ? draft.picked.filter((at) => at !== index) : [...draft.picked, index].sort((a, b) => a - b);
  return { ...draft, picked, cursor: index, problem: null };
}

/** Moves the keyboard cursor to word `index`; `extend` also picks it (Shift+arrow). */
export function moveCursor(draft: CorrectionDraft, index: number, extend: boolean): CorrectionDraft {
  const cursor = Math.max(0, Math.min(draft.words.length - 1, index));
  if (!extend) return { ...draft, cursor };
  const picked = draft.picked.includes(cursor) ? draft.picked : [...draft.picked, draft.cursor, cursor].filter((at, i, all) => all.indexOf(at) === i).sort((a, b) => a - b);
  return { ...draft, cursor, picked, problem: null };
}

/** Marks the picked words (first to last) as `draft.newEntity`, then clears the pick. */
export function markPicked(draft: CorrectionDraft): CorrectionDraft {
  if (draft.picked.length === 0) return { ...draft, problem: 'Pick the words of the entity first.' };
  const start = draft.words[draft.picked[0]].start;
  const end = draft.words[draft.picked[draft.picked.length - 1]].end;
  const next = addEntity(draft, start, end);
  return next.problem === null ? { ...next, picked: [] } : next;
}

export function removeEntity(draft: CorrectionDraft, index: number): CorrectionDraft {
  return { ...draft, entities: draft.entities.filter((_, at) => at !== index), problem: null };
}

const annotationKey = (entities: readonly EntityAnnotation[]): string =>
  JSON.stringify(entities.map((entity) => [entity.start, entity.end, entity.entity, entity.value ?? null, entity.role ?? null, entity.group ?? null]));

/**
 * The request that saves the draft: the intent always (a confirmed example is training data too),
 * the entities when they differ from the prediction, the next action when the reviewer picked one.
 */
export function draftRequest(senderId: string, draft: CorrectionDraft): CorrectionRequest {
  const request: CorrectionRequest = { sender_id: senderId, event_index: draft.eventIndex };
  if (draft.intent !== '') request.intent = draft.intent;
  if (annotationKey(draft.entities) !== annotationKey(draft.predicted)) request.entities = draft.entities;
  if (draft.action !== '') request.action = draft.action;
  return request;
}
