import jwt from 'jsonwebtoken';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiAuth } from '../../src/api/auth.js';
import { silentLogger } from '../../src/logger.js';
import { createServerMetrics, type ServerMetrics } from '../../src/observability/server-metrics.js';
import { createServer, type ParleyServer, type ServerOptions } from '../../src/server/app.js';
import { registerMetricsRoute } from '../../src/server/metrics-route.js';
import { connectClient, type TestClient } from '../channels/helpers/socket-clients.js';
import { createTestHandler } from '../channels/helpers/test-handler.js';

const servers: ParleyServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function server(metrics: ServerMetrics | null, options: Partial<ServerOptions> = {}, auth = createApiAuth()): ParleyServer {
  const created = createServer({
    logger: silentLogger(),
    credentials: [{ name: 'rest', options: null }],
    handler: createTestHandler(),
    metrics,
    ...options,
  });
  if (metrics) registerMetricsRoute(created.app, { metrics, auth });
  servers.push(created);
  return created;
}

describe('GET /metrics', () => {
  it('does not exist unless metrics are enabled', async () => {
    const response = await server(null).app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(404);
  });

  it('answers in Prometheus’ text format with message, latency and HTTP metrics', async () => {
    const metrics = createServerMetrics();
    const target = server(metrics);
    await target.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender: 'u', message: 'hi' } });
    const response = await target.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = response.body;
    expect(text).toContain('# TYPE parley_messages_received_total counter\nparley_messages_received_total{channel="rest"} 1\n');
    expect(text).toContain('parley_messages_processed_total{channel="rest"} 1\n');
    expect(text).toContain('parley_message_processing_seconds_bucket{channel="rest",le="+Inf"} 1\n');
    expect(text).toContain('parley_message_processing_seconds_count{channel="rest"} 1\n');
    expect(text).toContain('parley_http_requests_total{method="POST",route="/webhooks/rest/webhook",status="200"} 1\n');
    expect(text).toContain('parley_socketio_connections 0\n');
    expect(text).toContain('parley_event_broker_buffered_events 0\n');
    expect(text).toContain('# TYPE parley_action_server_call_seconds histogram\n');
    expect(text).toContain('# TYPE parley_tracker_store_errors_total counter\n');
  });

  it('counts the open socket.io connections', async () => {
    const metrics = createServerMetrics();
    const target = server(metrics, { credentials: [{ name: 'socketio', options: null }] });
    const url = await target.listen({ port: 0, host: '127.0.0.1' });
    clients.push(await connectClient('v4', url), await connectClient('v4', url));
    const scrape = async () => (await fetch(`${url}/metrics`)).text();
    expect(await scrape()).toContain('parley_socketio_connections 2\n');
    clients.pop()!.close();
    await expect.poll(scrape).toContain('parley_socketio_connections 1\n');
  });

  describe('with the API’s authentication', () => {
    it('needs ?token= when --auth-token is set', async () => {
      const target = server(createServerMetrics(), {}, createApiAuth({ token: 'metrics-token' }));
      const open = await target.app.inject({ method: 'GET', url: '/metrics' });
      expect(open.statusCode).toBe(401);
      expect(open.json()).toMatchObject({ reason: 'NotAuthenticated', code: 401 });
      expect((await target.app.inject({ method: 'GET', url: '/metrics?token=wrong' })).statusCode).toBe(401);
      expect((await target.app.inject({ method: 'GET', url: '/metrics?token=metrics-token' })).statusCode).toBe(200);
    });

    it('lets an admin JWT in and refuses a user JWT with 403', async () => {
      const secret = 'jwt-secret-for-metrics';
      const target = server(createServerMetrics(), {}, createApiAuth({ jwtSecret: secret }));
      const as = (role: string) => ({ authorization: `Bearer ${jwt.sign({ user: { username: 'u', role } }, secret)}` });
      expect((await target.app.inject({ method: 'GET', url: '/metrics', headers: as('admin') })).statusCode).toBe(200);
      expect((await target.app.inject({ method: 'GET', url: '/metrics', headers: as('user') })).statusCode).toBe(403);
    });
  });
});
