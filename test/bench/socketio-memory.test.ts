import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

describe('bench/socketio-memory.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes bytes per idle connection for Parley and the bare echo on the smoke setting', async () => {
    const run = await runBenchScript('socketio-memory');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'socketio-memory',
      machine: machineShape,
      levels: [
        {
          connections: 20,
          parley: { rssBytesPerConnection: spreadShape, heapBytesPerConnection: spreadShape },
          bare: { rssBytesPerConnection: spreadShape, heapBytesPerConnection: spreadShape },
          ratio: { rss: spreadShape, heap: spreadShape },
        },
      ],
      targets: { memoryPerConnection: { connections: 20, met: expect.any(Boolean) } },
    });
  });
});
