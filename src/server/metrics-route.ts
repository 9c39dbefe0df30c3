/**
 * `GET /metrics`: Parley's metrics in Prometheus' text format. Served only when metrics are
 * enabled, and behind the HTTP API's authentication when any is configured (`--auth-token`:
 * `?token=`; `--jwt-secret`: a Bearer JWT whose `user.role` is `admin`).
 */
import type { FastifyInstance } from 'fastify';
import type { ApiAuth } from '../api/auth.js';
import { PROMETHEUS_CONTENT_TYPE } from '../observability/metrics.js';
import type { ServerMetrics } from '../observability/server-metrics.js';

export interface MetricsRouteOptions {
  metrics: ServerMetrics;
  /** The API's authentication; null or disabled leaves `/metrics` open (as the API is then). @default null */
  auth?: ApiAuth | null;
}

function firstQueryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** Registers `GET /metrics` on `app` (call before `listen`). */
export function registerMetricsRoute(app: FastifyInstance, options: MetricsRouteOptions): void {
  const auth = options.auth ?? null;
  app.get('/metrics', async (request, reply) => {
    auth?.check({
      token: firstQueryValue(request.query, 'token'),
      authorization: request.headers.authorization,
      conversationId: null,
    });
    return reply
      .header('cache-control', 'no-store')
      .type(PROMETHEUS_CONTENT_TYPE)
      .send(options.metrics.registry.render());
  });
}
