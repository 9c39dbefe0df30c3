import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

const systemShape = {
  trainExamples: expect.any(Number),
  testExamples: expect.any(Number),
  intentAccuracy: expect.any(Number),
  intentMacroF1: expect.any(Number),
  intentWeightedF1: expect.any(Number),
  trainSeconds: expect.any(Number),
  modelBytes: expect.any(Number),
  peakRssMiB: expect.any(Number),
  peakRssDeltaMiB: expect.any(Number),
  parseP50Ms: spreadShape,
  parseP99Ms: spreadShape,
};

describe('bench/nlu.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes intent scores, costs and a table for Parley, node-nlp and the TF-IDF baseline', async () => {
    const run = await runBenchScript('nlu');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'nlu',
      machine: machineShape,
      setup: { smoke: true },
      datasets: {
        snips: {
          parley: { ...systemShape, trainExamples: 21, testExamples: 10, entityF1: expect.any(Number), stageSeconds: expect.any(Object) },
          'node-nlp': { ...systemShape, trainExamples: 21, entityF1: null },
          'tfidf-lr': systemShape,
        },
        webapplications: { parley: { ...systemShape, trainExamples: 30, testExamples: 59 }, 'node-nlp': systemShape, 'tfidf-lr': systemShape },
      },
      overall: { braun: { parley: { intentAccuracy: expect.any(Number), testExamples: 59 } } },
    });
    const table = run.files('nlu.md');
    expect(table).toMatch(/\| snips \(21→10\) \| parley \|/);
    expect(table).toMatch(/\| webapplications \(30→59\) \| tfidf-lr \|/);
    expect(table).toMatch(/Overall braun intent F1/);
  });
});
