/**
 * The plain intent baseline of the NLU benchmark, written the way most people would start with
 * scikit-learn: `TfidfVectorizer(ngram_range=(1, 2))` over words plus
 * `TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5))`, stacked, and
 * `LogisticRegression(C=1.0)` (multinomial, L-BFGS). Nothing here is tuned; it is the floor
 * Parley's default pipeline has to beat. The optimiser is Parley's L-BFGS softmax regression
 * (the same convex problem scikit-learn solves), everything else is independent of Parley.
 */
import { packRows } from '../../dist/ml/sparse.js';
import { predictSoftmax, trainSoftmax } from '../../dist/ml/softmax-regression.js';

/** scikit-learn's default token pattern `(?u)\b\w\w+\b`. */
const TOKEN = /[\p{L}\p{N}_]{2,}/gu;

function wordGrams(text) {
  const words = text.toLowerCase().match(TOKEN) ?? [];
  const grams = [...words];
  for (let i = 0; i + 1 < words.length; i++) grams.push(`${words[i]} ${words[i + 1]}`);
  return grams;
}

function charWbGrams(text) {
  const grams = [];
  for (const word of text.toLowerCase().split(/\s+/u)) {
    if (word === '') continue;
    const padded = ` ${word} `;
    for (let n = 2; n <= 5; n++) {
      if (padded.length < n) break;
      for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
    }
  }
  return grams;
}

/** One TF-IDF view: vocabulary and smoothed idf learnt from the training texts. */
function fitView(texts, analyse) {
  const index = new Map();
  const documentFrequency = [];
  for (const text of texts) {
    for (const gram of new Set(analyse(text))) {
      let column = index.get(gram);
      if (column === undefined) {
        column = index.size;
        index.set(gram, column);
        documentFrequency.push(0);
      }
      documentFrequency[column] += 1;
    }
  }
  const idf = Float64Array.from(documentFrequency, (df) => Math.log((1 + texts.length) / (1 + df)) + 1);
  return { index, idf, analyse, size: index.size };
}

/** Raw counts × idf, scaled to unit length (scikit-learn's `norm='l2'`). */
function transformView(view, text, offset, indices, values) {
  const counts = new Map();
  for (const gram of view.analyse(text)) {
    const column = view.index.get(gram);
    if (column !== undefined) counts.set(column, (counts.get(column) ?? 0) + 1);
  }
  const columns = [...counts.keys()].sort((a, b) => a - b);
  let norm = 0;
  const weighted = columns.map((column) => {
    const value = counts.get(column) * view.idf[column];
    norm += value * value;
    return value;
  });
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  columns.forEach((column, k) => {
    indices.push(offset + column);
    values.push(weighted[k] * scale);
  });
}

function rowOf(views, text) {
  const indices = [];
  const values = [];
  let offset = 0;
  for (const view of views) {
    transformView(view, text, offset, indices, values);
    offset += view.size;
  }
  return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

/** Trains the baseline on `{ text, intent }` examples. */
export function trainTfidfBaseline(examples, { C = 1 } = {}) {
  const texts = examples.map((example) => example.text);
  const views = [fitView(texts, wordGrams), fitView(texts, charWbGrams)];
  const columns = views.reduce((sum, view) => sum + view.size, 0);
  const labels = [...new Set(examples.map((example) => example.intent))].sort();
  const labelIndex = new Map(labels.map((label, index) => [label, index]));
  const matrix = packRows(texts.map((text) => rowOf(views, text)), columns);
  const targets = Int32Array.from(examples, (example) => labelIndex.get(example.intent));
  // scikit-learn minimises C·Σ loss + ½‖W‖²; ours minimises the mean loss + ½·l2·‖W‖².
  const model = trainSoftmax(matrix, targets, labels.length, {
    l2: 1 / (C * examples.length),
    balanceClasses: false,
    maxIterations: 100,
    tolerance: 1e-4,
  });
  return { views, labels, model };
}

/** The intent the baseline gives a text, with its probability. */
export function classifyTfidfBaseline(baseline, text) {
  const probabilities = predictSoftmax(baseline.model, rowOf(baseline.views, text));
  let best = 0;
  for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[best]) best = c;
  return { intent: baseline.labels[best], confidence: probabilities[best] };
}

/** The trained baseline as JSON (vocabularies, idf, float32 weights in base64), for its model size. */
export function exportTfidfBaseline(baseline) {
  const base64 = (array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
  return JSON.stringify({
    labels: baseline.labels,
    views: baseline.views.map((view) => ({ vocabulary: [...view.index.keys()], idf: base64(Float32Array.from(view.idf)) })),
    weights: base64(baseline.model.weights),
    biases: base64(baseline.model.biases),
  });
}
