import { afterEach, describe, expect, it } from 'vitest';
import { createRestChannel } from '../../src/channels/rest.js';
import { ParleyError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import type { MessageHandler } from '../../src/shared/messages.js';
import { createServer, type ParleyServer, type ServerOptions } from '../../src/server/app.js';
import { captureLogs } from './helpers/logs.js';
import { createTestHandler, IMAGE_URL, type TestHandler } from './helpers/test-handler.js';

const servers: ParleyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function restServer(options: Partial<ServerOptions> = {}): { server: ParleyServer; handler: TestHandler } {
  const handler = createTestHandler();
  const server = createServer({
    logger: silentLogger(),
    credentials: [{ name: 'rest', options: null }],
    handler,
    ...options,
  });
  servers.push(server);
  return { server, handler };
}

function post(server: ParleyServer, payload: unknown, options: { url?: string; contentType?: string } = {}) {
  return server.app.inject({
    method: 'POST',
    url: options.url ?? '/webhooks/rest/webhook',
    headers: { 'content-type': options.contentType ?? 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('the rest channel', () => {
  it('answers its health route with {"status":"ok"}', async () => {
    const { server } = restServer();
    for (const url of ['/webhooks/rest/', '/webhooks/rest']) {
      const response = await server.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    }
  });

  it('answers a message with a JSON array addressed to the sender', async () => {
    const { server } = restServer();
    const response = await post(server, { sender: 'u1', message: 'two messages' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual([
      { recipient_id: 'u1', text: 'first' },
      { recipient_id: 'u1', text: 'second' },
    ]);
  });

  it('parses the body as JSON whatever the Content-Type says', async () => {
    const { server } = restServer();
    const asJson = await post(server, { sender: 'u1', message: 'hi' });
    const asText = await post(server, { sender: 'u1', message: 'hi' }, { contentType: 'text/plain' });
    const asForm = await post(server, { sender: 'u1', message: 'hi' }, { contentType: 'application/x-www-form-urlencoded' });
    expect(asText.statusCode).toBe(200);
    expect(asText.json()).toEqual(asJson.json());
    expect(asForm.json()).toEqual(asJson.json());
  });

  it('accepts a body sent without any Content-Type', async () => {
    const { server } = restServer();
    const response = await server.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: '{"message":"hi"}' });
    expect(response.json()).toEqual([{ recipient_id: 'default', text: 'echo: hi' }]);
  });

  it('accepts the webhook path with a trailing slash', async () => {
    const { server } = restServer();
    const response = await post(server, { sender: 'u1', message: 'hi' }, { url: '/webhooks/rest/webhook/' });
    expect(response.json()).toEqual([{ recipient_id: 'u1', text: 'echo: hi' }]);
  });

  it('uses the conversation "default" when there is no sender', async () => {
    const { server, handler } = restServer();
    await post(server, { message: 'hi' });
    await post(server, { sender: null, message: 'hi' });
    expect(handler.received.map((message) => message.senderId)).toEqual(['default', 'default']);
  });

  it('refuses a sender longer than 2,048 characters with 400 and a message naming the field, and accepts 2,048', async () => {
    const { server, handler } = restServer();
    const refused = await post(server, { sender: 'x'.repeat(2049), message: 'hi' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('`sender` has 2049 characters');
    const accepted = await post(server, { sender: 'y'.repeat(2048), message: 'hi' });
    expect(accepted.statusCode).toBe(200);
    expect(handler.received.map((message) => message.senderId.length)).toEqual([2048]);
  });

  it('turns a numeric sender into its string', async () => {
    const { server, handler } = restServer();
    const response = await post(server, { sender: 1234567890, message: 'hi' });
    await post(server, { sender: 123, message: 'hi' });
    expect(handler.received.map((message) => message.senderId)).toEqual(['1234567890', '123']);
    expect(response.json()[0].recipient_id).toBe('1234567890');
  });

  it('trims the user text', async () => {
    const { server, handler } = restServer();
    await post(server, { sender: 'u1', message: '\n/restart\n' });
    expect(handler.received[0].text).toBe('/restart');
  });

  it('hands a missing or null message to the engine as a message without text', async () => {
    const { server, handler } = restServer();
    await post(server, { sender: 'u1' });
    await post(server, { sender: 'u1', message: null });
    expect(handler.received.map((message) => message.text)).toEqual([null, null]);
  });

  it('passes metadata through as the message metadata', async () => {
    const { server, handler } = restServer();
    await post(server, { sender: 'u1', message: 'hi', metadata: { a: 1 } });
    expect(handler.received[0].metadata).toEqual({ a: 1 });
  });

  it('records the input channel rest unless the body overrides it', async () => {
    const { server, handler } = restServer();
    await post(server, { sender: 'u1', message: 'hi' });
    await post(server, { sender: 'u1', message: 'hi', input_channel: null });
    await post(server, { sender: 'u1', message: 'hi', input_channel: '' });
    await post(server, { sender: 'u1', message: 'hi', input_channel: 'custom' });
    expect(handler.received.map((message) => message.inputChannel)).toEqual(['rest', 'rest', 'rest', 'custom']);
  });

  it('gives the engine the output channel named collector', async () => {
    const { server, handler } = restServer();
    await post(server, { sender: 'u1', message: 'hi' });
    expect(handler.received[0].output.name).toBe('collector');
  });

  it('serialises buttons, images, custom payloads and elements in the REST shape', async () => {
    const { server } = restServer();
    expect((await post(server, { sender: 'u1', message: 'buttons' })).json()).toEqual([
      { recipient_id: 'u1', text: 'Sure?', buttons: [{ title: 'Yes', payload: '/affirm', extra: 1 }] },
    ]);
    expect((await post(server, { sender: 'u1', message: 'split buttons' })).json()).toEqual([
      { recipient_id: 'u1', text: 'a\n\nb', buttons: [{ title: 'Yes', payload: '/affirm' }] },
    ]);
    expect((await post(server, { sender: 'u1', message: 'image' })).json()).toEqual([
      { recipient_id: 'u1', text: 'look at this' },
      { recipient_id: 'u1', image: IMAGE_URL },
    ]);
    expect((await post(server, { sender: 'u1', message: 'custom data' })).json()).toEqual([
      { recipient_id: 'u1', custom: { data: { x: 1 } } },
    ]);
    expect((await post(server, { sender: 'u1', message: 'elements' })).json()).toEqual([
      { recipient_id: 'u1', text: 't1 : s1', buttons: [{ title: 'B', payload: '/b' }] },
      { recipient_id: 'u1', text: 't2 : s2', buttons: [] },
    ]);
  });

  it('answers 200 [] for a message that is not a string, and logs why', async () => {
    const logs = captureLogs();
    const { server, handler } = restServer({ logger: logs.logger });
    const response = await post(server, { sender: 'u1', message: 42 });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([]);
    expect(handler.received).toEqual([]);
    expect(logs.has('`message` must be a string')).toBe(true);
  });

  it('answers 200 [] while no model is loaded', async () => {
    const { server } = restServer({ handler: null });
    const response = await post(server, { sender: 'u1', message: 'hi' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([]);
  });

  it('sends messages to the handler swapped in after startup', async () => {
    const { server } = restServer({ handler: null });
    server.setHandler(createTestHandler());
    expect((await post(server, { sender: 'u1', message: 'hi' })).json()).toEqual([{ recipient_id: 'u1', text: 'echo: hi' }]);
    server.setHandler(null);
    expect((await post(server, { sender: 'u1', message: 'hi' })).json()).toEqual([]);
  });

  it('logs a processing error and answers 200 with what was collected before it', async () => {
    const logs = captureLogs();
    const { server } = restServer({ logger: logs.logger });
    const response = await post(server, { sender: 'u1', message: 'fail' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([{ recipient_id: 'u1', text: 'before the failure' }]);
    expect(logs.entries().some((entry) => entry.event === 'channel.rest.message.failed')).toBe(true);
  });

  it('answers 503 with the error, not the replies, when a store failed and the turn was not stored', async () => {
    const storeDown: MessageHandler = {
      async handleMessage(message) {
        await message.output.sendResponse(message.senderId, { text: 'never stored' });
        throw new ParleyError('PARLEY_ERR_STORE_UNAVAILABLE', 'Cannot append to the tracker store: connection lost');
      },
    };
    const { server } = restServer({ handler: storeDown, logger: captureLogs().logger });
    const response = await post(server, { sender: 'u1', message: 'hi' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'failure',
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'Cannot append to the tracker store: connection lost',
    });
  });

  it('ignores query parameters such as the token rasa shell sends', async () => {
    const { server } = restServer();
    const response = await post(server, { sender: 'u1', message: 'hi' }, { url: '/webhooks/rest/webhook?token=abc' });
    expect(response.json()).toEqual([{ recipient_id: 'u1', text: 'echo: hi' }]);
  });
});

describe('the rest channel in stream mode', () => {
  it('writes one JSON object per line, equal to the items of the non-stream answer', async () => {
    const { server } = restServer();
    const plain = (await post(server, { sender: 'u1', message: 'image' })).json() as unknown[];
    const streamed = await post(server, { sender: 'u1', message: 'image' }, { url: '/webhooks/rest/webhook?stream=true' });
    expect(streamed.statusCode).toBe(200);
    expect(streamed.headers['content-type']).toBe('text/event-stream');
    const lines = streamed.body.split('\n').filter((line) => line !== '');
    expect(lines.map((line) => JSON.parse(line))).toEqual(plain);
    expect(streamed.body.endsWith('\n')).toBe(true);
  });

  it('streams for any capitalisation of true, as rasa shell sends it with a token', async () => {
    const { server, handler } = restServer();
    const response = await post(server, { sender: 'u1', message: 'hi' }, { url: '/webhooks/rest/webhook?stream=TRUE&token=t' });
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(JSON.parse(response.body.trim())).toEqual({ recipient_id: 'u1', text: 'echo: hi' });
    expect(handler.received[0].output.name).toBe('queue');
  });

  it('does not stream for stream=1 or stream=yes', async () => {
    const { server } = restServer();
    for (const value of ['1', 'yes']) {
      const response = await post(server, { sender: 'u1', message: 'hi' }, { url: `/webhooks/rest/webhook?stream=${value}` });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual([{ recipient_id: 'u1', text: 'echo: hi' }]);
    }
  });

  it('ends the stream after a processing error', async () => {
    const { server } = restServer({ logger: captureLogs().logger });
    const response = await post(server, { sender: 'u1', message: 'fail' }, { url: '/webhooks/rest/webhook?stream=true' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('{"recipient_id":"u1","text":"before the failure"}\n');
  });

  it('ends an empty stream when no model is loaded', async () => {
    const { server } = restServer({ handler: null });
    const response = await post(server, { sender: 'u1', message: 'hi' }, { url: '/webhooks/rest/webhook?stream=true' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });
});

describe('bad requests to the rest webhook', () => {
  it.each([
    ['invalid JSON', '{not json', 'Failed when parsing body as json'],
    ['an empty body', '', 'The request body is empty'],
    ['a JSON array', '[{"message":"hi"}]', 'an array, not a JSON object'],
    ['a JSON string', '"hi"', 'a string, not a JSON object'],
    ['JSON null', 'null', 'null, not a JSON object'],
  ])('answers %s with 400 and Rasa’s error body', async (_name, payload, message) => {
    const { server, handler } = restServer();
    const response = await post(server, payload);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({ status: 'failure', reason: 'BadRequest', code: 400, help: null, details: {} });
    expect(body.message).toContain(message);
    expect(typeof body.version).toBe('string');
    expect(handler.received).toEqual([]);
  });

  it('rejects a body over the limit with 413', async () => {
    const { server } = restServer({ bodyLimit: 1000 });
    const response = await post(server, { sender: 'u1', message: 'x'.repeat(2000) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status: 'failure', reason: 'PayloadTooLarge', code: 413 });
    expect(response.json().message).toContain('1000 bytes');
  });

  it('answers other methods on the webhook with 405 and an Allow header', async () => {
    const { server } = restServer();
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'] as const) {
      const response = await server.app.inject({ method, url: '/webhooks/rest/webhook' });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST, OPTIONS');
      expect(response.json().reason).toBe('MethodNotAllowed');
    }
  });

  it('keeps serving after bad requests', async () => {
    const { server } = restServer();
    await post(server, '{not json');
    await post(server, '');
    expect((await post(server, { sender: 'u1', message: 'hi' })).json()).toEqual([{ recipient_id: 'u1', text: 'echo: hi' }]);
  });
});

describe('mounting REST-style channels', () => {
  it('serves /webhook at the root when there is no webhook base', async () => {
    const { server } = restServer({ webhookBase: null });
    const response = await post(server, { sender: 'u1', message: 'hi' }, { url: '/webhook' });
    expect(response.json()).toEqual([{ recipient_id: 'u1', text: 'echo: hi' }]);
  });

  it('uses an absolute channel prefix verbatim', async () => {
    const channel = { ...createRestChannel(), urlPrefix: '/absolute_route' };
    const { server } = restServer({ channels: [channel] });
    expect((await post(server, { message: 'hi' }, { url: '/absolute_route/webhook' })).statusCode).toBe(200);
    expect((await post(server, { message: 'hi' }, { url: '/webhooks/absolute_route/webhook' })).statusCode).toBe(404);
  });

  it('serves a REST-derived channel under its own name next to rest', async () => {
    const { server, handler } = restServer({ channels: [createRestChannel(), createRestChannel({ name: 'rasa' })] });
    expect((await server.app.inject({ method: 'GET', url: '/webhooks/rasa' })).json()).toEqual({ status: 'ok' });
    expect((await post(server, { message: 'hi' }, { url: '/webhooks/rasa/webhook' })).statusCode).toBe(200);
    expect((await post(server, { message: 'hi' }, { url: '/webhooks/rest/webhook' })).statusCode).toBe(200);
    expect(handler.received.map((message) => message.inputChannel)).toEqual(['rasa', 'rest']);
  });
});
