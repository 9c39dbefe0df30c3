import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));

describe('bench/turn-ab.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('measures CPU, allocations and young-generation pauses per turn of two builds on the smoke setting', async () => {
    // The same build on both sides: the script's plumbing is what is tested here.
    const run = await runBenchScript('turn-ab', 'turn-ab', ['--before', join(DIST)]);
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    const build = { cpuMicrosecondsPerTurn: spreadShape, bytesAllocatedPerTurn: expect.any(Number), scavenges: { count: expect.any(Number), medianMs: expect.any(Number), maxMs: expect.any(Number) } };
    expect(run.result).toMatchObject({ benchmark: 'turn-ab', machine: machineShape, setup: { before: DIST }, before: build, after: build, cpuRatio: spreadShape });
    const result = run.result as { before: { bytesAllocatedPerTurn: number } };
    expect(result.before.bytesAllocatedPerTurn).toBeGreaterThan(1000);
  });

  it('refuses to run without the older build', async () => {
    const run = await runBenchScript('turn-ab');
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('--before');
    run.cleanup();
  });
});
