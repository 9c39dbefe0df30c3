/**
 * Wraps the message handler the channels call: each user message runs in a request context (the
 * HTTP request's id, or a fresh one for socket.io and other non-HTTP sources), is logged on
 * arrival, and is counted and timed per input channel for `/metrics`.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import type { MessageHandler, UserMessage } from '../shared/messages.js';
import { currentRequestId, newRequestId, runWithRequestContext } from './request-context.js';
import type { ServerMetrics } from './server-metrics.js';

export interface InstrumentationOptions {
  logger: Logger;
  /** Where counts and latencies go; null records none. @default null */
  metrics?: ServerMetrics | null;
}

/**
 * Returns a `wrap(handler)` function that gives every handler the same instrumented twin (cached,
 * so a message costs no new object). `wrap(null)` is null.
 */
export function createHandlerInstrumentation(options: InstrumentationOptions): (handler: MessageHandler | null) => MessageHandler | null {
  const logger = options.logger.child({ module: 'messages' });
  const metrics = options.metrics ?? null;
  const wrapped = new WeakMap<MessageHandler, MessageHandler>();

  async function handle(handler: MessageHandler, message: UserMessage): Promise<void> {
    const channel = { channel: message.inputChannel };
    logger.debug({ event: 'message.received', channel: message.inputChannel, senderId: message.senderId }, 'user message received');
    metrics?.messagesReceived.inc(channel);
    const started = performance.now();
    try {
      await handler.handleMessage(message);
      metrics?.messagesProcessed.inc(channel);
    } catch (error) {
      metrics?.messageErrors.inc(channel);
      throw error;
    } finally {
      metrics?.messageLatency.observe(channel, (performance.now() - started) / 1000);
    }
  }

  return (handler) => {
    if (handler === null) return null;
    let twin = wrapped.get(handler);
    if (!twin) {
      twin = {
        handleMessage: (message) => runWithRequestContext({ requestId: currentRequestId() ?? newRequestId() }, () => handle(handler, message)),
      };
      wrapped.set(handler, twin);
    }
    return twin;
  };
}
