/**
 * The HTTP server: fastify with CORS, Rasa's error body, request ids, optional rate limits and
 * metrics, `GET /`, and one plugin per input channel under `/webhooks/<name>`; Socket.IO shares
 * its port. No module state: every call builds an independent server.
 */
import type { Server as HttpServer } from 'node:http';
import fastify, { type FastifyInstance } from 'fastify';
import type { Server as SocketIOServer } from 'socket.io';
import { createInputChannels, type ChannelRegistry } from '../channels/registry.js';
import type { ChannelContext, InputChannel } from '../channels/types.js';
import type { Logger } from '../logger.js';
import { createHandlerInstrumentation } from '../observability/instrumented-handler.js';
import type { ServerMetrics } from '../observability/server-metrics.js';
import type { MessageHandler, OutputChannel } from '../shared/messages.js';
import type { Credentials } from '../shared/project.js';
import { PARLEY_VERSION, RASA_COMPATIBLE_VERSION } from '../version.js';
import { createCorsPolicy, registerCors, type CorsPolicy } from './cors.js';
import { answerConnectRequests, clientErrorHandler, frameworkErrorHandler, registerErrorHandler } from './error-handler.js';
import { createHttpRateLimits, registerIpRateLimit, registerSenderRateLimit, type RateLimitOptions } from './rate-limit.js';
import { registerRequestLog, requestIdOf } from './request-log.js';

/** `GET /` body. Clients probe for the `Hello from Rasa:` prefix. */
export const ROOT_GREETING = `Hello from Rasa: ${RASA_COMPATIBLE_VERSION} (Parley ${PARLEY_VERSION})`;

export interface ServerOptions {
  /** The message handler (the dialogue engine); null while no model is loaded. @default null */
  handler?: MessageHandler | null;
  /** Alternatively, a getter asked for the handler on every message. */
  getHandler?: () => MessageHandler | null;
  /** credentials.yml; null when there is no file (then `rest` only, with Rasa's warning). */
  credentials: Credentials | null;
  /** `--connector`: start only this channel. */
  connector?: string | null;
  /** `--cors` origins; absent → no CORS headers. */
  cors?: string | readonly string[] | null;
  logger: Logger;
  /** Largest accepted request body in bytes; larger → 413. @default 1048576 */
  bodyLimit?: number;
  /** Channel factories by credentials.yml key. @default createChannelRegistry() */
  registry?: ChannelRegistry;
  /** Ready-made channels, used instead of `credentials`/`connector`. */
  channels?: InputChannel[];
  /** Base path of channel routes; null mounts them at `/` (as Rasa's `route=None`). @default '/webhooks/' */
  webhookBase?: string | null;
  /** A socket.io adapter (e.g. Redis) so bot messages reach clients connected to other instances. */
  socketIoAdapter?: ChannelContext['socketIoAdapter'];
  /** The project folder: channels keep their files (uploads) under `<projectRoot>/.parley/`. */
  projectRoot?: string;
  /** Where message, HTTP and socket counts go (`--enable-metrics`); null records none. @default null */
  metrics?: ServerMetrics | null;
  /** Per-IP and per-sender request limits (`--rate-limit-ip`, `--rate-limit-sender`). @default {} (no limits) */
  rateLimits?: RateLimitOptions;
  /**
   * Which proxies to believe about the client address (`X-Forwarded-For`), as fastify's
   * `trustProxy`: true (any), a hop count, or addresses/CIDRs. Without it the peer address is used.
   * @default false
   */
  trustProxy?: boolean | number | string | string[];
}

export interface ListenOptions {
  port: number;
  /** @default '0.0.0.0' */
  host?: string;
}

export interface ParleyServer {
  /** The fastify app; register further plugins (the HTTP API) before `listen`. */
  readonly app: FastifyInstance;
  /** The Socket.IO server when the `socketio` channel runs. */
  readonly io: SocketIOServer | undefined;
  readonly channels: readonly InputChannel[];
  readonly cors: CorsPolicy;
  /** The handler messages go to now. */
  handler(): MessageHandler | null;
  /** Swap the handler (a new model was loaded, or unloaded with null). */
  setHandler(handler: MessageHandler | null): void;
  /** The output of the running channel `name` (for `output_channel=<name>`), or null. */
  outputChannel(name: string): OutputChannel | null;
  /** Start listening; resolves with the server URL. */
  listen(options: ListenOptions): Promise<string>;
  /** Disconnect sockets and stop the HTTP server. */
  close(): Promise<void>;
}

/** fastify's `trustProxy`; a hop count becomes the function fastify's own number handling uses. */
function trustProxySetting(setting: ServerOptions['trustProxy']): boolean | string | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting ?? false;
}

/** Where a channel's routes go: Rasa's `urljoin(route, url_prefix)`. */
export function channelPrefix(base: string | null, urlPrefix: string): string {
  if (urlPrefix.startsWith('/')) return urlPrefix.replace(/\/+$/, '');
  if (base === null) return '';
  return `${base.replace(/\/+$/, '')}/${urlPrefix}`;
}

/**
 * Build the server: routes and sockets are in place when this returns; call `listen` to serve.
 * @throws ParleyError for unknown channels or unusable channel options (startup errors).
 */
export function createServer(options: ServerOptions): ParleyServer {
  const logger = options.logger.child({ module: 'server' });
  const cors = createCorsPolicy(options.cors);
  const initial = options.handler ?? null;
  let currentHandler: () => MessageHandler | null = options.getHandler ?? (() => initial);
  const channels =
    options.channels ??
    createInputChannels(options.credentials, {
      connector: options.connector,
      registry: options.registry,
      logger: options.logger,
    });

  const bodyLimit = options.bodyLimit ?? 1_048_576;
  const metrics = options.metrics ?? null;
  const rateLimits = createHttpRateLimits(options.rateLimits);
  const instrument = createHandlerInstrumentation({ logger: options.logger, metrics });
  const app = fastify({
    logger: false,
    bodyLimit,
    genReqId: requestIdOf,
    trustProxy: trustProxySetting(options.trustProxy),
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  registerRequestLog(app, logger, metrics);
  registerErrorHandler(app, logger, { bodyLimit });
  answerConnectRequests(app.server);
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
  registerCors(app, cors);
  registerIpRateLimit(app, rateLimits, metrics, logger);
  app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(ROOT_GREETING));

  const context: ChannelContext = {
    handler: () => instrument(currentHandler()),
    logger: options.logger,
    cors,
    httpServer: app.server as HttpServer,
    socketIoAdapter: options.socketIoAdapter,
    projectRoot: options.projectRoot,
  };
  const base = options.webhookBase === undefined ? '/webhooks/' : options.webhookBase;
  for (const channel of channels) {
    void app.register(async (scope) => {
      registerSenderRateLimit(scope, rateLimits, metrics, logger);
      await channel.routes(scope, context);
    }, {
      prefix: channelPrefix(base, channel.urlPrefix),
    });
    channel.attach?.(context);
  }
  logger.debug({ event: 'server.channels', channels: channels.map((channel) => channel.name) }, 'channels mounted');
  const socketIo = (): SocketIOServer | undefined => {
    for (const channel of channels) {
      const io = (channel as { io?: SocketIOServer }).io;
      if (io) return io;
    }
    return undefined;
  };
  metrics?.setSources({ socketConnections: () => socketIo()?.engine.clientsCount });

  let closing: Promise<void> | undefined;
  return {
    app,
    get io() {
      return socketIo();
    },
    channels,
    cors,
    handler: () => currentHandler(),
    setHandler(handler) {
      currentHandler = () => handler;
    },
    outputChannel(name) {
      return channels.find((channel) => channel.name === name)?.outputChannel() ?? null;
    },
    async listen({ port, host = '0.0.0.0' }) {
      return app.listen({ port, host });
    },
    close() {
      closing ??= (async () => {
        for (const channel of channels) await channel.close?.();
        await app.close();
      })();
      return closing;
    },
  };
}
