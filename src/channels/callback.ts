/**
 * The `callback` channel: `POST /webhooks/callback/webhook` takes a message like the REST channel,
 * POSTs each bot message of the turn to the configured `url`, then answers `success`.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OutputChannel } from '../shared/messages.js';
import { deliverMessage, type CallbackEndpoint } from './callback-delivery.js';
import { mapOption, numberOption, stringOption, type ChannelOptions } from './options.js';
import { outputChannelFrom, restWriter } from './output.js';
import type { ChannelContext, InputChannel } from './types.js';
import {
  acceptAnyContentType,
  messageTextOf,
  NO_MODEL,
  readJsonObject,
  registerHealthRoute,
  registerMethodNotAllowed,
  senderOf,
} from './webhook.js';

export interface CallbackChannelSettings {
  /**
   * Pauses before the retries of a POST that got no HTTP answer; one retry per entry.
   * @default [500, 1000]
   */
  retryDelaysMs?: readonly number[];
}

/** @default 30 seconds per POST (credentials.yml `timeout`). Rasa waits 300 s. */
const DEFAULT_TIMEOUT_SECONDS = 30;

function stringMap(values: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) result[key] = typeof value === 'string' ? value : String(value);
  }
  return result;
}

/** Turn credentials.yml `callback:` into an endpoint; refuses what cannot work at startup. */
export function callbackEndpointFrom(
  options: ChannelOptions | null,
  settings: CallbackChannelSettings = {},
): CallbackEndpoint {
  const url = options ? stringOption('callback', options, 'url', null) : null;
  if (!options || !url) {
    throw new ParleyError(
      'PARLEY_ERR_CHANNEL_CONFIG',
      'credentials.yml: the callback channel requires `url`, the address bot messages are POSTed to, ' +
        'for example:\n  callback:\n    url: "http://localhost:5034/bot"',
    );
  }
  let target: URL;
  try {
    target = new URL(url);
  } catch (error) {
    throw new ParleyError(
      'PARLEY_ERR_CHANNEL_CONFIG',
      `credentials.yml: callback \`url\` '${url}' is not a valid URL.`,
      { cause: error },
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new ParleyError(
      'PARLEY_ERR_CHANNEL_CONFIG',
      `credentials.yml: callback \`url\` must start with http:// or https://, not '${target.protocol}'.`,
    );
  }
  for (const [key, value] of Object.entries(stringMap(mapOption('callback', options, 'params')))) {
    target.searchParams.append(key, value);
  }
  const token = stringOption('callback', options, 'token', null);
  if (token !== null) target.searchParams.append(stringOption('callback', options, 'token_name', 'token'), token);

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...stringMap(mapOption('callback', options, 'headers')),
  };
  const basicAuth = mapOption('callback', options, 'basic_auth');
  if (Object.keys(basicAuth).length > 0) {
    const credentials = `${String(basicAuth.username ?? '')}:${String(basicAuth.password ?? '')}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }

  // Rasa reads `cafile` on the first POST; a missing file is reported at startup here instead.
  const cafile = stringOption('callback', options, 'cafile', null);
  let ca: Buffer | undefined;
  if (cafile !== null) {
    try {
      ca = readFileSync(cafile);
    } catch (error) {
      throw new ParleyError(
        'PARLEY_ERR_CHANNEL_CONFIG',
        `credentials.yml: callback \`cafile\` '${cafile}' cannot be read (${(error as Error).message}).`,
        { cause: error },
      );
    }
  }
  return {
    url: target,
    headers,
    ca,
    timeoutMs: numberOption('callback', options, 'timeout', DEFAULT_TIMEOUT_SECONDS) * 1000,
    retryDelaysMs: settings.retryDelaysMs ?? [500, 1000],
  };
}

/** An output named `callback` whose POSTs run one after another; `settled()` waits for them all. */
export interface CallbackOutput extends OutputChannel {
  settled(): Promise<void>;
}

export function createCallbackOutput(endpoint: CallbackEndpoint, logger: Logger): CallbackOutput {
  let queue: Promise<void> = Promise.resolve();
  const channel = outputChannelFrom(
    'callback',
    restWriter((message) => {
      queue = queue.then(() => deliverMessage(endpoint, message, logger));
      return queue;
    }),
  );
  return { name: channel.name, sendResponse: channel.sendResponse, settled: () => queue };
}

/** Create the `callback` channel from its credentials.yml options. */
export function createCallbackChannel(
  options: ChannelOptions | null,
  logger: Logger,
  settings: CallbackChannelSettings = {},
): InputChannel {
  const endpoint = callbackEndpointFrom(options, settings);
  const channelLogger = logger.child({ module: 'channel.callback' });
  return {
    name: 'callback',
    urlPrefix: 'callback',
    outputChannel: () => createCallbackOutput(endpoint, channelLogger),
    routes(app: FastifyInstance, context: ChannelContext) {
      acceptAnyContentType(app);
      registerHealthRoute(app);
      registerMethodNotAllowed(app, '/webhook', ['POST']);
      app.post('/webhook', async (request, reply) => {
        const body = readJsonObject(request.body);
        const senderId = senderOf(body);
        const text = messageTextOf(body);
        if (text === undefined) {
          throw new ParleyError('PARLEY_ERR_BAD_REQUEST', '`message` must be a string (the user text) or null.');
        }
        const handler = context.handler();
        if (handler) {
          const output = createCallbackOutput(endpoint, channelLogger);
          // Rasa answers only after the turn and every POST of it; a processing error is a 500.
          try {
            await handler.handleMessage({ text, senderId, inputChannel: 'callback', output });
          } finally {
            await output.settled();
          }
        } else {
          channelLogger.info({ event: 'channel.callback.no_model' }, NO_MODEL);
        }
        return reply.type('text/plain; charset=utf-8').send('success');
      });
    },
  };
}
