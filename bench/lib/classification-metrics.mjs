/** Intent and entity scores as `rasa test nlu` (scikit-learn's classification report) computes them. */

/**
 * Accuracy, macro and support-weighted F1 over `{ expected, predicted }` pairs. Labels are the
 * union of expected and predicted ones, as scikit-learn's report uses.
 */
export function intentScores(pairs) {
  const labels = new Set();
  const truePositives = new Map();
  const predictedCount = new Map();
  const support = new Map();
  const bump = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  let correct = 0;
  for (const { expected, predicted } of pairs) {
    labels.add(expected);
    labels.add(predicted);
    bump(support, expected);
    bump(predictedCount, predicted);
    if (expected === predicted) {
      correct += 1;
      bump(truePositives, expected);
    }
  }
  let macro = 0;
  let weighted = 0;
  const perLabel = {};
  for (const label of [...labels].sort()) {
    const tp = truePositives.get(label) ?? 0;
    const precision = tp / Math.max(1, predictedCount.get(label) ?? 0);
    const recall = tp / Math.max(1, support.get(label) ?? 0);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perLabel[label] = { precision, recall, f1, support: support.get(label) ?? 0 };
    macro += f1;
    weighted += f1 * (support.get(label) ?? 0);
  }
  return {
    accuracy: pairs.length ? correct / pairs.length : 0,
    correct,
    total: pairs.length,
    macroF1: labels.size ? macro / labels.size : 0,
    weightedF1: pairs.length ? weighted / pairs.length : 0,
    perLabel,
  };
}

/** Exact-span entity chunk scores (entity type, start and end must all match). */
export function entityScores(examples) {
  let truePositives = 0;
  let predicted = 0;
  let expected = 0;
  const key = (entity) => `${entity.entity}:${entity.start}:${entity.end}`;
  for (const { gold, found } of examples) {
    const goldKeys = new Set(gold.map(key));
    const foundKeys = new Set(found.map(key));
    expected += goldKeys.size;
    predicted += foundKeys.size;
    for (const item of foundKeys) if (goldKeys.has(item)) truePositives += 1;
  }
  const precision = predicted ? truePositives / predicted : 0;
  const recall = expected ? truePositives / expected : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}
