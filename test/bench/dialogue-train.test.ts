import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

describe('bench/dialogue-train.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes the dialogue-policy training time of the moodbot on the smoke setting', async () => {
    const run = await runBenchScript('dialogue-train');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'dialogue-train',
      machine: machineShape,
      projects: [{ project: 'moodbot', stories: 3, rules: 2, trainSeconds: spreadShape, loadProjectSeconds: spreadShape, ratioToLoadProject: spreadShape }],
    });
  });
});
