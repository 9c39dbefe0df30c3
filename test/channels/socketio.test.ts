import { generateKeyPairSync } from 'node:crypto';
import jsonwebtoken from 'jsonwebtoken';
import { Manager } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createSocketIoChannel, newSessionId, socketIoSettingsFrom } from '../../src/channels/socketio.js';
import { silentLogger } from '../../src/logger.js';
import { captureLogs } from './helpers/logs.js';
import { closeServers, startServer } from './helpers/server.js';
import { ConnectRefused, connectClient, GENERATIONS, type TestClient } from './helpers/socket-clients.js';
import { createTestHandler, IMAGE_URL, type TestHandler } from './helpers/test-handler.js';

const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await closeServers();
});

async function socketServer(options: Record<string, unknown> | null = {}, extra: { logger?: ReturnType<typeof silentLogger>; handler?: TestHandler | null } = {}) {
  const handler = extra.handler === undefined ? createTestHandler() : extra.handler;
  const { server, url } = await startServer({
    credentials: [{ name: 'socketio', options }],
    handler,
    ...(extra.logger && { logger: extra.logger }),
  });
  return { server, url, handler: handler as TestHandler };
}

async function connect(...args: Parameters<typeof connectClient>): Promise<TestClient> {
  const client = await connectClient(...args);
  clients.push(client);
  return client;
}

/** A round trip on `client` after which anything the server sent it before has arrived. */
async function settle(client: TestClient): Promise<void> {
  await client.emitWithAck('session_request', { session_id: 'barrier' });
}

describe.each(GENERATIONS)('a socket.io-client %s', (generation) => {
  it('gets session_confirm, then bot_uttered for its user_uttered', async () => {
    const { server, url } = await socketServer({ session_persistence: true });
    const protocols: number[] = [];
    server.io?.engine.on('connection', (socket: { protocol: number }) => protocols.push(socket.protocol));
    const client = await connect(generation, url);
    expect(protocols).toEqual([generation === 'v2' ? 3 : 4]);
    client.emit('session_request', { session_id: null });
    const [[sessionId]] = await client.waitFor('session_confirm');
    expect(sessionId).toMatch(/^[0-9a-f]{32}$/);
    client.emit('user_uttered', { message: 'buttons', session_id: sessionId, customData: { language: 'en' } });
    const [[message]] = await client.waitFor('bot_uttered');
    expect(message).toEqual({
      text: 'Sure?',
      quick_replies: [{ content_type: 'text', title: 'Yes', payload: '/affirm' }],
    });
  });

  it('talks over polling alone and over WebSocket alone', async () => {
    const { url } = await socketServer();
    for (const transports of [['polling'], ['websocket']]) {
      const client = await connect(generation, url, { transports });
      client.emit('user_uttered', { message: 'hi' });
      expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'echo: hi' }]]);
    }
  });
});

describe('session_request', () => {
  it('echoes a supplied session id verbatim to that socket only', async () => {
    const { url } = await socketServer();
    const a = await connect('v4', url);
    const b = await connect('v4', url);
    a.emit('session_request', { session_id: 'abc' });
    expect(await a.waitFor('session_confirm')).toEqual([['abc']]);
    await settle(b);
    expect(b.received('session_confirm')).toEqual([['barrier']]);
  });

  it('generates a fresh 32-hex id for {}, a null id, a null payload and no payload at all', async () => {
    const { url } = await socketServer();
    const client = await connect('v4', url);
    client.emit('session_request', {});
    client.emit('session_request', { session_id: null });
    client.emit('session_request', null);
    client.emit('session_request');
    const confirms = await client.waitFor('session_confirm', 4);
    const ids = confirms.map(([id]) => id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(4);
  });

  it('answers a payload that is not an object as if it were {}', async () => {
    const logs = captureLogs();
    const { url } = await socketServer({}, { logger: logs.logger });
    const client = await connect('v4', url);
    client.emit('session_request', 'garbage');
    const [[id]] = await client.waitFor('session_confirm');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(logs.has('session_request payload is not an object')).toBe(true);
    client.emit('session_request', { session_id: { nested: 1 } });
    const confirms = await client.waitFor('session_confirm', 2);
    expect(confirms[1][0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('confirms a numeric session id as a string and joins that room', async () => {
    const { url } = await socketServer({ session_persistence: true });
    const client = await connect('v4', url);
    client.emit('session_request', { session_id: 42 });
    expect(await client.waitFor('session_confirm')).toEqual([['42']]);
    client.emit('user_uttered', { message: 'hi', session_id: 42 });
    expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'echo: hi' }]]);
  });

  it('calls the acknowledgement after confirming', async () => {
    const { url } = await socketServer();
    const client = await connect('v4', url);
    await client.emitWithAck('session_request', { session_id: 's' });
    expect(client.received('session_confirm')).toEqual([['s']]);
  });

  it('generates ids of 32 lowercase hex characters', () => {
    expect(newSessionId()).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('without session persistence', () => {
  it('uses the socket id as the conversation and replies on the same socket', async () => {
    const { url, handler } = await socketServer();
    const client = await connect('v4', url);
    client.emit('session_request', { session_id: 'ignored' });
    await client.waitFor('session_confirm');
    client.emit('user_uttered', { message: 'hi', session_id: 'ignored' });
    expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'echo: hi' }]]);
    expect(handler.received[0]).toMatchObject({ senderId: client.id(), inputChannel: 'socketio', text: 'hi' });
    expect(handler.received[0].output.name).toBe('socketio');
  });

  it('makes a second connection a different conversation', async () => {
    const { url, handler } = await socketServer();
    const first = await connect('v4', url);
    const second = await connect('v4', url);
    first.emit('user_uttered', { message: 'one' });
    await first.waitFor('bot_uttered');
    second.emit('user_uttered', { message: 'two' });
    await second.waitFor('bot_uttered');
    expect(handler.received.map((message) => message.senderId)).toEqual([first.id(), second.id()]);
    expect(first.id()).not.toBe(second.id());
    expect(first.received('bot_uttered')).toEqual([[{ text: 'echo: one' }]]);
  });

  it('does not put the socket in a room named by its session id', async () => {
    const { server, url } = await socketServer();
    const client = await connect('v4', url);
    client.emit('session_request', { session_id: 'room-x' });
    await client.waitFor('session_confirm');
    await server.outputChannel('socketio')?.sendResponse('room-x', { text: 'to the room' });
    await settle(client);
    expect(client.received('bot_uttered')).toEqual([]);
  });

  it('treats a missing message as an empty text and null as no text', async () => {
    const { url, handler } = await socketServer();
    const client = await connect('v4', url);
    await client.emitWithAck('user_uttered', {});
    await client.emitWithAck('user_uttered', { message: null });
    await client.emitWithAck('user_uttered', { message: '  \n/restart\n' });
    expect(handler.received.map((message) => message.text)).toEqual(['', null, '/restart']);
  });
});

describe('with session persistence', () => {
  it('ignores a message without session_id and warns', async () => {
    const logs = captureLogs();
    const { url, handler } = await socketServer({ session_persistence: true }, { logger: logs.logger });
    const client = await connect('v4', url);
    await client.emitWithAck('user_uttered', { message: 'hi' });
    await client.emitWithAck('user_uttered', { message: 'hi', session_id: '' });
    await settle(client);
    expect(handler.received).toEqual([]);
    expect(client.received('bot_uttered')).toEqual([]);
    expect(logs.has('A message without a valid session_id was received. This message will be ignored.')).toBe(true);
  });

  it('sends every reply to all tabs in the room, and none to a socket that never joined it', async () => {
    const { url, handler } = await socketServer({ session_persistence: true });
    const a = await connect('v4', url);
    const b = await connect('v3', url);
    const c = await connect('v4', url);
    for (const tab of [a, b]) {
      tab.emit('session_request', { session_id: 's1' });
      await tab.waitFor('session_confirm');
    }
    a.emit('user_uttered', { message: 'two messages', session_id: 's1' });
    const expected = [[{ text: 'first' }], [{ text: 'second' }]];
    expect(await a.waitFor('bot_uttered', 2)).toEqual(expected);
    expect(await b.waitFor('bot_uttered', 2)).toEqual(expected);

    await c.emitWithAck('user_uttered', { message: 'from c', session_id: 's1' });
    await a.waitFor('bot_uttered', 3);
    await settle(c);
    expect(c.received('bot_uttered')).toEqual([]);
    expect(handler.received.map((message) => message.senderId)).toEqual(['s1', 's1']);
  });

  it('reads the string "true" as on', async () => {
    const { url, handler } = await socketServer({ session_persistence: 'True' });
    const client = await connect('v4', url);
    client.emit('session_request', { session_id: 'persist' });
    await client.waitFor('session_confirm');
    client.emit('user_uttered', { message: 'hi', session_id: 'persist' });
    await client.waitFor('bot_uttered');
    expect(handler.received[0].senderId).toBe('persist');
  });

  it('lets a socket that reconnects rejoin its room with a new session_request', async () => {
    const { url } = await socketServer({ session_persistence: true });
    const first = await connect('v4', url);
    first.emit('session_request', { session_id: 'keep' });
    await first.waitFor('session_confirm');
    first.close();
    const again = await connect('v4', url);
    again.emit('session_request', { session_id: 'keep' });
    await again.waitFor('session_confirm');
    again.emit('user_uttered', { message: 'back', session_id: 'keep' });
    expect(await again.waitFor('bot_uttered')).toEqual([[{ text: 'echo: back' }]]);
  });
});

describe('bot message payloads over Socket.IO', () => {
  async function replies(text: string, count: number): Promise<unknown[]> {
    const { url } = await socketServer();
    const client = await connect('v4', url);
    client.emit('user_uttered', { message: text });
    return (await client.waitFor('bot_uttered', count)).map(([payload]) => payload);
  }

  it('splits a text with buttons and puts the buttons on the last part', async () => {
    expect(await replies('split buttons', 2)).toEqual([
      { text: 'a', quick_replies: [] },
      { text: 'b', quick_replies: [{ content_type: 'text', title: 'Yes', payload: '/affirm' }] },
    ]);
  });

  it('sends elements as one generic template per element', async () => {
    const payloads = await replies('elements', 2);
    expect(payloads[0]).toEqual({
      attachment: {
        type: 'template',
        payload: { template_type: 'generic', elements: { title: 't1', subtitle: 's1', buttons: [{ title: 'B', payload: '/b' }] } },
      },
    });
  });

  it('sends an image as an image attachment after its text', async () => {
    expect(await replies('image', 2)).toEqual([
      { text: 'look at this' },
      { attachment: { type: 'image', payload: { src: IMAGE_URL } } },
    ]);
  });

  it('emits custom.data as the event argument', async () => {
    expect(await replies('custom data', 1)).toEqual([{ x: 1 }]);
  });

  it('emits a custom payload without data whole', async () => {
    expect(await replies('custom plain', 2)).toEqual([
      { text: 'look at this' },
      { some_random_arg: 'value', another_arg: 'value2' },
    ]);
  });

  it('uses the configured event names', async () => {
    const { url } = await socketServer({ user_message_evt: 'say', bot_message_evt: 'answer' });
    const client = await connect('v4', url, { events: ['answer', 'bot_uttered'] });
    client.emit('say', { message: 'hi' });
    expect(await client.waitFor('answer')).toEqual([[{ text: 'echo: hi' }]]);
    client.emit('user_uttered', { message: 'ignored' });
    await settle(client);
    expect(client.received('bot_uttered')).toEqual([]);
  });

  it('emits each message as soon as the engine produces it, before the turn ends', async () => {
    const handler = createTestHandler();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { url } = await socketServer({}, {
      handler: {
        received: handler.received,
        async handleMessage(message) {
          await message.output.sendResponse(message.senderId, { text: 'early' });
          await gate;
          await message.output.sendResponse(message.senderId, { text: 'late' });
        },
      },
    });
    const client = await connect('v4', url);
    const ack = client.emitWithAck('user_uttered', { message: 'hi' });
    expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'early' }]]);
    release();
    await ack;
    expect(client.received('bot_uttered')).toEqual([[{ text: 'early' }], [{ text: 'late' }]]);
  });

  it('acknowledges a user message only after the whole turn', async () => {
    const { url } = await socketServer();
    const client = await connect('v4', url);
    const ackArgs = await client.emitWithAck('user_uttered', { message: 'two messages' });
    expect(ackArgs).toEqual([]);
    expect(client.received('bot_uttered')).toHaveLength(2);
  });

  it('sends nothing while no model is loaded, and answers once one is', async () => {
    const { server, url } = await socketServer({}, { handler: null });
    const client = await connect('v4', url);
    await client.emitWithAck('user_uttered', { message: 'hi' });
    expect(client.received('bot_uttered')).toEqual([]);
    server.setHandler(createTestHandler());
    client.emit('user_uttered', { message: 'hi' });
    expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'echo: hi' }]]);
  });

  it('lets the server push messages to a socket through its output channel', async () => {
    const { server, url } = await socketServer();
    const client = await connect('v4', url);
    await server.outputChannel('socketio')?.sendResponse(client.id(), { text: 'reminder' });
    expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'reminder' }]]);
  });
});

describe('metadata_key', () => {
  it('copies the configured field into the message metadata', async () => {
    const { url, handler } = await socketServer({ metadata_key: 'customData' });
    const client = await connect('v4', url);
    await client.emitWithAck('user_uttered', { message: 'hi', customData: { lang: 'en' } });
    expect(handler.received[0].metadata).toEqual({ lang: 'en' });
  });

  it('ignores other fields with the default key', async () => {
    const { url, handler } = await socketServer();
    const client = await connect('v4', url);
    await client.emitWithAck('user_uttered', { message: 'hi', customData: { lang: 'en' } });
    await client.emitWithAck('user_uttered', { message: 'hi', metadata: { page: '/' } });
    expect(handler.received.map((message) => message.metadata)).toEqual([{}, { page: '/' }]);
  });

  it('parses a JSON string under the key', async () => {
    const { url, handler } = await socketServer({ metadata_key: 'customData' });
    const client = await connect('v4', url);
    await client.emitWithAck('user_uttered', { message: 'hi', customData: '{"lang":"en"}' });
    expect(handler.received[0].metadata).toEqual({ lang: 'en' });
  });

  it('drops a message whose metadata string is not JSON, with a warning', async () => {
    const logs = captureLogs();
    const { url, handler } = await socketServer({ metadata_key: 'customData' }, { logger: logs.logger });
    const client = await connect('v4', url);
    await client.emitWithAck('user_uttered', { message: 'hi', customData: '{oops' });
    expect(handler.received).toEqual([]);
    expect(logs.has('`customData` is a string but not valid JSON')).toBe(true);
  });
});

describe('JWT-protected sockets', () => {
  const key = 'random_key123';
  const valid = jsonwebtoken.sign({ payload: 'value' }, key, { algorithm: 'HS256' });

  it('accepts a token signed with jwt_key, with or without "Bearer "', async () => {
    const { url } = await socketServer({ jwt_key: key, jwt_method: 'HS256' });
    for (const token of [valid, `Bearer ${valid}`]) {
      const client = await connect('v4', url, { auth: { token } });
      client.emit('user_uttered', { message: 'hi' });
      expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'echo: hi' }]]);
    }
  });

  it('verifies an RS256 token with a public key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const { url } = await socketServer({ jwt_key: pem, jwt_method: 'RS256' });
    const token = jsonwebtoken.sign({ user: 'u' }, privateKey, { algorithm: 'RS256' });
    const client = await connect('v4', url, { auth: { token } });
    client.emit('user_uttered', { message: 'hi' });
    expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'echo: hi' }]]);
    const hs256 = jsonwebtoken.sign({ user: 'u' }, 'shared secret');
    await expect(connectClient('v4', url, { auth: { token: hs256 } })).rejects.toBeInstanceOf(ConnectRefused);
  });

  it('refuses a connection without a token', async () => {
    const { url } = await socketServer({ jwt_key: key });
    await expect(connectClient('v4', url)).rejects.toThrowError(new ConnectRefused('Connection rejected by server'));
    await expect(connectClient('v3', url, { auth: {} })).rejects.toBeInstanceOf(ConnectRefused);
  });

  it('refuses a token signed with another key and logs "JWT public key invalid."', async () => {
    const logs = captureLogs();
    const { url } = await socketServer({ jwt_key: key }, { logger: logs.logger });
    const forged = jsonwebtoken.sign({ payload: 'value' }, 'another key', { algorithm: 'HS256' });
    await expect(connectClient('v4', url, { auth: { token: forged } })).rejects.toBeInstanceOf(ConnectRefused);
    expect(logs.has('JWT public key invalid.')).toBe(true);
  });

  it('refuses an expired token, one with an audience, and one of another algorithm', async () => {
    const logs = captureLogs();
    const { url } = await socketServer({ jwt_key: key }, { logger: logs.logger });
    const tokens = [
      jsonwebtoken.sign({ payload: 'value', exp: Math.floor(Date.now() / 1000) - 60 }, key),
      jsonwebtoken.sign({ payload: 'value', aud: 'someone' }, key),
      jsonwebtoken.sign({ payload: 'value' }, key, { algorithm: 'HS512' }),
    ];
    for (const token of tokens) {
      await expect(connectClient('v4', url, { auth: { token } })).rejects.toBeInstanceOf(ConnectRefused);
    }
    expect(logs.entries().filter((entry) => entry.msg === 'Failed to decode bearer token.')).toHaveLength(3);
  });

  it('refuses EIO3 clients, which cannot send a token', async () => {
    const { url } = await socketServer({ jwt_key: key });
    await expect(connectClient('v2', url)).rejects.toBeInstanceOf(ConnectRefused);
  });
});

describe('namespace and socketio_path', () => {
  it('serves and emits on the configured namespace', async () => {
    const { url } = await socketServer({ namespace: '/chat', session_persistence: true });
    for (const generation of GENERATIONS) {
      const client = await connect(generation, url, { namespace: '/chat' });
      client.emit('session_request', { session_id: `ns-${generation}` });
      await client.waitFor('session_confirm');
      client.emit('user_uttered', { message: 'hi', session_id: `ns-${generation}` });
      expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'echo: hi' }]]);
    }
  });

  it('does not answer on the default namespace when another is configured', async () => {
    const { url, handler } = await socketServer({ namespace: 'chat' });
    // Both sockets share one Engine.IO connection, so the server reads their packets in order.
    const manager = new Manager(url, { reconnection: false });
    const root = manager.socket('/');
    const chat = manager.socket('/chat');
    try {
      await Promise.all([root, chat].map((socket) => new Promise((resolve) => socket.on('connect', () => resolve(null)))));
      root.emit('user_uttered', { message: 'hi' });
      await chat.emitWithAck('session_request', {});
      expect(handler.received).toEqual([]);
    } finally {
      root.close();
      chat.close();
    }
  });

  it('serves Engine.IO on a custom socketio_path', async () => {
    const { url } = await socketServer({ socketio_path: '/bot/socket.io' });
    const client = await connect('v3', url, { path: '/bot/socket.io' });
    client.emit('user_uttered', { message: 'hi' });
    expect(await client.waitFor('bot_uttered')).toEqual([[{ text: 'echo: hi' }]]);
    const atDefault = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    expect(atDefault.status).toBe(404);
  });
});

describe('the socketio channel over HTTP', () => {
  it('answers its health route and serves Engine.IO under /socket.io', async () => {
    const { url } = await socketServer({ metadata_key: 'customData' });
    expect(await (await fetch(`${url}/webhooks/socketio/`)).json()).toEqual({ status: 'ok' });
    const handshake = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(200);
    const body = await handshake.text();
    const open = JSON.parse(body.slice(1)) as Record<string, unknown>;
    expect(open).toMatchObject({ upgrades: ['websocket'], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1e6 });
    expect(handshake.headers.get('set-cookie')).toBeNull();
  });

  it('accepts the Engine.IO 3 handshake of older Rasa Webchat builds', async () => {
    const { url } = await socketServer();
    const handshake = await fetch(`${url}/socket.io/?EIO=3&transport=polling`);
    expect(handshake.status).toBe(200);
  });

  it('does not serve the client bundle', async () => {
    const { url } = await socketServer();
    expect((await fetch(`${url}/socket.io/socket.io.js`)).status).not.toBe(200);
  });
});

describe('garbage on the socket', () => {
  it('logs and ignores bad payloads while other clients keep being served', async () => {
    const logs = captureLogs();
    const { url, handler } = await socketServer({}, { logger: logs.logger });
    const bad = await connect('v4', url);
    const good = await connect('v2', url);
    for (const payload of ['just text', 42, null, ['a'], { message: 42 }, { message: { nested: true } }]) {
      await bad.emitWithAck('user_uttered', payload);
    }
    bad.emit('user_uttered');
    await settle(bad);
    expect(handler.received).toEqual([]);
    expect(bad.received('bot_uttered')).toEqual([]);
    expect(logs.entries().filter((entry) => entry.event === 'channel.socketio.message.invalid').length).toBeGreaterThanOrEqual(6);

    good.emit('user_uttered', { message: 'still there?' });
    expect(await good.waitFor('bot_uttered')).toEqual([[{ text: 'echo: still there?' }]]);
    bad.emit('user_uttered', { message: 'and me?' });
    expect(await bad.waitFor('bot_uttered')).toEqual([[{ text: 'echo: and me?' }]]);
  });

  it('logs a processing error and still acknowledges the message', async () => {
    const logs = captureLogs();
    const { url } = await socketServer({}, { logger: logs.logger });
    const client = await connect('v4', url);
    await client.emitWithAck('user_uttered', { message: 'fail' });
    expect(client.received('bot_uttered')).toEqual([[{ text: 'before the failure' }]]);
    expect(logs.entries().some((entry) => entry.event === 'channel.socketio.message.failed')).toBe(true);
  });
});

describe('socketio options', () => {
  it("has Rasa's defaults", () => {
    expect(socketIoSettingsFrom(null, silentLogger())).toEqual({
      userMessageEvent: 'user_uttered',
      botMessageEvent: 'bot_uttered',
      namespace: '/',
      sessionPersistence: false,
      socketioPath: '/socket.io',
      jwtKey: null,
      jwtMethod: 'HS256',
      metadataKey: 'metadata',
      limits: { maxMessagesPerMinute: 60, maxMessageLength: 10_000, maxMetadataBytes: 32_768 },
      uploads: null,
    });
  });

  it('reads the string "false" as off and logs that it did', () => {
    const logs = captureLogs();
    expect(socketIoSettingsFrom({ session_persistence: 'false' }, logs.logger).sessionPersistence).toBe(false);
    expect(logs.has('Parley reads it as false')).toBe(true);
  });

  it('refuses an option of the wrong type', () => {
    expect(() => createSocketIoChannel({ namespace: ['a'] }, silentLogger())).toThrowError(/`namespace`.*must be a string/);
  });
});
