import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

const target = (name: string, instances: number, nginx: boolean) => ({
  target: name,
  description: expect.any(String),
  instances,
  nginx,
  requestsPerSecond: spreadShape,
  p50: spreadShape,
  p99: spreadShape,
  errors: 0,
  ratioToBaseline: { throughput: spreadShape, p50: expect.any(Object), p99: expect.any(Object) },
});

describe('bench/rest-scale.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes REST figures for two instances behind nginx, one behind nginx and one per tracker store on the smoke setting', async () => {
    const run = await runBenchScript('rest-scale');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'rest-scale',
      machine: machineShape,
      setup: { answer: [{ text: 'Hey! How are you?' }], connections: expect.any(Number) },
      targets: [
        target('one-instance-nginx', 1, true),
        target('two-instances-nginx', 2, true),
        target('one-instance-sqlite', 1, false),
        target('one-instance-postgresql', 1, false),
        target('one-instance-redis', 1, false),
      ],
    });
  }, 180_000);
});
