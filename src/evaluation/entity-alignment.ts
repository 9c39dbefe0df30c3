/**
 * Entities of a test step against the NLU's entities, as Rasa's core test compares them: each
 * entity reduced to text, start, end, type and value; sets compared for pass/fail; and for the
 * report, targets and predictions lined up by position with `None` where one side has nothing.
 */
import type { Entity } from '../shared/nlu.js';

/** An entity reduced to what the comparison looks at. */
export interface EvaluatedEntity {
  /** The whole message the entity was found in. */
  text: string;
  start?: number;
  end?: number;
  entity: string;
  value?: string;
}

/**
 * Reduces entities for comparison. Predicted values are compared as strings, since the values
 * written in test stories are always strings.
 */
export function cleanEntities(text: string, entities: readonly Entity[], predicted: boolean): EvaluatedEntity[] {
  return entities.map((entity) => {
    const cleaned: EvaluatedEntity = { text, entity: entity.entity };
    if (typeof entity.start === 'number') cleaned.start = entity.start;
    if (typeof entity.end === 'number') cleaned.end = entity.end;
    if (entity.value !== undefined) cleaned.value = predicted || typeof entity.value !== 'string' ? pythonString(entity.value) : entity.value;
    return cleaned;
  });
}

/** Whether both sides hold the same entities (duplicates and order do not matter). */
export function sameEntitySets(targets: readonly EvaluatedEntity[], predictions: readonly EvaluatedEntity[]): boolean {
  const left = new Set(targets.map(entityKey));
  const right = new Set(predictions.map(entityKey));
  return left.size === right.size && [...left].every((key) => right.has(key));
}

/** Targets and predictions of one message paired by position, as report labels. */
export function alignEntities(
  targets: readonly EvaluatedEntity[],
  predictions: readonly EvaluatedEntity[],
): { targets: string[]; predictions: string[] } {
  const byStart = (a: EvaluatedEntity, b: EvaluatedEntity): number => (a.start ?? 0) - (b.start ?? 0);
  const gold = [...targets].sort(byStart);
  const guessed = [...predictions].sort(byStart);
  const aligned = { targets: [] as string[], predictions: [] as string[] };
  let g = 0;
  let p = 0;
  while (g < gold.length || p < guessed.length) {
    const order = compareEntities(guessed[p], gold[g]);
    if (order < 0) {
      aligned.predictions.push(entityLabel(guessed[p++]));
      aligned.targets.push('None');
    } else if (order > 0) {
      aligned.targets.push(entityLabel(gold[g++]));
      aligned.predictions.push('None');
    } else {
      aligned.predictions.push(entityLabel(guessed[p++]));
      aligned.targets.push(entityLabel(gold[g++]));
    }
  }
  return aligned;
}

/** Rasa's training-data notation of an entity: `[afghan](cuisine)`, or with a JSON block when the value differs. */
export function entityLabel(entity: EvaluatedEntity): string {
  const surface = entity.start !== undefined && entity.end !== undefined ? entity.text.slice(entity.start, entity.end) : entity.text;
  const value = entity.value !== undefined && entity.value !== '' && entity.value !== surface ? entity.value : undefined;
  if (value === undefined) return `[${surface}](${entity.entity})`;
  return `[${surface}]{"entity": ${JSON.stringify(entity.entity)}, "value": ${JSON.stringify(value)}}`;
}

/** -1 when the prediction comes first, 1 when the target does, 0 when both cover the same span. */
function compareEntities(predicted: EvaluatedEntity | undefined, target: EvaluatedEntity | undefined): number {
  if (predicted && target) {
    const byStart = (predicted.start ?? 0) - (target.start ?? 0);
    if (byStart !== 0) return Math.sign(byStart);
    return Math.sign((predicted.end ?? 0) - (target.end ?? 0));
  }
  return target ? 1 : -1;
}

function entityKey(entity: EvaluatedEntity): string {
  return JSON.stringify([entity.text, entity.start ?? null, entity.end ?? null, entity.entity, entity.value ?? null]);
}

/** Python's `str()` of a JSON value, since Rasa compares predicted values as `str(value)`. */
function pythonString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
