import { describe, expect, it } from 'vitest';
import { createHandlerInstrumentation } from '../../src/observability/instrumented-handler.js';
import { runWithRequestContext } from '../../src/observability/request-context.js';
import { createServerMetrics } from '../../src/observability/server-metrics.js';
import type { MessageHandler, UserMessage } from '../../src/shared/messages.js';
import { captureLogs } from '../channels/helpers/logs.js';

const output = { name: 'collector', sendResponse: async () => {} };

function message(text: string, inputChannel = 'socketio'): UserMessage {
  return { text, senderId: 'u1', inputChannel, output };
}

describe('createHandlerInstrumentation', () => {
  it('counts received, processed and failed messages per channel and times each', async () => {
    const metrics = createServerMetrics();
    const logs = captureLogs();
    const wrap = createHandlerInstrumentation({ logger: logs.logger, metrics });
    const handler: MessageHandler = {
      async handleMessage(incoming) {
        if (incoming.text === 'fail') throw new Error('boom');
      },
    };
    const twin = wrap(handler)!;
    await twin.handleMessage(message('hi'));
    await twin.handleMessage(message('hi', 'rest'));
    await expect(twin.handleMessage(message('fail'))).rejects.toThrow('boom');
    expect(metrics.messagesReceived.value({ channel: 'socketio' })).toBe(2);
    expect(metrics.messagesProcessed.value({ channel: 'socketio' })).toBe(1);
    expect(metrics.messageErrors.value({ channel: 'socketio' })).toBe(1);
    expect(metrics.messagesReceived.value({ channel: 'rest' })).toBe(1);
    expect(metrics.messageLatency.count({ channel: 'socketio' })).toBe(2);
  });

  it('gives a message without a request (socket.io) its own request id, carried by the processing logs', async () => {
    const logs = captureLogs();
    const processorLogger = logs.logger.child({ module: 'processor' });
    const wrap = createHandlerInstrumentation({ logger: logs.logger });
    const handler: MessageHandler = {
      async handleMessage() {
        await Promise.resolve();
        processorLogger.info('processing');
      },
    };
    await wrap(handler)!.handleMessage(message('a'));
    await wrap(handler)!.handleMessage(message('b'));
    const processing = logs.entries().filter((line) => line.msg === 'processing');
    const received = logs.entries().filter((line) => line.event === 'message.received');
    expect(processing).toHaveLength(2);
    expect(processing[0].requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(processing[1].requestId).not.toBe(processing[0].requestId);
    expect(received.map((line) => line.requestId)).toEqual(processing.map((line) => line.requestId));
  });

  it('keeps the id of the HTTP request that brought the message', async () => {
    const logs = captureLogs();
    const wrap = createHandlerInstrumentation({ logger: logs.logger });
    const handler: MessageHandler = { handleMessage: async () => logs.logger.info('processing') };
    await runWithRequestContext({ requestId: 'http-7' }, () => wrap(handler)!.handleMessage(message('a', 'rest')));
    expect(logs.entries().find((line) => line.msg === 'processing')?.requestId).toBe('http-7');
  });

  it('returns the same twin for the same handler, and null for no handler', () => {
    const wrap = createHandlerInstrumentation({ logger: captureLogs().logger });
    const handler: MessageHandler = { handleMessage: async () => {} };
    expect(wrap(handler)).toBe(wrap(handler));
    expect(wrap(null)).toBeNull();
  });
});
