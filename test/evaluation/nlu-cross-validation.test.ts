import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { crossValidateNlu, foldRows, meanAndStd, stratifiedFolds } from '../../src/evaluation/nlu-cross-validation.js';
import { readNluInputs } from '../../src/train/train-nlu.js';
import type { NluExample } from '../../src/shared/training-data.js';

const MOODBOT = fileURLToPath(new URL('../../../shared/fixtures/bots/moodbot/', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'parley-cv-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('stratifiedFolds', () => {
  const examples: NluExample[] = [
    ...Array.from({ length: 6 }, (_, index) => ({ text: `a${index}`, intent: 'a', entities: [] })),
    ...Array.from({ length: 3 }, (_, index) => ({ text: `b${index}`, intent: 'b', entities: [] })),
  ];

  it('puts every example in exactly one fold and spreads each intent evenly', () => {
    const folds = stratifiedFolds(examples, 3, 42);
    expect(folds.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const fold of folds) {
      expect(fold.filter((index) => examples[index].intent === 'a')).toHaveLength(2);
      expect(fold.filter((index) => examples[index].intent === 'b')).toHaveLength(1);
    }
  });

  it('is repeatable with the same seed', () => {
    expect(stratifiedFolds(examples, 3, 7)).toEqual(stratifiedFolds(examples, 3, 7));
  });
});

describe('meanAndStd', () => {
  it('gives numpy\'s mean and population standard deviation', () => {
    expect(meanAndStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(meanAndStd([])).toEqual({ mean: 0, std: 0 });
  });
});

describe('crossValidateNlu', () => {
  it('trains one model per fold, gives per-fold scores and writes the reports of the test folds together', async () => {
    const inputs = await readNluInputs({ root: MOODBOT });
    const stages = new Set<string>();
    const result = await crossValidateNlu({ ...inputs, folds: 3, out, onProgress: (event) => stages.add(event.stage.split(':')[1]?.split('.')[0] ?? event.stage) });
    expect(result.intents?.test.Accuracy).toHaveLength(3);
    expect(result.intents?.train['F1-score']).toHaveLength(3);
    // moodbot has no entities: Rasa leaves the entity scores out then.
    expect(result.entities).toEqual({});
    expect(result.evaluations.intents?.predictions).toHaveLength(inputs.nlu.examples.length);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['intent_report.json', 'nlu_report.html']));
    expect(readFileSync(join(out, 'nlu_report.html'), 'utf8')).toContain('Cross-validation (3 folds)');
    expect(foldRows(result).map((row) => `${row.part} ${row.set} ${row.metric}`)).toEqual([
      'intents train Accuracy',
      'intents train F1-score',
      'intents train Precision',
      'intents test Accuracy',
      'intents test F1-score',
      'intents test Precision',
    ]);
    expect([...stages]).toEqual(expect.arrayContaining(['fold-1', 'fold-3', 'done']));
  }, 30_000);

  it('refuses fewer than 2 folds or more folds than examples', async () => {
    const inputs = await readNluInputs({ root: MOODBOT });
    await expect(crossValidateNlu({ ...inputs, folds: 1, out: null })).rejects.toThrow(/at least 2 folds/);
    await expect(crossValidateNlu({ ...inputs, nlu: { ...inputs.nlu, examples: inputs.nlu.examples.slice(0, 2) }, folds: 3, out: null })).rejects.toThrow(
      /needs at least 3 NLU examples, but the data has 2/,
    );
  });
});
