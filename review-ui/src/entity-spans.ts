/**
 * Splits a message into plain and entity parts for highlighting, and checks entity spans a
 * reviewer marks. Offsets are UTF-16 code units, as the browser's selection and Rasa's NLU use.
 */
import type { EntityAnnotation, PredictedEntity } from './types.js';

export interface TextSegment {
  text: string;
  /** The entity covering this part, if any. */
  entity: { name: string; role: string | null; group: string | null } | null;
}

interface Span {
  start: number;
  end: number;
  entity: string;
  role?: string;
  group?: string;
}

function hasSpan(entity: PredictedEntity | EntityAnnotation): entity is Span & (PredictedEntity | EntityAnnotation) {
  return typeof entity.start === 'number' && typeof entity.end === 'number';
}

/** Plain and entity segments in text order; overlapping or out-of-range spans are skipped. */
export function segmentText(text: string, entities: ReadonlyArray<PredictedEntity | EntityAnnotation>): TextSegment[] {
  const spans = entities
    .filter(hasSpan)
    .filter((span) => span.start >= 0 && span.end <= text.length && span.start < span.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: TextSegment[] = [];
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor) continue;
    if (span.start > cursor) segments.push({ text: text.slice(cursor, span.start), entity: null });
    segments.push({
      text: text.slice(span.start, span.end),
      entity: { name: span.entity, role: span.role ?? null, group: span.group ?? null },
    });
    cursor = span.end;
  }
  if (cursor < text.length || segments.length === 0) segments.push({ text: text.slice(cursor), entity: null });
  return segments;
}

/** The selection with surrounding white space left out; null when nothing but space is selected. */
export function trimSpan(text: string, start: number, end: number): { start: number; end: number } | null {
  let from = Math.max(0, Math.min(start, end));
  let to = Math.min(text.length, Math.max(start, end));
  while (from < to && /\s/.test(text[from])) from += 1;
  while (to > from && /\s/.test(text[to - 1])) to -= 1;
  return from < to ? { start: from, end: to } : null;
}

/** The annotation whose span overlaps [start, end), if any. */
export function overlapping(entities: readonly EntityAnnotation[], start: number, end: number): EntityAnnotation | undefined {
  return entities.find((entity) => entity.start < end && start < entity.end);
}

export interface WordSpan {
  start: number;
  end: number;
  text: string;
}

/** Words (letters, digits and inner ' - _) and single punctuation marks, with their offsets: what a reviewer picks to mark an entity. */
export function wordSpans(text: string): WordSpan[] {
  const words: WordSpan[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}\p{M}_]+(?:['’\-.][\p{L}\p{N}\p{M}_]+)*|[^\s\p{L}\p{N}\p{M}_]/gu)) {
    const start = match.index ?? 0;
    words.push({ start, end: start + match[0].length, text: match[0] });
  }
  return words;
}
