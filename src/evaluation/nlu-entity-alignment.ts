/**
 * Token-level entity labels, as Rasa's NLU evaluation scores entities: every token of a message
 * gets the label of the entity covering it (`type`, `type.group`, `type.group.role`…) or
 * `no_entity`, once for the annotated targets and once per entity extractor. Scores are then
 * computed over those token labels.
 */
import type { Entity, TrainingEntity } from '../shared/nlu.js';

/** The label of a token outside every entity (Rasa's `no_entity`). */
export const NO_ENTITY = 'no_entity';

/** Extractors whose entities carry confidences (the others count as 0 in histograms). */
const EXTRACTORS_WITH_CONFIDENCES = new Set(['CRFEntityExtractor', 'DIETClassifier']);

/** A token as character offsets into the message. */
export type TokenSpan = readonly [start: number, end: number];

/** One message of the test data: annotated entities, predicted entities and the tokens. */
export interface EntityResult {
  text: string;
  targets: TrainingEntity[];
  predictions: Entity[];
  tokens: TokenSpan[];
}

/** Token labels of one message: the targets and, per extractor, its labels and confidences. */
export interface AlignedEntities {
  targetLabels: string[];
  extractorLabels: Record<string, string[]>;
  confidences: Record<string, number[]>;
}

interface Located {
  entity?: string;
  start?: number;
  end?: number;
  role?: string;
  group?: string;
  extractor?: string;
  confidence_entity?: number;
  confidence_role?: number;
  confidence_group?: number;
}

/** Labels every token of `result` for the targets and for each of `extractors`. */
export function alignEntityResult(result: EntityResult, extractors: readonly string[]): AlignedEntities {
  const byExtractor = new Map<string, Located[]>(extractors.map((name) => [name, []]));
  for (const entity of result.predictions) {
    // Entities of components that are not scored (e.g. the `/intent{…}` shortcut) are left out.
    if (typeof entity.extractor === 'string') byExtractor.get(entity.extractor)?.push(entity as Located);
  }
  const aligned: AlignedEntities = {
    targetLabels: [],
    extractorLabels: Object.fromEntries(extractors.map((name) => [name, [] as string[]])),
    confidences: Object.fromEntries(extractors.map((name) => [name, [] as number[]])),
  };
  for (const token of result.tokens) {
    aligned.targetLabels.push(tokenLabel(bestEntityFor(token, result.targets as Located[])));
    for (const [name, entities] of byExtractor) {
      const entity = bestEntityFor(token, entities);
      aligned.extractorLabels[name].push(tokenLabel(entity));
      aligned.confidences[name].push(confidenceOf(entity));
    }
  }
  return aligned;
}

/** The whitespace-separated words of `text`, for pipelines without a tokenizer. */
export function whitespaceTokens(text: string): TokenSpan[] {
  const tokens: TokenSpan[] = [];
  for (const match of text.matchAll(/\S+/g)) tokens.push([match.index, match.index + match[0].length]);
  return tokens;
}

/** The entity sharing the most characters with the token (the first on a tie), if any. */
function bestEntityFor(token: TokenSpan, entities: readonly Located[]): Located | null {
  let best: Located | null = null;
  let bestShared = 0;
  for (const entity of entities) {
    if (typeof entity.start !== 'number' || typeof entity.end !== 'number') continue;
    const shared = Math.min(token[1], entity.end) - Math.max(token[0], entity.start);
    if (shared > bestShared) {
      best = entity;
      bestShared = shared;
    }
  }
  return best;
}

/** `type`, then group and role when present, joined with dots (Rasa's order). */
function tokenLabel(entity: Located | null): string {
  if (entity === null) return NO_ENTITY;
  const parts = [entity.entity, entity.group, entity.role].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? NO_ENTITY : parts.join('.');
}

/** The lowest of the entity's type, role and group confidences; 0 for extractors without any. */
function confidenceOf(entity: Located | null): number {
  if (entity === null || !EXTRACTORS_WITH_CONFIDENCES.has(entity.extractor ?? '')) return 0;
  const pick = (value: number | undefined): number => (typeof value === 'number' && value !== 0 ? value : 1);
  return Math.min(pick(entity.confidence_entity), pick(entity.confidence_role), pick(entity.confidence_group));
}
