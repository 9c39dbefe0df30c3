import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

describe('bench/train.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes parley train and node-nlp training times for a SNIPS subset on the smoke setting', async () => {
    const run = await runBenchScript('train');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'train',
      machine: machineShape,
      projects: [
        { project: 'snips-3-per-intent', nluExamples: 21, finished: true, parleySeconds: spreadShape, nodeNlpSeconds: spreadShape, ratio: spreadShape },
      ],
    });
  });
});
