/**
 * The one place errors meet HTTP clients: every thrown error becomes Rasa's error body
 * `{version, status: "failure", message, reason, details, help, code}`.
 */
import type { FastifyInstance } from 'fastify';
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
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
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
