/**
 * Inline entity annotations of NLU examples and story `user:` texts:
 * `[text](entity)`, `[text](entity:value)`, `[text]{"entity": "e", "role": "r"}` and
 * `[text][{"entity": "a"}, {"entity": "b"}]`.
 */
import { ParleyError } from '../errors.js';
import type { TrainingEntity } from '../shared/nlu.js';

// Groups: 1 annotated text, 2 entity, 3 synonym value, 4 one JSON object body, 5 JSON list body.
const ANNOTATION = /\[([^\]]+?)\](?:\(([^:)]+?)(?::([^)]+))?\)|\{([^}]+?)\}|\[(.*?)\])/g;
const JSON_OBJECT = /\{([^}]+?)\}/g;

export interface AnnotatedText {
  /** The text with every annotation replaced by its bracketed words. */
  text: string;
  /** Entities with `start`/`end` offsets into `text` (JavaScript string indexes). */
  entities: TrainingEntity[];
}

/**
 * Splits an annotated example into plain text and entities.
 *
 * @throws ParleyError `PARLEY_ERR_TRAINING_DATA_INVALID` when a `{...}` annotation is not a JSON
 *   object with a text `entity` (and optional text `value`, `role`, `group`).
 * @example parseAnnotatedText('serving [gastro pub](cuisine:gastropub)')
 *   // { text: 'serving gastro pub', entities: [{ entity: 'cuisine', value: 'gastropub', start: 8, end: 18 }] }
 */
export function parseAnnotatedText(annotated: string): AnnotatedText {
  const entities: TrainingEntity[] = [];
  let text = '';
  let copiedUpTo = 0;
  for (const match of annotated.matchAll(ANNOTATION)) {
    const [whole, words, entity, synonymValue, objectBody, listBody] = match;
    text += annotated.slice(copiedUpTo, match.index);
    const start = text.length;
    const end = start + words.length;
    text += words;
    copiedUpTo = match.index + whole.length;

    if (entity !== undefined) {
      entities.push({ entity, value: synonymValue ?? words, start, end });
    } else if (objectBody !== undefined) {
      entities.push(entityFromJson(objectBody, words, start, end));
    } else {
      for (const inner of (listBody ?? '').matchAll(JSON_OBJECT)) {
        entities.push(entityFromJson(inner[1], words, start, end));
      }
    }
  }
  text += annotated.slice(copiedUpTo);
  return { text, entities };
}

/** The plain text of an annotated example (annotations replaced by their words). */
export function stripAnnotations(annotated: string): string {
  return annotated.replace(ANNOTATION, (_whole, words: string) => words);
}

/**
 * Synonyms implied by annotations: every entity whose annotated words differ from its value
 * (`[gastro pub](cuisine:gastropub)` → `gastro pub` → `gastropub`).
 */
export function synonymsFromEntities(text: string, entities: readonly TrainingEntity[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const entity of entities) {
    const words = text.slice(entity.start, entity.end);
    if (words !== String(entity.value)) pairs.push([words, String(entity.value)]);
  }
  return pairs;
}

function entityFromJson(body: string, words: string, start: number, end: number): TrainingEntity {
  const json = `{${body}}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ParleyError(
      'PARLEY_ERR_TRAINING_DATA_INVALID',
      `The entity annotation '${json}' is not valid JSON (${(error as Error).message}). ` +
        'Write it like [Berlin]{"entity": "city", "role": "destination"}.',
      { cause: error },
    );
  }
  const record = parsed as Record<string, unknown>;
  if (typeof record.entity !== 'string' || record.entity === '') {
    throw new ParleyError(
      'PARLEY_ERR_TRAINING_DATA_INVALID',
      `The entity annotation '${json}' needs an "entity" name.`,
    );
  }
  for (const key of ['value', 'role', 'group'] as const) {
    if (key in record && typeof record[key] !== 'string') {
      throw new ParleyError(
        'PARLEY_ERR_TRAINING_DATA_INVALID',
        `In the entity annotation '${json}', "${key}" must be a text (write it in double quotes).`,
      );
    }
  }
  const entity: TrainingEntity = {
    entity: record.entity,
    value: typeof record.value === 'string' ? record.value : words,
    start,
    end,
  };
  if (typeof record.role === 'string' && record.role !== '') entity.role = record.role;
  if (typeof record.group === 'string' && record.group !== '') entity.group = record.group;
  return entity;
}
