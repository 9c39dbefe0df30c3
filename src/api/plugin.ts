/**
 * Rasa's HTTP API (`rasa run --enable-api`) as one fastify plugin: `/version` open to all, every
 * other route behind the auth hook, bodies read by the API's own parsers and size limits, and
 * security headers on every answer.
 */
import { resolve } from 'node:path';
import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ModelHolder } from '../runtime/model-holder.js';
import type { ParleyServer } from '../server/app.js';
import { createApiAuth, type ApiAuth, type ApiAuthOptions } from './auth.js';
import { DEFAULT_LIMITS, type ApiContext, type HttpApiLimits } from './context.js';
import { parseConversationPath, type ConversationMethod, type ConversationPath } from './conversation-path.js';
import { CONVERSATION_HANDLERS } from './conversation-routes.js';
import { registerModelRoutes } from './model-routes.js';
import { queryValue, type Query } from './params.js';
import { registerPredictRoute } from './predict-route.js';
import { registerStatusRoutes, registerVersionRoute } from './status-routes.js';
import { registerTrainRoute } from './train-route.js';

export type { ApiAuthOptions } from './auth.js';
export type { HttpApiLimits } from './context.js';

export interface HttpApiOptions {
  /** The model the API reads and swaps; the server's channels follow its swaps. */
  holder: ModelHolder;
  /** `--auth-token`, `--jwt-secret`, `--jwt-method`. @default {} (no auth, as Rasa without those flags) */
  auth?: ApiAuthOptions;
  logger: Logger;
  /** Body, id and outbound limits. @default DEFAULT_LIMITS */
  limits?: HttpApiLimits;
  /** Where `/model/train` saves archives unless `save_to_default_model_directory=false`. @default 'models' (resolved) */
  modelDirectory?: string;
}

/** Headers on every API answer: API bodies are data, never pages to render, frame or cache. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const CONVERSATION_ROUTE = '/conversations/*';

function conversationMethod(request: FastifyRequest): ConversationMethod {
  return (request.method === 'HEAD' ? 'GET' : request.method) as ConversationMethod;
}

function notFound(request: FastifyRequest): ParleyError {
  return new ParleyError('PARLEY_ERR_NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`);
}

/** Bodies stay raw text: each route decides how to read it (JSON, YAML) and what "no body" means. */
function registerRawBodyParsers(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}

function tooLarge(request: FastifyRequest, limit: number, size: string): ParleyError {
  return new ParleyError(
    'PARLEY_ERR_BODY_TOO_LARGE',
    `The request body (${size}) is larger than ${request.method} ${request.routeOptions.url} accepts (${limit} bytes).`,
  );
}

/**
 * Enforces the route's own body limit with a message naming it: a declared length is refused
 * before reading, a chunked body as soon as it grows past the limit.
 */
function registerBodyLimitCheck(scope: FastifyInstance, limitOf: (request: FastifyRequest) => number): void {
  scope.addHook('preParsing', async (request, _reply, payload) => {
    if (request.method === 'GET' || request.method === 'HEAD') return payload;
    const declared = Number(request.headers['content-length']);
    const limit = limitOf(request);
    if (Number.isFinite(declared) && declared > limit) throw tooLarge(request, limit, `${declared} bytes`);
    let received = 0;
    return payload.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          callback(received > limit ? tooLarge(request, limit, `over ${limit} bytes`) : null, received > limit ? undefined : chunk);
        },
      }),
    );
  });
}

function registerAuthHook(scope: FastifyInstance, auth: ApiAuth, context: ApiContext, paths: WeakMap<FastifyRequest, ConversationPath>): void {
  scope.addHook('onRequest', async (request) => {
    let conversationId: string | null = null;
    if (request.routeOptions.url === CONVERSATION_ROUTE) {
      const rest = (request.params as { '*': string })['*'];
      const path = parseConversationPath(conversationMethod(request), rest, context.limits.conversationIdLength);
      if (!path) throw notFound(request);
      paths.set(request, path);
      conversationId = path.conversationId;
    }
    auth.check({
      token: queryValue(request.query as Query, 'token'),
      authorization: request.headers.authorization,
      conversationId,
    });
  });
}

function registerConversationRoutes(scope: FastifyInstance, context: ApiContext, paths: WeakMap<FastifyRequest, ConversationPath>): void {
  scope.route({
    method: ['GET', 'POST', 'PUT'],
    url: CONVERSATION_ROUTE,
    bodyLimit: Math.max(context.limits.eventsBody, context.limits.smallBody),
    handler: async (request, reply) => {
      const path = paths.get(request);
      const handler = path && CONVERSATION_HANDLERS[conversationMethod(request)][path.endpoint];
      if (!path || !handler) throw notFound(request);
      return handler(context, request, reply, path.conversationId);
    },
  });
}

/**
 * Mounts the HTTP API on `server` (call before `listen`) and makes the server's channels follow
 * the holder's model swaps.
 * @throws ParleyError `PARLEY_ERR_CLI_USAGE` for unusable auth options (at startup, not per request).
 * @example
 * const holder = new ModelHolder({ trackerStore, lockStore, endpoints, logger });
 * await holder.load(modelPath);
 * const server = createServer({ getHandler: () => holder.agent(), credentials, logger });
 * registerHttpApi(server, { holder, auth: { token: options.authToken }, logger });
 * await server.listen({ port: 5005 });
 */
export function registerHttpApi(server: ParleyServer, options: HttpApiOptions): void {
  const auth = createApiAuth(options.auth);
  const context: ApiContext = {
    holder: options.holder,
    server,
    logger: options.logger.child({ module: 'api' }),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    modelDirectory: resolve(options.modelDirectory ?? 'models'),
  };
  options.holder.onSwap((handler) => server.setHandler(handler));
  const paths = new WeakMap<FastifyRequest, ConversationPath>();

  void server.app.register(async (api) => {
    registerRawBodyParsers(api);
    api.addHook('onSend', async (_request, reply, payload) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
      return payload;
    });
    registerVersionRoute(api);
    await api.register(async (secured) => {
      registerAuthHook(secured, auth, context, paths);
      registerBodyLimitCheck(secured, (request) => {
        const path = paths.get(request);
        if (path && path.endpoint !== 'tracker/events') return context.limits.smallBody;
        return request.routeOptions.bodyLimit ?? context.limits.smallBody;
      });
      registerStatusRoutes(secured, context);
      registerConversationRoutes(secured, context, paths);
      registerModelRoutes(secured, context);
      registerPredictRoute(secured, context);
      registerTrainRoute(secured, context);
    });
  });
}
