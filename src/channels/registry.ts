/**
 * The channel registry: credentials.yml key → channel factory, the only place that knows every
 * channel. Builds the channels a server starts from credentials.yml and `--connector`.
 */
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Credentials } from '../shared/project.js';
import { createCallbackChannel } from './callback.js';
import type { ChannelOptions } from './options.js';
import { createRestChannel } from './rest.js';
import { createSocketIoChannel } from './socketio.js';
import type { InputChannel } from './types.js';

export interface ChannelFactoryContext {
  logger: Logger;
}

/** Builds a channel from its credentials.yml options (null for an empty entry). */
export type ChannelFactory = (options: ChannelOptions | null, context: ChannelFactoryContext) => InputChannel;

/** credentials.yml key → factory. A plug-in channel is one more entry (e.g. a dotted class path). */
export type ChannelRegistry = Map<string, ChannelFactory>;

/** Rasa's built-in channels Parley does not implement: a clear startup error, not a silent skip. */
const UNSUPPORTED_RASA_CHANNELS = new Set([
  'cmdline',
  'facebook',
  'slack',
  'telegram',
  'mattermost',
  'twilio',
  'twilio_voice',
  'botframework',
  'rocketchat',
  'webexteams',
  'hangouts',
]);

/** The Rasa X / Enterprise channel: present in every `rasa init` project, useless without Rasa X. */
const RASA_X_CHANNEL = 'rasa';

const NO_CHANNEL_WARNING =
  'No chat connector configured, falling back to the REST input channel. To connect your bot to ' +
  'another channel, read the docs here: https://rasa.com/docs/rasa/messaging-and-voice-channels';

/** A registry holding the built-in channels under their names and Rasa's class paths. */
export function createChannelRegistry(): ChannelRegistry {
  const rest: ChannelFactory = () => createRestChannel();
  const socketio: ChannelFactory = (options, { logger }) => createSocketIoChannel(options, logger);
  const callback: ChannelFactory = (options, { logger }) => createCallbackChannel(options, logger);
  return new Map<string, ChannelFactory>([
    ['rest', rest],
    ['socketio', socketio],
    ['callback', callback],
    // Rasa also accepts a channel's Python class path as the key.
    ['rasa.core.channels.rest.RestInput', rest],
    ['rasa.core.channels.RestInput', rest],
    ['rasa.core.channels.socketio.SocketIOInput', socketio],
    ['rasa.core.channels.SocketIOInput', socketio],
    ['rasa.core.channels.callback.CallbackInput', callback],
    ['rasa.core.channels.CallbackInput', callback],
  ]);
}

function unknownChannel(key: string, registry: ChannelRegistry): ParleyError {
  const known = [...registry.keys()].filter((name) => !name.includes('.')).sort();
  const unsupported = UNSUPPORTED_RASA_CHANNELS.has(key)
    ? ` Parley does not implement Rasa's '${key}' channel.`
    : '';
  return new ParleyError(
    'PARLEY_ERR_CHANNEL_UNKNOWN',
    `Failed to find input channel class for '${key}'. Unknown input channel. Check your credentials ` +
      'configuration to make sure the mentioned channel is not misspelled. If you are creating your ' +
      `own channel, make sure it is a proper name of a class in a module.${unsupported} ` +
      `Channels Parley knows: ${known.join(', ')}.`,
  );
}

export interface InputChannelsOptions {
  /** `--connector`: start only this channel. */
  connector?: string | null;
  /** @default createChannelRegistry() */
  registry?: ChannelRegistry;
  logger: Logger;
}

/**
 * The channels to start, as `rasa run` chooses them: the connector alone if given, otherwise one
 * per credentials.yml key in file order; no credentials file and no connector → `rest` only.
 * @throws ParleyError PARLEY_ERR_CHANNEL_UNKNOWN for a key no factory is registered under.
 */
export function createInputChannels(credentials: Credentials | null, options: InputChannelsOptions): InputChannel[] {
  const registry = options.registry ?? createChannelRegistry();
  const logger = options.logger.child({ module: 'channels' });
  let entries: Credentials;
  if (options.connector) {
    const connector = options.connector;
    if (credentials && credentials.length > 1) {
      logger.info(
        { event: 'channels.connector.selected', connector },
        `Connecting to channel '${connector}' which was specified by the '--connector' argument. ` +
          "Any other channels will be ignored. To connect to all given channels, omit the '--connector' argument.",
      );
    }
    entries = [{ name: connector, options: credentials?.find((entry) => entry.name === connector)?.options ?? null }];
  } else if (credentials) {
    entries = credentials;
    if (entries.length === 0) {
      logger.warn({ event: 'channels.none' }, 'credentials.yml names no channel; no webhook or socket will be served.');
    }
  } else {
    logger.warn({ event: 'channels.fallback_rest' }, NO_CHANNEL_WARNING);
    entries = [{ name: 'rest', options: null }];
  }

  const channels: InputChannel[] = [];
  const keyOfName = new Map<string, string>();
  for (const entry of entries) {
    if (entry.name === RASA_X_CHANNEL && !registry.has(RASA_X_CHANNEL)) {
      logger.warn(
        { event: 'channels.rasa_x.skipped' },
        "credentials.yml: skipping the 'rasa' channel (Rasa X / Rasa Enterprise), which Parley does not " +
          'provide. Website clients use `rest` or `socketio`; remove the key to silence this warning.',
      );
      continue;
    }
    const factory = registry.get(entry.name);
    if (!factory) throw unknownChannel(entry.name, registry);
    const channel = factory(entry.options, { logger: options.logger });
    const clash = keyOfName.get(channel.name);
    if (clash !== undefined) {
      throw new ParleyError(
        'PARLEY_ERR_CHANNEL_CONFIG',
        `credentials.yml: the keys '${clash}' and '${entry.name}' both start the '${channel.name}' channel; keep one.`,
      );
    }
    keyOfName.set(channel.name, entry.name);
    channels.push(channel);
  }
  return channels;
}
