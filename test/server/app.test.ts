import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { channelPrefix, createServer, ROOT_GREETING, type ParleyServer, type ServerOptions } from '../../src/server/app.js';
import { captureLogs } from '../channels/helpers/logs.js';
import { createTestHandler } from '../channels/helpers/test-handler.js';

const servers: ParleyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function server(options: Partial<ServerOptions> = {}): ParleyServer {
  const created = createServer({ logger: silentLogger(), credentials: [{ name: 'rest', options: null }], ...options });
  servers.push(created);
  return created;
}

function say(target: ParleyServer, message: string) {
  return target.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender: 'u', message } });
}

describe('GET /', () => {
  it('answers with the Rasa greeting prefix that clients probe for', async () => {
    const response = await server().app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body.startsWith('Hello from Rasa: ')).toBe(true);
    expect(response.body).toBe(ROOT_GREETING);
    expect(ROOT_GREETING).toMatch(/^Hello from Rasa: 3\.6\.\d+ \(Parley \d+\.\d+\.\d+\)$/);
  });

  it('answers without any channel and without a model', async () => {
    const response = await server({ credentials: [], handler: null }).app.inject({ method: 'GET', url: '/' });
    expect(response.body.startsWith('Hello from Rasa:')).toBe(true);
  });
});

describe('errors', () => {
  it('answers an unknown route with 404 in Rasa’s error body', async () => {
    const response = await server().app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      version: '3.6.21',
      status: 'failure',
      message: 'No route for GET /nowhere.',
      reason: 'NotFound',
      details: {},
      help: null,
      code: 404,
    });
  });

  it('renders a ParleyError thrown by a later plugin with its status, details and help', async () => {
    const target = server();
    await target.app.register(async (api) => {
      api.get('/status', async () => {
        throw new ParleyError('PARLEY_ERR_NOT_AUTHENTICATED', 'User is not authenticated.', {
          help: 'https://rasa.com/docs/rasa/user-guide/configuring-http-api/#security-considerations',
          details: { parameter: 'token', in: 'query' },
        });
      });
    });
    const response = await target.app.inject({ method: 'GET', url: '/status' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      version: '3.6.21',
      status: 'failure',
      message: 'User is not authenticated.',
      reason: 'NotAuthenticated',
      details: { parameter: 'token', in: 'query' },
      help: 'https://rasa.com/docs/rasa/user-guide/configuring-http-api/#security-considerations',
      code: 401,
    });
  });

  it('answers an unexpected error with a logged 500 that reveals nothing of it', async () => {
    const logs = captureLogs();
    const target = server({ logger: logs.logger });
    await target.app.register(async (api) => {
      api.get('/boom', async () => {
        throw new Error('secret internals');
      });
    });
    const response = await target.app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ status: 'failure', code: 500, message: 'An unexpected error occurred.' });
    expect(response.body).not.toContain('secret internals');
    expect(logs.entries().some((entry) => entry.event === 'http.request.failed')).toBe(true);
  });

  it('keeps fastify’s own JSON parsing for plugins registered beside the channels', async () => {
    const target = server();
    await target.app.register(async (api) => {
      api.post('/conversations/echo', async (request) => request.body);
    });
    const ok = await target.app.inject({ method: 'POST', url: '/conversations/echo', payload: { a: 1 } });
    expect(ok.json()).toEqual({ a: 1 });
    const bad = await target.app.inject({
      method: 'POST',
      url: '/conversations/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{bad',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: 'failure', reason: 'BadRequest', code: 400 });
  });
});

describe('the server', () => {
  it('sends X-Content-Type-Options: nosniff', async () => {
    const response = await server().app.inject({ method: 'GET', url: '/webhooks/rest/' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses to start with an unknown channel', () => {
    expect(() => server({ credentials: [{ name: 'telegram', options: null }] })).toThrowError(/Unknown input channel/);
  });

  it('builds independent servers in one process', async () => {
    const first = server({ handler: createTestHandler() });
    const second = server({ credentials: [{ name: 'rest', options: null }], handler: null });
    expect((await say(first, 'hi')).json()).toEqual([{ recipient_id: 'u', text: 'echo: hi' }]);
    expect((await say(second, 'hi')).json()).toEqual([]);
    second.setHandler(createTestHandler());
    first.setHandler(null);
    expect((await say(first, 'hi')).json()).toEqual([]);
    expect((await say(second, 'hi')).json()).toEqual([{ recipient_id: 'u', text: 'echo: hi' }]);
  });

  it('asks a handler getter for the handler of each message', async () => {
    let current: ReturnType<typeof createTestHandler> | null = null;
    const target = server({ getHandler: () => current });
    expect((await say(target, 'hi')).json()).toEqual([]);
    current = createTestHandler();
    expect((await say(target, 'hi')).json()).toEqual([{ recipient_id: 'u', text: 'echo: hi' }]);
  });

  it('has no output channel for rest or for a channel that is not running', () => {
    const target = server();
    expect(target.outputChannel('rest')).toBeNull();
    expect(target.outputChannel('socketio')).toBeNull();
  });

  it('listens on a port, serves real HTTP, and closes twice without complaint', async () => {
    const target = server({ handler: createTestHandler(), credentials: [{ name: 'rest', options: null }, { name: 'socketio', options: {} }] });
    const url = await target.listen({ port: 0, host: '127.0.0.1' });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ sender: 'u', message: 'hi' }),
    });
    expect(await response.json()).toEqual([{ recipient_id: 'u', text: 'echo: hi' }]);
    expect(target.io).toBeDefined();
    await target.close();
    await target.close();
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});

describe('channelPrefix', () => {
  it('joins the webhook base and the channel prefix', () => {
    expect(channelPrefix('/webhooks/', 'rest')).toBe('/webhooks/rest');
    expect(channelPrefix('/webhooks', 'rest')).toBe('/webhooks/rest');
  });

  it('uses an absolute prefix verbatim and mounts at the root without a base', () => {
    expect(channelPrefix('/webhooks/', '/absolute_route')).toBe('/absolute_route');
    expect(channelPrefix(null, 'rest')).toBe('');
  });
});
