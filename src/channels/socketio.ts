/**
 * The `socketio` channel: a Socket.IO v4 server on the HTTP server (EIO3 clients welcome) speaking
 * Rasa's protocol: `session_request` → `session_confirm`, `user_uttered` → `bot_uttered` events.
 * Beyond Rasa: per-connection rate and size limits answered with `parley_error`
 * (socketio-limits.ts), and opt-in file uploads announced with `parley_uploads` (src/uploads/).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { Server as SocketIOServer, type Namespace, type Socket } from 'socket.io';
import type { FastifyInstance } from 'fastify';
import type { Algorithm } from 'jsonwebtoken';
import type { Logger } from '../logger.js';
import { MAX_CONVERSATION_ID_LENGTH, type MessageHandler, type OutputChannel } from '../shared/messages.js';
import { uploadRoutes } from '../uploads/routes.js';
import { uploadSettingsFrom, type UploadSettings } from '../uploads/settings.js';
import { UploadStore } from '../uploads/store.js';
import { corsEngineMiddleware } from '../server/cors.js';
import { writeRawError } from '../server/error-handler.js';
import { loadJsonWebToken } from '../server/jsonwebtoken.js';
import { flagOption, stringOption, type ChannelOptions } from './options.js';
import { outputChannelFrom, socketIoWriter } from './output.js';
import { createRateGuard, sizeViolation, socketIoLimitsFrom, type SocketIoLimits } from './socketio-limits.js';
import {
  DEFAULT_BOT_MESSAGE_EVENT,
  DEFAULT_USER_MESSAGE_EVENT,
  type ClientToServerEvents,
  type ParleyErrorPayload,
  type ServerToClientEvents,
} from './socketio-protocol.js';
import type { ChannelContext, InputChannel } from './types.js';
import { NO_MODEL, registerHealthRoute } from './webhook.js';

/** credentials.yml `socketio:` after defaults. */
export interface SocketIoSettings {
  /** @default 'user_uttered' */
  userMessageEvent: string;
  /** @default 'bot_uttered' */
  botMessageEvent: string;
  /** Handlers and emits live on this namespace (Rasa emits on `/` whatever is configured). @default '/' */
  namespace: string;
  /**
   * Conversation id = the client's `session_id` (replies go to its room) instead of the socket id.
   * @default false
   */
  sessionPersistence: boolean;
  /** @default '/socket.io' */
  socketioPath: string;
  /** When set, connections must carry `auth.token`, a JWT verified with this key. @default null */
  jwtKey: string | null;
  /** @default 'HS256' */
  jwtMethod: string;
  /** Field of the user payload that becomes the message metadata. @default 'metadata' */
  metadataKey: string;
  /** Rate and size limits for user messages (`max_messages_per_minute`, …; see socketio-limits.ts). */
  limits: SocketIoLimits;
  /** File uploads for widgets (`uploads:`, see src/uploads/settings.ts); null when off. @default null */
  uploads: UploadSettings | null;
}

export function socketIoSettingsFrom(options: ChannelOptions | null, logger: Logger): SocketIoSettings {
  const values = options ?? {};
  const namespace = stringOption('socketio', values, 'namespace', '/');
  return {
    userMessageEvent: stringOption('socketio', values, 'user_message_evt', DEFAULT_USER_MESSAGE_EVENT),
    botMessageEvent: stringOption('socketio', values, 'bot_message_evt', DEFAULT_BOT_MESSAGE_EVENT),
    namespace: namespace.startsWith('/') ? namespace : `/${namespace}`,
    sessionPersistence: flagOption('socketio', values, 'session_persistence', false, logger),
    socketioPath: stringOption('socketio', values, 'socketio_path', '/socket.io'),
    jwtKey: stringOption('socketio', values, 'jwt_key', null) || null,
    jwtMethod: stringOption('socketio', values, 'jwt_method', 'HS256'),
    metadataKey: stringOption('socketio', values, 'metadata_key', 'metadata'),
    limits: socketIoLimitsFrom(values),
    uploads: uploadSettingsFrom(values.uploads),
  };
}

type TypedServer = SocketIOServer<ClientToServerEvents, ServerToClientEvents>;
type TypedNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;
type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type Ack = (...args: unknown[]) => void;

/** Per-connection rate state: the token bucket, and whether the last message was refused by it. */
interface ConnectionRate {
  guard: () => ParleyErrorPayload | null;
  refusing: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Split socket.io listener arguments into the payload and the acknowledgement, if any. */
function payloadAndAck(args: unknown[]): [unknown, Ack | undefined] {
  const last = args[args.length - 1];
  if (typeof last === 'function') return [args.length > 1 ? args[0] : undefined, last as Ack];
  return [args[0], undefined];
}

/** A fresh session id: 32 lowercase hex characters, like Python's `uuid4().hex`. */
export function newSessionId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Verify a connection's JWT as Rasa does; null (and a log line) when it is refused. */
export function verifySocketJwt(token: string, key: string, method: string, logger: Logger): object | null {
  try {
    const payload = loadJsonWebToken().verify(token.replace(/^Bearer /, ''), key, {
      algorithms: [method as Algorithm],
    });
    // PyJWT refuses a token with an audience when none is expected; Rasa configures none.
    if (typeof payload !== 'object' || 'aud' in payload) {
      logger.error({ event: 'channel.socketio.jwt.invalid' }, 'Failed to decode bearer token.');
      return null;
    }
    return payload;
  } catch (error) {
    if ((error as Error).message === 'invalid signature') {
      logger.error({ event: 'channel.socketio.jwt.invalid_signature' }, 'JWT public key invalid.');
    } else {
      logger.error(
        { event: 'channel.socketio.jwt.invalid', reason: (error as Error).message },
        'Failed to decode bearer token.',
      );
    }
    return null;
  }
}

/** The output of the `socketio` channel: each payload goes to the recipient's room. */
export function createSocketIoOutput(namespace: TypedNamespace, botMessageEvent: string): OutputChannel {
  // The event name comes from credentials.yml; its payload type is the one of `bot_uttered`.
  const event = botMessageEvent as typeof DEFAULT_BOT_MESSAGE_EVENT;
  return outputChannelFrom(
    'socketio',
    socketIoWriter((recipientId, payload) => void namespace.to(recipientId).emit(event, payload)),
  );
}

/**
 * WebSocket upgrades go to Engine.IO's path only. Any other upgrade request (a WebSocket to a
 * webhook, `Upgrade: h2c`) gets Rasa's 400 body; Engine.IO would drop it silently.
 */
function refuseOtherUpgrades(httpServer: ChannelContext['httpServer'], socketioPath: string): void {
  const enginePath = `${socketioPath.replace(/\/$/, '')}/`;
  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    if ((request.url ?? '').startsWith(enginePath)) return;
    socket.on('error', () => undefined);
    writeRawError(socket as NetSocket, 400, `Connection upgrades (WebSockets) are served only under ${enginePath}; ${(request.url ?? '/').split('?')[0]} answers plain HTTP requests.`);
    socket.destroy();
  });
}

export interface SocketIoChannel extends InputChannel {
  /** The Socket.IO server, once attached. */
  readonly io: TypedServer | undefined;
}

export function createSocketIoChannel(options: ChannelOptions | null, logger: Logger): SocketIoChannel {
  const settings = socketIoSettingsFrom(options, logger);
  const channelLogger = logger.child({ module: 'channel.socketio' });
  let io: TypedServer | undefined;
  let namespace: TypedNamespace | undefined;

  /** The conversation id of a user message, or undefined when persistence needs one it lacks. */
  function senderIdOf(socket: TypedSocket, payload: Record<string, unknown>): string | undefined {
    if (!settings.sessionPersistence) return socket.id;
    const sessionId = payload.session_id;
    if (typeof sessionId === 'number') return String(sessionId);
    return typeof sessionId === 'string' && sessionId !== '' ? sessionId : undefined;
  }

  /** The metadata of a user message; `{ok: false}` when the field is a string but not JSON. */
  function metadataOf(payload: Record<string, unknown>): { ok: true; value: unknown } | { ok: false } {
    const value = payload[settings.metadataKey];
    if (value === undefined) return { ok: true, value: {} };
    if (typeof value !== 'string') return { ok: true, value };
    try {
      return { ok: true, value: JSON.parse(value) };
    } catch {
      return { ok: false };
    }
  }

  function onSessionRequest(socket: TypedSocket, args: unknown[]): void {
    const [raw, ack] = payloadAndAck(args);
    const requested = isPlainObject(raw) ? raw.session_id : undefined;
    let sessionId: string;
    const tooLong = typeof requested === 'string' && requested.length > MAX_CONVERSATION_ID_LENGTH;
    if (typeof requested === 'string' && !tooLong) sessionId = requested;
    else if (typeof requested === 'number') sessionId = String(requested);
    else sessionId = newSessionId();
    const badPayload = raw !== undefined && raw !== null && !isPlainObject(raw);
    // No String(requested) here: an object with a `toString` key cannot be converted and would throw.
    const badId = requested !== undefined && requested !== null && typeof requested !== 'string' && typeof requested !== 'number';
    if (badPayload || badId) {
      channelLogger.warn(
        { event: 'channel.socketio.session_request.invalid', socketId: socket.id },
        'session_request payload is not an object with a string session_id; answering with a new session id',
      );
    } else if (tooLong) {
      channelLogger.warn(
        { event: 'channel.socketio.session_request.too_long', socketId: socket.id, length: requested.length, limit: MAX_CONVERSATION_ID_LENGTH },
        `session_request asked for a session_id of ${requested.length} characters (at most ${MAX_CONVERSATION_ID_LENGTH} are accepted); answering with a new session id`,
      );
    }
    if (settings.sessionPersistence) void socket.join(sessionId);
    socket.emit('session_confirm', sessionId);
    if (settings.uploads) socket.emit('parley_uploads', { max_bytes: settings.uploads.maxBytes, types: settings.uploads.types });
    channelLogger.debug(
      { event: 'channel.socketio.session_confirmed', socketId: socket.id, sessionId },
      'session confirmed',
    );
    ack?.();
  }

  /**
   * Tell the client why its message was refused (a `parley_error` event, and the acknowledgement's
   * argument); log the first refusal of a run of them.
   */
  function refuseMessage(socket: TypedSocket, error: ParleyErrorPayload, logIt: boolean): void {
    socket.emit('parley_error', error);
    if (!logIt) return;
    channelLogger.warn(
      { event: `channel.socketio.limit.${error.code}`, socketId: socket.id, limit: error.limit },
      `${settings.userMessageEvent} refused: ${error.message}`,
    );
  }

  async function onUserMessage(
    socket: TypedSocket,
    args: unknown[],
    context: ChannelContext,
    rate: ConnectionRate,
  ): Promise<void> {
    const [raw, ack] = payloadAndAck(args);
    let refusal: ParleyErrorPayload | null = null;
    try {
      const log = { socketId: socket.id };
      refusal = rate.guard();
      if (refusal) {
        // One log line per run of refusals, not one per message of a flood.
        refuseMessage(socket, refusal, !rate.refusing);
        rate.refusing = true;
        return;
      }
      rate.refusing = false;
      if (!isPlainObject(raw)) {
        channelLogger.warn(
          { ...log, event: 'channel.socketio.message.invalid' },
          `${settings.userMessageEvent} payload is not an object; ignored`,
        );
        return;
      }
      const message = raw.message;
      if (message !== undefined && message !== null && typeof message !== 'string') {
        channelLogger.warn(
          { ...log, event: 'channel.socketio.message.invalid' },
          '`message` must be a string; the message was ignored',
        );
        return;
      }
      refusal = sizeViolation(settings.limits, message, raw[settings.metadataKey]);
      if (refusal) {
        refuseMessage(socket, refusal, true);
        return;
      }
      const senderId = senderIdOf(socket, raw);
      if (senderId !== undefined && senderId.length > MAX_CONVERSATION_ID_LENGTH) {
        refusal = {
          code: 'session_id_too_long',
          message:
            `The session_id has ${senderId.length} characters; this server accepts at most ${MAX_CONVERSATION_ID_LENGTH}. ` +
            'Ask for a new session with session_request. The message was not delivered.',
          limit: MAX_CONVERSATION_ID_LENGTH,
        };
        refuseMessage(socket, refusal, true);
        return;
      }
      if (senderId === undefined) {
        channelLogger.warn(
          { ...log, event: 'channel.socketio.message.no_session' },
          'A message without a valid session_id was received. This message will be ignored. ' +
            'Make sure to set a proper session id using the `session_request` socketIO event.',
        );
        return;
      }
      const metadata = metadataOf(raw);
      if (!metadata.ok) {
        channelLogger.warn(
          { ...log, event: 'channel.socketio.metadata.invalid', metadataKey: settings.metadataKey },
          `\`${settings.metadataKey}\` is a string but not valid JSON; the message was ignored`,
        );
        return;
      }
      const handler: MessageHandler | null = context.handler();
      if (!handler) {
        channelLogger.info({ event: 'channel.socketio.no_model' }, NO_MODEL);
        return;
      }
      await handler.handleMessage({
        text: message === undefined ? '' : message === null ? null : message.trim(),
        senderId,
        inputChannel: 'socketio',
        output: createSocketIoOutput(namespace as TypedNamespace, settings.botMessageEvent),
        metadata: metadata.value,
      });
    } catch (error) {
      channelLogger.error(
        { event: 'channel.socketio.message.failed', socketId: socket.id, err: error },
        'processing a socket message failed',
      );
    } finally {
      // The client's acknowledgement (if it asked for one) comes when the turn is over; a refused
      // message's carries `{error}` so a client can tell which message it was.
      if (refusal) ack?.({ error: refusal });
      else ack?.();
    }
  }

  function refuse(): Error {
    return new Error('Connection rejected by server');
  }

  return {
    name: 'socketio',
    urlPrefix: 'socketio',
    get io() {
      return io;
    },
    outputChannel: () => (namespace ? createSocketIoOutput(namespace, settings.botMessageEvent) : null),
    async routes(app: FastifyInstance, context: ChannelContext) {
      registerHealthRoute(app);
      if (settings.uploads) {
        const store = new UploadStore(join(context.projectRoot ?? process.cwd(), '.parley', 'uploads'));
        await app.register(uploadRoutes, { prefix: '/uploads', settings: settings.uploads, store, logger: context.logger });
      }
    },
    attach(context: ChannelContext) {
      io = new SocketIOServer<ClientToServerEvents, ServerToClientEvents>(context.httpServer, {
        path: settings.socketioPath,
        serveClient: false,
        allowEIO3: true,
        transports: ['polling', 'websocket'],
        pingInterval: 25_000,
        pingTimeout: 20_000,
        maxHttpBufferSize: 1e6,
        // Upgrades to other paths are answered below instead of being dropped after a second.
        destroyUpgrade: false,
        cookie: false,
        ...(context.socketIoAdapter ? { adapter: context.socketIoAdapter } : {}),
      });
      io.engine.use(corsEngineMiddleware(context.cors));
      refuseOtherUpgrades(context.httpServer, settings.socketioPath);
      namespace = io.of(settings.namespace);
      if (settings.jwtKey) {
        const key = settings.jwtKey;
        // Loaded now rather than during the first connection's handshake.
        loadJsonWebToken();
        namespace.use((socket, next) => {
          const auth: unknown = socket.handshake.auth;
          const token = isPlainObject(auth) ? auth.token : undefined;
          if (typeof token !== 'string' || token === '') {
            channelLogger.debug(
              { event: 'channel.socketio.jwt.missing', socketId: socket.id },
              'connection without a token refused',
            );
            return next(refuse());
          }
          return verifySocketJwt(token, key, settings.jwtMethod, channelLogger) ? next() : next(refuse());
        });
      }
      const userEvent = settings.userMessageEvent as typeof DEFAULT_USER_MESSAGE_EVENT;
      namespace.on('connection', (socket) => {
        channelLogger.debug({ event: 'channel.socketio.connected', socketId: socket.id }, 'client connected');
        socket.on('session_request', (...args: unknown[]) => {
          try {
            onSessionRequest(socket, args);
          } catch (error) {
            channelLogger.error(
              { event: 'channel.socketio.session_request.failed', err: error },
              'session_request failed',
            );
          }
        });
        const rate: ConnectionRate = { guard: createRateGuard(settings.limits), refusing: false };
        socket.on(userEvent, (...args: unknown[]) => void onUserMessage(socket, args, context, rate));
        socket.on('disconnect', (reason) => {
          channelLogger.debug(
            { event: 'channel.socketio.disconnected', socketId: socket.id, reason },
            'client disconnected',
          );
        });
      });
    },
    async close() {
      if (!io) return;
      io.of(settings.namespace).disconnectSockets(true);
      io.disconnectSockets(true);
      // Closes every Engine.IO connection (polling and WebSocket) but leaves the HTTP server to fastify.
      io.engine.close();
    },
  };
}
