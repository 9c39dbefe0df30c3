import { describe, expect, it } from 'vitest';
import type { CrfConstraints, CrfSequence } from '../../src/ml/crf-inference.js';
import { createCrfDecoder, decodeCrf } from '../../src/ml/crf-inference.js';
import { calibrateCrf, trainCrfPerceptron } from '../../src/ml/crf-perceptron.js';
import { seededRandom } from '../../src/ml/random.js';

/** One attribute per token: its word id. */
function sequence(words: number[]): CrfSequence {
  return {
    attributeStart: Int32Array.from({ length: words.length + 1 }, (_, t) => t),
    attributes: Int32Array.from(words),
    values: new Float32Array(words.length).fill(1),
  };
}

// Labels: 0 = O, 1 = B, 2 = I; an I may only follow B or I and cannot start.
const BIO: CrfConstraints = {
  allowed: Uint8Array.from([1, 1, 0, 1, 1, 1, 1, 1, 1]),
  allowedStart: Uint8Array.from([1, 1, 0]),
  allowedEnd: Uint8Array.from([1, 1, 1]),
};

// Words 0-4 are filler ("i", "want", "to", "go", "please"); 5 = "to"-like trigger "in";
// 6-11 are city words: 6/7 start a city name, 8/9 continue one, 10/11 are one-word cities.
const FILLER = [0, 1, 2, 3, 4];
function syntheticData(count: number, seed: number): { sequences: CrfSequence[]; gold: Int32Array[] } {
  const random = seededRandom(seed);
  const pick = (options: number[]) => options[Math.floor(random() * options.length)];
  const sequences: CrfSequence[] = [];
  const gold: Int32Array[] = [];
  for (let i = 0; i < count; i++) {
    const words: number[] = [];
    const tags: number[] = [];
    for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
      words.push(pick(FILLER));
      tags.push(0);
    }
    words.push(5);
    tags.push(0);
    if (random() < 0.5) {
      words.push(pick([6, 7]), pick([8, 9]));
      tags.push(1, 2);
    } else {
      words.push(pick([10, 11]));
      tags.push(1);
    }
    if (random() < 0.5) {
      words.push(pick(FILLER));
      tags.push(0);
    }
    sequences.push(sequence(words));
    gold.push(Int32Array.from(tags));
  }
  return { sequences, gold };
}

describe('trainCrfPerceptron', () => {
  const { sequences, gold } = syntheticData(60, 7);

  it('learns a small tagging task and tags unseen sentences correctly', () => {
    const model = trainCrfPerceptron(sequences, gold, 3, 12, { constraints: BIO, epochs: 10, seed: 3 });
    const decoder = createCrfDecoder(model);
    expect([...decodeCrf(decoder, sequence([3, 4, 5, 7, 9, 0])).tags]).toEqual([0, 0, 0, 1, 2, 0]);
    expect([...decodeCrf(decoder, sequence([1, 5, 11])).tags]).toEqual([0, 0, 1]);
    const held = syntheticData(40, 99);
    let correct = 0;
    let total = 0;
    held.sequences.forEach((candidate, index) => {
      const tags = decodeCrf(decoder, candidate).tags;
      tags.forEach((tag, t) => {
        total++;
        if (tag === held.gold[index][t]) correct++;
      });
    });
    expect(correct / total).toBeGreaterThan(0.97);
  });

  it('never decodes a forbidden transition', () => {
    const model = trainCrfPerceptron(sequences, gold, 3, 12, { constraints: BIO, seed: 3 });
    // A continuation word alone was always I in training, but I cannot start a sequence.
    expect(decodeCrf(createCrfDecoder(model), sequence([8])).tags[0]).not.toBe(2);
  });

  it('gives identical weights for the same seed and reports its mistakes per epoch', () => {
    const mistakes: number[] = [];
    const first = trainCrfPerceptron(sequences, gold, 3, 12, { constraints: BIO, seed: 5, onEpoch: (_epoch, count) => mistakes.push(count) });
    const second = trainCrfPerceptron(sequences, gold, 3, 12, { constraints: BIO, seed: 5 });
    expect([...first.pairWeight]).toEqual([...second.pairWeight]);
    expect([...first.transition]).toEqual([...second.transition]);
    expect([...first.start]).toEqual([...second.start]);
    expect(mistakes).toHaveLength(10);
    expect(mistakes[9]).toBeLessThan(mistakes[0]);
  });

  it('visits the data in a different order for another seed', () => {
    const first = trainCrfPerceptron(sequences, gold, 3, 12, { constraints: BIO, seed: 5 });
    const other = trainCrfPerceptron(sequences, gold, 3, 12, { constraints: BIO, seed: 6 });
    expect([...first.pairWeight]).not.toEqual([...other.pairWeight]);
  });
});

describe('calibrateCrf', () => {
  const { sequences, gold } = syntheticData(60, 11);
  const model = trainCrfPerceptron(sequences, gold, 3, 12, { constraints: BIO, seed: 1 });
  const calibrated = calibrateCrf(model, sequences, gold);

  it('scales every weight by one positive factor, so decoding is unchanged', () => {
    const factor = calibrated.transition[1] / model.transition[1];
    expect(factor).toBeGreaterThan(0);
    model.pairWeight.forEach((weight, index) => expect(calibrated.pairWeight[index]).toBeCloseTo(weight * factor, 4));
    for (const candidate of syntheticData(20, 12).sequences) {
      expect([...decodeCrf(createCrfDecoder(calibrated), candidate).tags]).toEqual([...decodeCrf(createCrfDecoder(model), candidate).tags]);
    }
  });

  it('gives confidences that are probabilities, high where the tagging is easy', () => {
    const decoded = decodeCrf(createCrfDecoder(calibrated), sequence([0, 5, 10]));
    expect([...decoded.tags]).toEqual([0, 0, 1]);
    decoded.confidences.forEach((confidence) => {
      expect(confidence).toBeGreaterThan(0.5);
      expect(confidence).toBeLessThanOrEqual(1 + 1e-9);
    });
  });
});
