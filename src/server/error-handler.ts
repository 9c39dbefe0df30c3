/**
 * The one place errors meet HTTP clients: every thrown error becomes Rasa's error body
 * `{version, status: "failure", message, reason, details, help, code}`.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isParleyError, ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { RASA_COMPATIBLE_VERSION } from '../version.js';

/** Rasa's error body. */
export interface ErrorBody {
  version: string;
  status: 'failure';
  message: string;
  reason: string;
  details: Record<string, unknown>;
  help: string | null;
  code: number;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'NotAuthenticated',
  403: 'NotAuthorized',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  408: 'RequestTimeout',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  431: 'RequestHeaderFieldsTooLarge',
  503: 'ServiceUnavailable',
};

export function errorBody(
  code: number,
  message: string,
  options: { reason?: string; details?: Record<string, unknown>; help?: string | null } = {},
): ErrorBody {
  return {
    version: RASA_COMPATIBLE_VERSION,
    status: 'failure',
    message,
    reason: options.reason ?? REASONS[code] ?? 'InternalServerError',
    details: options.details ?? {},
    help: options.help ?? null,
    code,
  };
}

/** Fastify's own errors (body too large, bad JSON…) carry a 4xx `statusCode`. */
function clientStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** Install the error and not-found handlers on the root instance (plugins inherit them). */
export function registerErrorHandler(app: FastifyInstance, logger: Logger, limits: { bodyLimit: number }): void {
  app.setErrorHandler(async (error, request, reply) => {
    if (isParleyError(error) && error.status !== undefined) {
      return reply.code(error.status).send(
        errorBody(error.status, error.message, {
          reason: error.reason,
          details: error.details,
          help: error.help ?? null,
        }),
      );
    }
    const status = clientStatusOf(error);
    if (status !== undefined) {
      logger.debug({ event: 'http.request.rejected', status, path: request.url.split('?')[0], err: error }, 'request rejected');
      const message =
        status === 413
          ? `The request body is larger than this server accepts (${limits.bodyLimit} bytes).`
          : (error as Error).message;
      return reply.code(status).send(errorBody(status, message));
    }
    logger.error(
      { event: 'http.request.failed', method: request.method, path: request.url.split('?')[0], err: error },
      'request failed',
    );
    return reply.code(500).send(errorBody(500, 'An unexpected error occurred.'));
  });
  app.setNotFoundHandler(async (request) => {
    throw new ParleyError('PARLEY_ERR_NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`);
  });
}

/**
 * fastify's `frameworkErrors`: a URL its router cannot decode (a bad percent-escape) gets Rasa's
 * error body like every other client error, instead of fastify's own shape.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = clientStatusOf(error) ?? 400;
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The request URL is not valid: it has a percent-escape that does not decode (such as %ZZ or a lone %).'
      : `The request URL is not valid: ${error.message}`;
  void reply.code(status).send(errorBody(status, message));
}

/**
 * fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (bad method, control or
 * non-ASCII bytes in the request line or headers, oversized headers) never reaches a route; it is
 * answered with Rasa's error body and the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let message = `The request is not valid HTTP (${error.code ?? 'parse error'}); check the method, the URL and the headers for spaces, control characters or bytes outside ASCII.`;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    message = 'The request was not received completely in time.';
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    message = 'The request line and headers are larger than this server accepts (a very long URL or header).';
  }
  writeRawError(socket, status, message);
  socket.destroy(error);
}

/**
 * Node closes a `CONNECT` request without a word when nobody listens for it; answer it with
 * Rasa's 405 like any other method this server does not serve.
 */
export function answerConnectRequests(server: { on(event: 'connect', listener: (request: unknown, socket: Socket) => void): unknown }): void {
  server.on('connect', (_request, socket) => {
    writeRawError(socket, 405, 'CONNECT is not allowed on this server: it is not a proxy.');
    socket.destroy();
  });
}

/** Rasa's error body written straight to a socket that never became a fastify request. */
export function writeRawError(socket: Socket, status: number, message: string): void {
  if (!socket.writable) return;
  const body = JSON.stringify(errorBody(status, message));
  socket.write(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
