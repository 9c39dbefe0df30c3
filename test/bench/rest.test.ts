import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

describe('bench/rest.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes throughput, latency and ratios per connection count on the smoke setting', async () => {
    const run = await runBenchScript('rest');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'rest',
      machine: machineShape,
      levels: [
        {
          connections: 4,
          parley: { requestsPerSecond: spreadShape, p50: spreadShape, p99: spreadShape, p999: spreadShape, errors: expect.any(Number) },
          bare: { requestsPerSecond: spreadShape, errors: expect.any(Number) },
          ratio: { throughput: spreadShape, p50: expect.any(Object), p99: expect.any(Object) },
        },
      ],
      halfLoad: { targetRequestsPerSecond: expect.any(Number), parley: { p99: spreadShape } },
      targets: { throughputAt64: { met: null }, p99AtHalfLoad: { met: expect.any(Boolean) } },
    });
  });
});
