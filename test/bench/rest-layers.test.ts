import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

describe('bench/rest-layers.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('splits the server CPU per request into the HTTP layer and the dialogue turn on the smoke setting', async () => {
    const run = await runBenchScript('rest-layers');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    const target = { requestsPerSecond: spreadShape, p99: spreadShape, errors: 0, cpuMicrosecondsPerRequest: { user: spreadShape, system: spreadShape, total: spreadShape } };
    expect(run.result).toMatchObject({
      benchmark: 'rest-layers',
      machine: machineShape,
      targets: { bare: target, 'parley-http-only': target, parley: target },
      split: { bareMicroseconds: spreadShape, httpLayerMicroseconds: spreadShape, dialogueTurnMicroseconds: spreadShape, httpOnlyCpuRatioToBare: spreadShape },
    });
  });
});
