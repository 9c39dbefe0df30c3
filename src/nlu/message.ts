/** The message a pipeline works on: text, tokens, features added by featurizers, predictions. */
import type { Entity, IntentPrediction, TrainingEntity } from '../shared/nlu.js';

/** A token with character offsets into the message text (`end` exclusive). */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/** Sparse feature values: parallel arrays, indices ascending and unique. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** What produced a feature block; the entity tagger treats some kinds specially. */
export type FeatureKind = 'count-vectors' | 'regex' | 'lexical';

/** The features one featurizer added to one message. */
export interface FeatureBlock {
  /** The featurizer's `alias` option (its component name unless set). */
  alias: string;
  kind: FeatureKind;
  /** Number of feature columns of this featurizer. */
  size: number;
  /** Features of the whole text (null when the featurizer gives none, e.g. lexical). */
  sentence: SparseVector | null;
  /**
   * One vector per token, in token order. Empty in training messages for kinds no trainer reads
   * (see `releaseUnreadTokenFeatures` in entity-tagger.ts).
   */
  tokens: SparseVector[];
}

/** What the training data says about one example (absent at prediction time). */
export interface TrainingLabels {
  /** The intent the classifier learns: the part before `/` of a retrieval intent. */
  intent: string;
  /** `base/key` for retrieval intents, else null. */
  responseKey: string | null;
  entities: TrainingEntity[];
}

export interface NluMessage {
  text: string;
  /** null until a tokenizer ran. */
  tokens: Token[] | null;
  features: FeatureBlock[];
  intent: IntentPrediction | null;
  intentRanking: IntentPrediction[] | null;
  entities: Entity[];
  responseSelector: Record<string, unknown> | null;
  training: TrainingLabels | null;
}

export function createMessage(text: string, training: TrainingLabels | null = null): NluMessage {
  return {
    text,
    tokens: null,
    features: [],
    intent: null,
    intentRanking: null,
    entities: [],
    responseSelector: null,
    training,
  };
}

export const EMPTY_VECTOR: SparseVector = { indices: new Int32Array(0), values: new Float32Array(0) };

/** Builds a sparse vector from index → value counts (indices sorted ascending). */
export function vectorFromCounts(counts: Map<number, number>): SparseVector {
  if (counts.size === 0) return EMPTY_VECTOR;
  // Plain loops: typed-array `from` with a map function is slow, and this runs per token.
  const indices = new Int32Array(counts.size);
  let position = 0;
  for (const index of counts.keys()) indices[position++] = index;
  indices.sort();
  const values = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) values[i] = counts.get(indices[i]) ?? 0;
  return { indices, values };
}
