import { describe, expect, it } from 'vitest';
import { createChannelRegistry, createInputChannels } from '../../src/channels/registry.js';
import { createRestChannel } from '../../src/channels/rest.js';
import { ParleyError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import type { Credentials } from '../../src/shared/project.js';
import { captureLogs } from './helpers/logs.js';

const logger = silentLogger();

function errorOf(run: () => unknown): ParleyError {
  try {
    run();
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error('expected a ParleyError');
}

describe('choosing channels from credentials.yml', () => {
  it('starts one channel per key, in file order', () => {
    const credentials: Credentials = [
      { name: 'socketio', options: { session_persistence: true } },
      { name: 'rest', options: null },
      { name: 'callback', options: { url: 'http://localhost:5034/bot' } },
    ];
    expect(createInputChannels(credentials, { logger }).map((channel) => channel.name)).toEqual([
      'socketio',
      'rest',
      'callback',
    ]);
  });

  it('starts only the --connector channel, with its options, and says the others are ignored', () => {
    const logs = captureLogs();
    const credentials: Credentials = [
      { name: 'rest', options: null },
      { name: 'callback', options: { url: 'http://localhost:5034/bot' } },
    ];
    const channels = createInputChannels(credentials, { connector: 'callback', logger: logs.logger });
    expect(channels.map((channel) => channel.name)).toEqual(['callback']);
    expect(logs.has("Connecting to channel 'callback' which was specified by the '--connector' argument.")).toBe(true);
  });

  it('starts the connector without options when there is no credentials file', () => {
    expect(createInputChannels(null, { connector: 'socketio', logger }).map((channel) => channel.name)).toEqual(['socketio']);
  });

  it("falls back to rest with Rasa's warning when there is neither credentials nor connector", () => {
    const logs = captureLogs();
    expect(createInputChannels(null, { logger: logs.logger }).map((channel) => channel.name)).toEqual(['rest']);
    expect(logs.has('No chat connector configured, falling back to the REST input channel.')).toBe(true);
  });

  it('starts nothing for a credentials file without keys, and warns', () => {
    const logs = captureLogs();
    expect(createInputChannels([], { logger: logs.logger })).toEqual([]);
    expect(logs.has('credentials.yml names no channel')).toBe(true);
  });

  it("accepts Rasa's class path of a built-in channel as the key or the connector", () => {
    const byKey = createInputChannels([{ name: 'rasa.core.channels.rest.RestInput', options: null }], { logger });
    const byConnector = createInputChannels(null, { connector: 'rasa.core.channels.rest.RestInput', logger });
    expect(byKey.map((channel) => channel.name)).toEqual(['rest']);
    expect(byConnector.map((channel) => channel.name)).toEqual(['rest']);
  });

  it('skips the Rasa X channel `rasa` with a warning', () => {
    const logs = captureLogs();
    const credentials: Credentials = [
      { name: 'rest', options: null },
      { name: 'rasa', options: { url: 'http://localhost:5002/api' } },
    ];
    expect(createInputChannels(credentials, { logger: logs.logger }).map((channel) => channel.name)).toEqual(['rest']);
    expect(logs.entries().some((entry) => entry.event === 'channels.rasa_x.skipped')).toBe(true);
  });

  it("refuses an unsupported Rasa channel with Rasa's message and the names Parley knows", () => {
    const error = errorOf(() => createInputChannels([{ name: 'facebook', options: { verify: 'x' } }], { logger }));
    expect(error.code).toBe('PARLEY_ERR_CHANNEL_UNKNOWN');
    expect(error.message).toContain("Failed to find input channel class for 'facebook'. Unknown input channel.");
    expect(error.message).toContain("Parley does not implement Rasa's 'facebook' channel.");
    expect(error.message).toContain('Channels Parley knows: callback, rest, socketio.');
  });

  it('refuses a --connector it does not know', () => {
    const error = errorOf(() => createInputChannels(null, { connector: 'slack', logger }));
    expect(error.code).toBe('PARLEY_ERR_CHANNEL_UNKNOWN');
  });

  it('refuses a custom Python channel class path', () => {
    const error = errorOf(() => createInputChannels([{ name: 'addons.custom_channel.MyIO', options: null }], { logger }));
    expect(error.code).toBe('PARLEY_ERR_CHANNEL_UNKNOWN');
    expect(error.message).toContain("'addons.custom_channel.MyIO'");
    expect(error.message).not.toContain('does not implement');
  });

  it('starts a plug-in registered under its key', () => {
    const registry = createChannelRegistry();
    registry.set('addons.custom_channel.MyIO', () => ({ ...createRestChannel({ name: 'myio' }) }));
    const channels = createInputChannels([{ name: 'addons.custom_channel.MyIO', options: null }], { registry, logger });
    expect(channels.map((channel) => channel.name)).toEqual(['myio']);
  });

  it('refuses two keys that start the same channel', () => {
    const error = errorOf(() =>
      createInputChannels(
        [
          { name: 'rest', options: null },
          { name: 'rasa.core.channels.RestInput', options: null },
        ],
        { logger },
      ),
    );
    expect(error.code).toBe('PARLEY_ERR_CHANNEL_CONFIG');
  });

  it('refuses an empty callback entry', () => {
    const error = errorOf(() => createInputChannels([{ name: 'callback', options: null }], { logger }));
    expect(error.code).toBe('PARLEY_ERR_CHANNEL_CONFIG');
    expect(error.message).toContain('callback channel requires `url`');
  });
});
