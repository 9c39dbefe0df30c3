import { afterEach, describe, expect, it } from 'vitest';
import { createServerMetrics } from '../../src/observability/server-metrics.js';
import { createServer, type ParleyServer, type ServerOptions } from '../../src/server/app.js';
import { redactUrl } from '../../src/server/request-log.js';
import type { MessageHandler } from '../../src/shared/messages.js';
import { captureLogs, type CapturedLogs } from '../channels/helpers/logs.js';
import { connectClient, type TestClient } from '../channels/helpers/socket-clients.js';

const servers: ParleyServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A handler that logs while it works, as the processor does, through a child of the server's logger. */
function loggingHandler(logs: CapturedLogs): MessageHandler {
  const processor = logs.logger.child({ module: 'processor' });
  return {
    async handleMessage(message) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      processor.debug({ event: 'processor.user.logged', senderId: message.senderId }, 'Logged a user message.');
    },
  };
}

function server(logs: CapturedLogs, options: Partial<ServerOptions> = {}): ParleyServer {
  const created = createServer({
    logger: logs.logger,
    credentials: [{ name: 'rest', options: null }],
    handler: loggingHandler(logs),
    ...options,
  });
  servers.push(created);
  return created;
}

describe('request ids', () => {
  it('keeps a sane X-Request-Id, echoes it, and puts it on the message’s processing logs', async () => {
    const logs = captureLogs();
    const response = await server(logs).app.inject({
      method: 'POST',
      url: '/webhooks/rest/webhook',
      payload: { sender: 'u1', message: 'hi' },
      headers: { 'x-request-id': 'trace-abc-123' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('trace-abc-123');
    const processing = logs.entries().find((line) => line.event === 'processor.user.logged');
    expect(processing?.requestId).toBe('trace-abc-123');
    expect(logs.entries().find((line) => line.event === 'message.received')?.requestId).toBe('trace-abc-123');
    expect(logs.entries().find((line) => line.event === 'http.request.completed')).toMatchObject({
      requestId: 'trace-abc-123',
      method: 'POST',
      url: '/webhooks/rest/webhook',
      status: 200,
    });
  });

  it('keeps the id on the processing logs of a body read from a real socket', async () => {
    const logs = captureLogs();
    const target = server(logs);
    const url = await target.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${url}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'over-the-wire' },
      body: JSON.stringify({ sender: 'u2', message: 'hi '.repeat(20_000) }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('over-the-wire');
    expect(logs.entries().find((line) => line.event === 'processor.user.logged')?.requestId).toBe('over-the-wire');
  });

  it('gives each socket.io message its own request id, carried by its processing logs', async () => {
    const logs = captureLogs();
    const target = server(logs, { credentials: [{ name: 'socketio', options: null }] });
    const url = await target.listen({ port: 0, host: '127.0.0.1' });
    const client = await connectClient('v4', url);
    clients.push(client);
    await client.emitWithAck('session_request', { session_id: 's1' });
    client.emit('user_uttered', { message: 'one', session_id: 's1' });
    client.emit('user_uttered', { message: 'two', session_id: 's1' });
    await expect.poll(() => logs.entries().filter((line) => line.event === 'processor.user.logged').length).toBe(2);
    const ids = logs.entries().filter((line) => line.event === 'processor.user.logged').map((line) => line.requestId);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[1]).not.toBe(ids[0]);
  });

  it('replaces an X-Request-Id that is not sane with a fresh one', async () => {
    const logs = captureLogs();
    const target = server(logs);
    const long = await target.app.inject({ method: 'GET', url: '/', headers: { 'x-request-id': 'x'.repeat(500) } });
    const spaced = await target.app.inject({ method: 'GET', url: '/', headers: { 'x-request-id': 'forged line' } });
    expect(long.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(spaced.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives every request its own id when none is sent, on errors too', async () => {
    const logs = captureLogs();
    const target = server(logs);
    const first = await target.app.inject({ method: 'GET', url: '/nowhere' });
    const second = await target.app.inject({ method: 'GET', url: '/nowhere' });
    expect(first.statusCode).toBe(404);
    expect(first.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('keeps two concurrent messages’ logs apart', async () => {
    const logs = captureLogs();
    const target = server(logs);
    await Promise.all(
      ['one', 'two'].map((id) =>
        target.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender: id, message: 'hi' }, headers: { 'x-request-id': id } }),
      ),
    );
    const processing = logs.entries().filter((line) => line.event === 'processor.user.logged');
    expect(processing.map((line) => [line.senderId, line.requestId]).sort()).toEqual([
      ['one', 'one'],
      ['two', 'two'],
    ]);
  });
});

describe('request logs', () => {
  it('never writes the token query parameter to the logs', async () => {
    const logs = captureLogs();
    await server(logs).app.inject({
      method: 'POST',
      url: '/webhooks/rest/webhook?token=s3cret-token&stream=false',
      payload: { sender: 'u1', message: 'hi' },
    });
    await server(logs).app.inject({ method: 'GET', url: '/missing?jwt_key=s3cret-token' });
    const text = JSON.stringify(logs.entries());
    expect(text).not.toContain('s3cret-token');
    const completed = logs.entries().filter((line) => line.event === 'http.request.completed');
    expect(completed.map((line) => line.url)).toEqual(['/webhooks/rest/webhook?token=[redacted]&stream=false', '/missing?jwt_key=[redacted]']);
  });

  it('redacts every query value except Rasa’s documented switches, whatever the case', () => {
    expect(redactUrl('/a?stream=true&TOKEN=abc&x=2')).toBe('/a?stream=true&TOKEN=[redacted]&x=[redacted]');
    expect(redactUrl('/model/train?callback_url=http%3A%2F%2Fh%2Fdone%3Ftoken%3Dabc#frag')).toBe('/model/train?callback_url=[redacted]#frag');
    expect(redactUrl('/c/x/tracker?include_events=ALL&flag')).toBe('/c/x/tracker?include_events=ALL&flag');
    expect(redactUrl('/plain')).toBe('/plain');
  });

  it('counts requests by method, route pattern and status, with unknown routes as unmatched', async () => {
    const logs = captureLogs();
    const metrics = createServerMetrics();
    const target = server(logs, { metrics });
    await target.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender: 'u', message: 'hi' } });
    await target.app.inject({ method: 'GET', url: '/no/such/page' });
    await target.app.inject({ method: 'GET', url: '/no/other/page' });
    expect(metrics.httpRequests.value({ method: 'POST', route: '/webhooks/rest/webhook', status: '200' })).toBe(1);
    expect(metrics.httpRequests.value({ method: 'GET', route: 'unmatched', status: '404' })).toBe(2);
    expect(metrics.messagesReceived.value({ channel: 'rest' })).toBe(1);
    expect(metrics.messagesProcessed.value({ channel: 'rest' })).toBe(1);
  });
});
