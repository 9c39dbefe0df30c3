import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

describe('bench/cold-start.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes spawn-to-first-answer times for parley run and the bare server', async () => {
    const run = await runBenchScript('cold-start');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'cold-start',
      machine: machineShape,
      parleyMs: spreadShape,
      bareMs: spreadShape,
      parleyVersionMs: spreadShape,
      ratio: spreadShape,
      targets: { coldStart: { met: expect.any(Boolean) } },
    });
  });
});
