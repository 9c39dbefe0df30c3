import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

describe('bench/nlu.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes accuracy and parse latency for Parley and node-nlp on a SNIPS subset', async () => {
    const run = await runBenchScript('nlu');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'nlu',
      machine: machineShape,
      setup: { trainExamples: 21, testExamples: 10 },
      parley: { intentAccuracy: expect.any(Number), entityF1: expect.any(Number), parseP50Ms: spreadShape, parseP99Ms: spreadShape },
      nodeNlp: { intentAccuracy: expect.any(Number), parseP50Ms: spreadShape },
      ratio: { parseP50: spreadShape },
    });
  });
});
