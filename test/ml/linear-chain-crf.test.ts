import { describe, expect, it } from 'vitest';
import type { CrfConstraints, CrfSequence } from '../../src/ml/linear-chain-crf.js';
import { createCrfDecoder, createCrfObjective, decodeCrf, trainCrf, unconstrained } from '../../src/ml/linear-chain-crf.js';
import { seededRandom } from '../../src/ml/random.js';

/** One attribute per token: its id. */
function sequence(attributes: number[][]): CrfSequence {
  const attributeStart = new Int32Array(attributes.length + 1);
  attributes.forEach((list, t) => (attributeStart[t + 1] = attributeStart[t] + list.length));
  return {
    attributeStart,
    attributes: Int32Array.from(attributes.flat()),
    values: new Float32Array(attributeStart[attributes.length]).fill(1),
  };
}

// Labels: 0 = O, 1 = B, 2 = I (an "I" may only follow B or I).
const BIO: CrfConstraints = {
  allowed: Uint8Array.from([1, 1, 0, 1, 1, 1, 1, 1, 1]),
  allowedStart: Uint8Array.from([1, 1, 0]),
  allowedEnd: Uint8Array.from([1, 1, 1]),
};

describe('createCrfObjective', () => {
  it('has an analytic gradient that matches finite differences', () => {
    const random = seededRandom(3);
    const sequences = Array.from({ length: 6 }, () =>
      sequence(Array.from({ length: 2 + Math.floor(random() * 4) }, () => [Math.floor(random() * 5), 5 + Math.floor(random() * 3)])),
    );
    const gold = sequences.map((s) => {
      const tags = new Int32Array(s.attributeStart.length - 1);
      for (let t = 0; t < tags.length; t++) tags[t] = t > 0 && tags[t - 1] !== 0 && random() < 0.5 ? 2 : random() < 0.5 ? 1 : 0;
      return tags;
    });
    const objective = createCrfObjective(sequences, gold, 3, 8, BIO, 0.3);
    const params = Float64Array.from({ length: objective.size }, () => random() - 0.5);
    const gradient = new Float64Array(objective.size);
    objective.evaluate(params, gradient);
    const scratch = new Float64Array(objective.size);
    for (let i = 0; i < objective.size; i++) {
      const step = 1e-5;
      const plus = Float64Array.from(params);
      plus[i] += step;
      const minus = Float64Array.from(params);
      minus[i] -= step;
      const numeric = (objective.evaluate(plus, scratch) - objective.evaluate(minus, scratch)) / (2 * step);
      expect(gradient[i]).toBeCloseTo(numeric, 4);
    }
  });
});

describe('trainCrf and decodeCrf', () => {
  // Attribute 0 = "the", 1 = "big", 2 = "city", 3 = "new", 4 = "york".
  const sentences = [
    [[0], [3], [4]],
    [[1], [2]],
    [[3], [4], [2]],
    [[0], [2]],
  ];
  const tags = [[0, 1, 2], [0, 0], [1, 2, 0], [0, 0]];

  it('learns to tag a multi-token name and respects the transition constraints', () => {
    const model = trainCrf(sentences.map(sequence), tags.map((t) => Int32Array.from(t)), 3, 5, { l2: 0.1, constraints: BIO });
    const decoder = createCrfDecoder(model);
    const decoded = decodeCrf(decoder, sequence([[1], [3], [4]]));
    expect([...decoded.tags]).toEqual([0, 1, 2]);
    decoded.confidences.forEach((confidence) => {
      expect(confidence).toBeGreaterThan(0.5);
      expect(confidence).toBeLessThanOrEqual(1 + 1e-9);
    });
    // "york" alone was always I, but I cannot start a sequence.
    expect(decodeCrf(decoder, sequence([[4]])).tags[0]).not.toBe(2);
  });

  it('is deterministic: the same data gives identical weights', () => {
    const train = () => trainCrf(sentences.map(sequence), tags.map((t) => Int32Array.from(t)), 3, 5, { constraints: unconstrained(3) });
    const first = train();
    const second = train();
    expect([...first.pairWeight]).toEqual([...second.pairWeight]);
    expect([...first.transition]).toEqual([...second.transition]);
  });

  it('decodes an empty sequence to no tags', () => {
    const model = trainCrf(sentences.map(sequence), tags.map((t) => Int32Array.from(t)), 3, 5);
    expect(decodeCrf(createCrfDecoder(model), sequence([])).tags.length).toBe(0);
  });
});
