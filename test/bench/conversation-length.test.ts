import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

describe('bench/conversation-length.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes per-message time for each conversation length with a ratio to the shortest', async () => {
    const run = await runBenchScript('conversation-length');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'conversation-length',
      machine: machineShape,
      levels: [
        { events: 10, msPerMessage: spreadShape, ratioToShortest: spreadShape, growth: null },
        { events: 100, msPerMessage: spreadShape, ratioToShortest: spreadShape, growth: { turns: expect.any(Number) } },
      ],
      profileAtLongest: { functions: expect.any(Array) },
      targets: { flat: { met: expect.any(Boolean) } },
    });
    const levels = (run.result as { levels: Array<{ measuredAtEvents: { median: number } }> }).levels;
    expect(levels[1]!.measuredAtEvents.median).toBeGreaterThanOrEqual(100);
  });
});
