import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript } from './run-bench.js';

describe('bench/profile.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes the top self-time functions and an SVG flame graph of the REST hot path', async () => {
    const run = await runBenchScript('profile');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'profile',
      machine: machineShape,
      topSelfTime: expect.arrayContaining([{ name: expect.any(String), selfMs: expect.any(Number), share: expect.any(Number) }]),
    });
    const svg = run.files('rest-flamegraph.svg');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<rect');
  });
});
