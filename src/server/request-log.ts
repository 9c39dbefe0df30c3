/**
 * Request ids and request logs: every HTTP request gets an id (a sane incoming `X-Request-Id`, or
 * a fresh one), echoed in the `X-Request-Id` response header, set as the request context (so
 * every log line written while it is handled carries `requestId`), and one log line when the
 * answer is sent, with secrets in the query string redacted. Requests are counted for `/metrics`.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../observability/server-metrics.js';
import { newRequestId, runWithRequestContext, saneRequestId } from '../observability/request-context.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Query parameters whose values are logged as sent: Rasa's documented switches. Every other value
 * (`token`, but also a `callback_url` that carries its own token) is logged as `[redacted]`.
 */
const LOGGED_PARAMS = new Set([
  'stream',
  'include_events',
  'output_channel',
  'execute_side_effects',
  'until',
  'all_sessions',
  'emulation_mode',
  'save_to_default_model_directory',
  'force_training',
  'augmentation',
  'num_threads',
]);

/** The URL with every query value redacted except those of {@link LOGGED_PARAMS}. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  const redacted = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      const name = pair.slice(0, equals);
      return LOGGED_PARAMS.has(name.toLowerCase()) ? pair : `${name}=[redacted]`;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${redacted}${hashStart === -1 ? '' : url.slice(hashStart)}`;
}

/** fastify's `genReqId`: the caller's `X-Request-Id` when it is sane, else a fresh id. */
export function requestIdOf(request: IncomingMessage): string {
  return saneRequestId(request.headers[REQUEST_ID_HEADER]) ?? newRequestId();
}

/** The route pattern for metric labels (bounded: never the raw URL). */
function routeLabel(request: FastifyRequest): string {
  return request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
}

/**
 * Installs the hooks on the root instance (every plugin inherits them). The request context is
 * entered at `onRequest`, and again at `preHandler` so that the route handler runs in it whatever
 * async path reading the body took (stream events do not carry an async context of their own).
 */
export function registerRequestLog(app: FastifyInstance, logger: Logger, metrics: ServerMetrics | null): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    runWithRequestContext({ requestId: request.id }, done);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    runWithRequestContext({ requestId: request.id }, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    metrics?.httpRequests.inc({ method: request.method, route: routeLabel(request), status: String(status) });
    logger.debug(
      {
        event: 'http.request.completed',
        requestId: request.id,
        method: request.method,
        url: redactUrl(request.url),
        status,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      `${request.method} ${redactUrl(request.url).split('?')[0]} answered ${status}`,
    );
    done();
  });
}
