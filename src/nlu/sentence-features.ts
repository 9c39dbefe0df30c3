/**
 * Turns the sentence features that featurizers attached to a message into the one sparse row a
 * linear classifier reads: blocks placed side by side, weighted (binary or TF-IDF) and scaled so
 * that each block has unit length.
 */
import type { SparseRow } from '../ml/sparse.js';
import type { FeatureBlock, NluMessage } from './message.js';

export type Weighting = 'binary' | 'tfidf' | 'count';

export interface BlockLayout {
  /** Position of the block in `message.features`. */
  position: number;
  alias: string;
  size: number;
  offset: number;
}

export interface SentenceLayout {
  blocks: BlockLayout[];
  columns: number;
}

/**
 * Which feature blocks a classifier reads, taken from the training messages (every message that
 * has tokens carries the same blocks in the same order). `featurizers` limits them by alias, as
 * Rasa's `featurizers` option does; empty means all.
 */
export function sentenceLayout(messages: readonly NluMessage[], featurizers: readonly string[]): SentenceLayout {
  const reference = messages.find((message) => message.tokens !== null && message.features.length > 0);
  const blocks: BlockLayout[] = [];
  let offset = 0;
  reference?.features.forEach((block: FeatureBlock, position: number) => {
    if (block.sentence === null) return;
    if (featurizers.length > 0 && !featurizers.includes(block.alias)) return;
    blocks.push({ position, alias: block.alias, size: block.size, offset });
    offset += block.size;
  });
  return { blocks, columns: offset };
}

export interface RowSettings {
  weighting: Weighting;
  /** Inverse document frequency per column (TF-IDF only). */
  idf: Float32Array | null;
  /** A factor per layout block applied after its unit-length scaling (1 for all when absent). */
  blockWeights?: readonly number[] | null;
}

/** The classifier input row of one message (empty when it has no features). */
export function sentenceRow(message: NluMessage, layout: SentenceLayout, settings: RowSettings): SparseRow {
  const indices: number[] = [];
  const values: number[] = [];
  const blockCount = layout.blocks.length;
  for (const [blockNumber, block] of layout.blocks.entries()) {
    const features = message.features[block.position];
    const sentence = features?.alias === block.alias ? features.sentence : null;
    if (!sentence || sentence.indices.length === 0) continue;
    const first = values.length;
    let norm = 0;
    for (let k = 0; k < sentence.indices.length; k++) {
      const index = sentence.indices[k];
      if (index >= block.size) continue;
      const column = block.offset + index;
      const raw = sentence.values[k];
      let value = settings.weighting === 'binary' ? 1 : raw;
      if (settings.weighting === 'tfidf') value = (1 + Math.log(raw)) * (settings.idf?.[column] ?? 1);
      indices.push(column);
      values.push(value);
      norm += value * value;
    }
    // Each block gets the same total weight, so a large char n-gram vocabulary does not drown
    // out the word features.
    const scale = norm > 0 ? (settings.blockWeights?.[blockNumber] ?? 1) / Math.sqrt(norm * blockCount) : 0;
    for (let k = first; k < values.length; k++) values[k] *= scale;
  }
  return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

/** Smoothed inverse document frequency of every column over the training rows. */
export function inverseDocumentFrequency(messages: readonly NluMessage[], layout: SentenceLayout): Float32Array {
  const documentFrequency = new Float64Array(layout.columns);
  let documents = 0;
  for (const message of messages) {
    const row = sentenceRow(message, layout, { weighting: 'binary', idf: null });
    if (row.indices.length === 0) continue;
    documents++;
    for (let k = 0; k < row.indices.length; k++) documentFrequency[row.indices[k]]++;
  }
  return Float32Array.from(documentFrequency, (count) => Math.log((1 + documents) / (1 + count)) + 1);
}
