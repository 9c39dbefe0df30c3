/**
 * The `rest` channel: `POST /webhooks/rest/webhook` answers with the bot's messages of the turn,
 * as one JSON array or (`?stream=true`) as one JSON object per line while they are produced.
 * Unlike Rasa, a turn lost to an unreachable tracker or lock store answers 503 (non-stream mode).
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isParleyError, type ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MessageHandler, OutputChannel, UserMessage } from '../shared/messages.js';
import { createCollectingOutput, outputChannelFrom, restWriter } from './output.js';
import type { ChannelContext, InputChannel } from './types.js';
import {
  acceptAnyContentType,
  messageTextOf,
  NO_MODEL,
  pythonStr,
  readJsonObject,
  registerHealthRoute,
  registerMethodNotAllowed,
  senderOf,
} from './webhook.js';

export interface RestChannelOptions {
  /**
   * Channel name, URL prefix and default input-channel name (a REST-derived channel such as
   * Rasa's `rasa` uses its own).
   * @default 'rest'
   */
  name?: string;
}

interface RestQuery {
  stream?: string | string[];
}

/** `?stream=true` (any case) streams; anything else (`1`, `yes`) does not, as in Rasa. */
function wantsStream(query: RestQuery): boolean {
  const value = Array.isArray(query.stream) ? query.stream[0] : query.stream;
  return typeof value === 'string' && value.toLowerCase() === 'true';
}

/**
 * Run one turn; processing errors are logged and swallowed, as Rasa's REST channel does, and
 * returned so the caller can tell a turn that was not stored.
 */
async function runTurn(handler: MessageHandler, message: UserMessage, logger: Logger): Promise<unknown> {
  try {
    await handler.handleMessage(message);
    return undefined;
  } catch (error) {
    logger.error(
      { event: 'channel.rest.message.failed', senderId: message.senderId, err: error },
      'processing a REST message failed; answering with the messages collected so far',
    );
    return error;
  }
}

/**
 * A tracker or lock store that could not be reached (503 in the error catalogue): the turn was
 * not stored, or not even run. Answering 200 with the replies collected so far (Rasa) would
 * tell the client its message was taken while the conversation forgot it, so the client gets
 * the 503 and sends the message again.
 */
function notStored(error: unknown): error is ParleyError {
  return isParleyError(error) && error.status === 503;
}

function streamTurn(
  reply: FastifyReply,
  build: (output: OutputChannel) => UserMessage | null,
  handler: MessageHandler | null,
  logger: Logger,
): FastifyReply {
  const stream = new PassThrough();
  stream.on('error', () => undefined); // a client that hangs up mid-turn is not an error
  const output = outputChannelFrom(
    'queue',
    restWriter((message) => {
      if (!stream.destroyed && !stream.writableEnded) stream.write(`${JSON.stringify(message)}\n`);
    }),
  );
  const message = build(output);
  const turn = handler && message ? runTurn(handler, message, logger) : Promise.resolve();
  // The stream always ends, even when processing fails (Rasa's stream would hang until a timeout).
  void turn.finally(() => stream.end());
  return reply.type('text/event-stream').send(stream);
}

/** Create the `rest` channel (credentials.yml `rest:` takes no options). */
export function createRestChannel(options: RestChannelOptions = {}): InputChannel {
  const name = options.name ?? 'rest';
  return {
    name,
    urlPrefix: name,
    outputChannel: () => null,
    routes(app: FastifyInstance, context: ChannelContext) {
      const logger = context.logger.child({ module: `channel.${name}` });
      acceptAnyContentType(app);
      registerHealthRoute(app);
      registerMethodNotAllowed(app, '/webhook', ['POST']);
      app.post<{ Querystring: RestQuery }>('/webhook', async (request, reply) => {
        const body = readJsonObject(request.body);
        const senderId = senderOf(body);
        const text = messageTextOf(body);
        const inputChannel = body.input_channel ? pythonStr(body.input_channel) : name;
        const handler = context.handler();
        if (!handler) logger.info({ event: 'channel.rest.no_model' }, NO_MODEL);
        const build = (output: OutputChannel): UserMessage | null => {
          if (text === undefined) {
            // Rasa fails to build the message and swallows the error: 200 with nothing.
            logger.warn(
              { event: 'channel.rest.message.invalid', senderId },
              '`message` must be a string; the message was ignored',
            );
            return null;
          }
          return { text, senderId, inputChannel, output, metadata: body.metadata };
        };
        if (wantsStream(request.query)) return streamTurn(reply, build, handler, logger);
        const collector = createCollectingOutput();
        const message = build(collector);
        const failure = handler && message ? await runTurn(handler, message, logger) : undefined;
        // The server's error handler answers with the error's status and Rasa's error body.
        if (notStored(failure)) throw failure;
        return collector.messages;
      });
    },
  };
}
