import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

const retrieveLevel = (events: number) => ({
  events,
  latestSessionEvents: 6,
  seedSeconds: expect.any(Number),
  microsecondsPerRetrieve: spreadShape,
  ratioToSmallest: spreadShape,
});

const restStore = (store: string) => ({
  store,
  requestsPerSecond: spreadShape,
  p50: spreadShape,
  p99: spreadShape,
  errors: expect.any(Number),
  ratioToInMemory: { throughput: spreadShape, p50: expect.any(Object), p99: expect.any(Object) },
});

describe('bench/stores.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes retrieve cost per history size and REST figures per tracker store on the smoke setting', async () => {
    const run = await runBenchScript('stores');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    const stores = ['in_memory', 'sqlite', 'postgresql', 'redis'];
    expect(run.result).toMatchObject({
      benchmark: 'stores',
      machine: machineShape,
      retrieve: stores.map((store) => ({ store, levels: [retrieveLevel(10), retrieveLevel(100)] })),
      rest: { answer: expect.any(Array), stores: stores.map(restStore) },
      targets: { flatRetrieve: { value: expect.any(Number), met: expect.any(Boolean) } },
    });
  });
});
