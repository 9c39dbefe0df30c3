import { afterEach, describe, expect, it } from 'vitest';
import { callbackEndpointFrom, createCallbackChannel, createCallbackOutput } from '../../src/channels/callback.js';
import { ParleyError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { createServer, type ParleyServer } from '../../src/server/app.js';
import { captureLogs } from './helpers/logs.js';
import { deadUrl, startReceiver, type Receiver } from './helpers/receiver.js';
import { createTestHandler, IMAGE_URL, type TestHandler } from './helpers/test-handler.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

async function receiver(options: Parameters<typeof startReceiver>[0] = {}): Promise<Receiver> {
  const started = await startReceiver(options);
  cleanup.push(() => started.close());
  return started;
}

function callbackServer(
  options: Record<string, unknown> | null,
  extra: { logger?: ReturnType<typeof silentLogger>; handler?: TestHandler | null } = {},
): { server: ParleyServer; handler: TestHandler | null } {
  const logger = extra.logger ?? silentLogger();
  const handler = extra.handler === undefined ? createTestHandler() : extra.handler;
  const server = createServer({
    logger,
    credentials: null,
    channels: [createCallbackChannel(options, logger, { retryDelaysMs: [1, 1] })],
    handler,
  });
  cleanup.push(() => server.close());
  return { server, handler };
}

function post(server: ParleyServer, payload: unknown) {
  return server.app.inject({
    method: 'POST',
    url: '/webhooks/callback/webhook',
    headers: { 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('the callback output', () => {
  it('POSTs one JSON object per bot message, in order', async () => {
    const target = await receiver();
    const output = createCallbackOutput(callbackEndpointFrom({ url: `${target.url}/callback` }), silentLogger());
    await output.sendResponse('test-id', { text: 'Hi there!', image: IMAGE_URL });
    expect(output.name).toBe('callback');
    expect(target.requests.map((request) => [request.method, request.url.pathname, request.body])).toEqual([
      ['POST', '/callback', { recipient_id: 'test-id', text: 'Hi there!' }],
      ['POST', '/callback', { recipient_id: 'test-id', image: IMAGE_URL }],
    ]);
    expect(target.requests[0].headers['content-type']).toBe('application/json');
  });

  it('sends configured headers, params, the token and basic auth', async () => {
    const target = await receiver();
    const endpoint = callbackEndpointFrom({
      url: `${target.url}/bot?fixed=1`,
      headers: { 'X-Api-Key': 'k1' },
      params: { channel: 'web', page: 2 },
      token: 's3cret',
      token_name: 'auth',
      basic_auth: { username: 'user', password: 'pass' },
    });
    await createCallbackOutput(endpoint, silentLogger()).sendResponse('u', { text: 'hi' });
    const [request] = target.requests;
    expect(request.headers['x-api-key']).toBe('k1');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('user:pass').toString('base64')}`);
    expect(Object.fromEntries(request.url.searchParams)).toEqual({ fixed: '1', channel: 'web', page: '2', auth: 's3cret' });
  });

  it('names the token parameter "token" by default', async () => {
    const target = await receiver();
    await createCallbackOutput(callbackEndpointFrom({ url: target.url, token: 't' }), silentLogger()).sendResponse('u', {
      text: 'hi',
    });
    expect(target.requests[0].url.searchParams.get('token')).toBe('t');
  });

  it('logs an answer of 400 or more and still sends the next message', async () => {
    const target = await receiver({ answer: (index) => (index === 0 ? 500 : 200) });
    const logs = captureLogs();
    await createCallbackOutput(callbackEndpointFrom({ url: target.url }), logs.logger).sendResponse('u', {
      text: 'one\n\ntwo',
    });
    expect(target.requests.map((request) => request.body)).toEqual([
      { recipient_id: 'u', text: 'one' },
      { recipient_id: 'u', text: 'two' },
    ]);
    expect(logs.has('Failed to send output message to callback. Status: 500 Response: {"error":"receiver says no"}')).toBe(true);
  });

  it('retries a refused connection, then logs the message as undeliverable and goes on', async () => {
    const logs = captureLogs();
    const endpoint = callbackEndpointFrom({ url: await deadUrl() }, { retryDelaysMs: [1, 1] });
    await createCallbackOutput(endpoint, logs.logger).sendResponse('u', { text: 'one\n\ntwo' });
    const retries = logs.entries().filter((entry) => entry.event === 'channel.callback.delivery.retry');
    const failures = logs.entries().filter((entry) => entry.event === 'channel.callback.delivery.failed');
    expect(retries).toHaveLength(4);
    expect(failures).toHaveLength(2);
    expect(failures[0].msg).toContain('after 3 attempts');
    expect(failures[0].msg).toContain('ECONNREFUSED');
  });

  it('gives up on a URL that never answers after the configured timeout', async () => {
    const target = await receiver({ hang: () => true });
    const logs = captureLogs();
    const endpoint = callbackEndpointFrom({ url: target.url, timeout: 0.05 }, { retryDelaysMs: [1] });
    await createCallbackOutput(endpoint, logs.logger).sendResponse('u', { text: 'hi' });
    expect(target.requests).toHaveLength(2);
    const failure = logs.entries().find((entry) => entry.event === 'channel.callback.delivery.failed');
    expect(failure?.msg).toContain('no answer within 0.05 s');
  });

  it('keeps the token out of its log lines', async () => {
    const logs = captureLogs();
    const endpoint = callbackEndpointFrom({ url: await deadUrl(), token: 'very-secret' }, { retryDelaysMs: [] });
    await createCallbackOutput(endpoint, logs.logger).sendResponse('u', { text: 'hi' });
    expect(JSON.stringify(logs.entries())).not.toContain('very-secret');
  });
});

describe('callback channel options', () => {
  it.each([
    ['an empty entry', null],
    ['no url', { token: 'x' }],
    ['an empty url', { url: '' }],
  ])('refuses %s at startup', (_name, options) => {
    expect(() => callbackEndpointFrom(options)).toThrowError(/callback channel requires `url`/);
    try {
      callbackEndpointFrom(options);
    } catch (error) {
      expect((error as ParleyError).code).toBe('PARLEY_ERR_CHANNEL_CONFIG');
    }
  });

  it('refuses a url that is not http(s)', () => {
    expect(() => callbackEndpointFrom({ url: 'not a url' })).toThrowError(/not a valid URL/);
    expect(() => callbackEndpointFrom({ url: 'ftp://host/x' })).toThrowError(/http:\/\/ or https:\/\//);
  });

  it('refuses a cafile that cannot be read', () => {
    expect(() => callbackEndpointFrom({ url: 'https://x.test', cafile: '/nonexistent/ca.pem' })).toThrowError(
      /cafile.*cannot be read/,
    );
  });

  it('waits 30 seconds per POST unless `timeout` says otherwise', () => {
    expect(callbackEndpointFrom({ url: 'http://x.test' }).timeoutMs).toBe(30_000);
    expect(callbackEndpointFrom({ url: 'http://x.test', timeout: 5 }).timeoutMs).toBe(5000);
    expect(() => callbackEndpointFrom({ url: 'http://x.test', timeout: -1 })).toThrowError(/positive number/);
  });
});

describe('the callback webhook', () => {
  it('has a health route and a webhook route', async () => {
    const target = await receiver();
    const { server } = callbackServer({ url: target.url });
    for (const url of ['/webhooks/callback', '/webhooks/callback/']) {
      expect((await server.app.inject({ method: 'GET', url })).json()).toEqual({ status: 'ok' });
    }
    expect((await post(server, { sender: 'u1', message: 'hi' })).statusCode).toBe(200);
  });

  it('answers success as text/plain only after every POST of the turn was made', async () => {
    const target = await receiver();
    const { server } = callbackServer({ url: `${target.url}/bot` });
    const response = await post(server, { sender: 'u1', message: 'image' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe('success');
    expect(target.requests.map((request) => request.body)).toEqual([
      { recipient_id: 'u1', text: 'look at this' },
      { recipient_id: 'u1', image: IMAGE_URL },
    ]);
  });

  it('answers success when the callback URL answers 500, and still POSTs the rest', async () => {
    const target = await receiver({ answer: () => 500 });
    const { server } = callbackServer({ url: target.url });
    const response = await post(server, { sender: 'u1', message: 'two messages' });
    expect(response.body).toBe('success');
    expect(target.requests).toHaveLength(2);
  });

  it('answers success when the callback URL is down', async () => {
    const { server } = callbackServer({ url: await deadUrl() }, { logger: captureLogs().logger });
    const response = await post(server, { sender: 'u1', message: 'two messages' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('success');
  });

  it('records the input channel callback and reads neither metadata nor input_channel', async () => {
    const target = await receiver();
    const { server, handler } = callbackServer({ url: target.url });
    await post(server, { sender: 7, message: ' hi ', metadata: { a: 1 }, input_channel: 'x' });
    expect(handler?.received[0]).toMatchObject({ senderId: '7', text: 'hi', inputChannel: 'callback' });
    expect(handler?.received[0].metadata).toBeUndefined();
    expect(handler?.received[0].output.name).toBe('callback');
  });

  it('answers success without POSTs while no model is loaded', async () => {
    const target = await receiver();
    const { server } = callbackServer({ url: target.url }, { handler: null });
    expect((await post(server, { sender: 'u1', message: 'hi' })).body).toBe('success');
    expect(target.requests).toEqual([]);
  });

  it('answers 500 for a processing error, after delivering what came before it', async () => {
    const target = await receiver();
    const { server } = callbackServer({ url: target.url }, { logger: captureLogs().logger });
    const response = await post(server, { sender: 'u1', message: 'fail' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ status: 'failure', code: 500, message: 'An unexpected error occurred.' });
    expect(target.requests.map((request) => request.body)).toEqual([{ recipient_id: 'u1', text: 'before the failure' }]);
  });

  it('answers 400 for a message that is not a string and for a body that is not JSON', async () => {
    const target = await receiver();
    const { server } = callbackServer({ url: target.url });
    expect((await post(server, { sender: 'u1', message: ['hi'] })).statusCode).toBe(400);
    expect((await post(server, 'nope')).statusCode).toBe(400);
    expect(target.requests).toEqual([]);
  });

  it('gives the server an output for messages pushed to the callback channel', async () => {
    const target = await receiver();
    const { server } = callbackServer({ url: target.url });
    const output = server.outputChannel('callback');
    await output?.sendResponse('conv-9', { text: 'reminder' });
    expect(target.requests.map((request) => request.body)).toEqual([{ recipient_id: 'conv-9', text: 'reminder' }]);
  });
});
