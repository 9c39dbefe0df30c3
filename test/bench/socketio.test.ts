import { afterAll, describe, expect, it } from 'vitest';
import { machineShape, runBenchScript, spreadShape } from './run-bench.js';

describe('bench/socketio.mjs', () => {
  let cleanup = () => {};
  afterAll(() => cleanup());

  it('writes messages/s and round trips for Parley, its server with a constant bot, and the bare echo on the smoke setting', async () => {
    const run = await runBenchScript('socketio');
    cleanup = run.cleanup;
    expect(run.code, run.output).toBe(0);
    expect(run.result).toMatchObject({
      benchmark: 'socketio',
      machine: machineShape,
      parley: { messagesPerSecond: spreadShape, roundTripP50: spreadShape, roundTripP99: spreadShape, botMessagesPerMessage: 1, refusedMessages: 0 },
      bare: { messagesPerSecond: spreadShape, botMessagesPerMessage: expect.any(Number) },
      ratio: { messagesPerSecond: spreadShape },
      httpOnly: { messagesPerSecond: spreadShape, botMessagesPerMessage: 1, refusedMessages: 0, ratio: { messagesPerSecond: spreadShape } },
      targets: { messagesPerSecond: { met: expect.any(Boolean) } },
    });
  });
});
