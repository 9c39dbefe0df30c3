/** The input-channel interface every website channel implements, and what the server hands it. */
import type { Server as HttpServer } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ServerOptions } from 'socket.io';
import type { Logger } from '../logger.js';
import type { MessageHandler, OutputChannel } from '../shared/messages.js';
import type { CorsPolicy } from '../server/cors.js';

/** What the server gives a channel when mounting it. */
export interface ChannelContext {
  /** The current message handler; null while no model is loaded (messages are then ignored). */
  handler(): MessageHandler | null;
  logger: Logger;
  /** The server's CORS policy (`--cors`), for transports that bypass fastify (Engine.IO polling). */
  cors: CorsPolicy;
  /** The HTTP server fastify listens with; Socket.IO attaches to it. */
  httpServer: HttpServer;
  /** The project folder; uploads go to its `.parley/uploads/`. @default process.cwd() */
  projectRoot?: string;
  /** Socket.IO adapter for several instances (endpoints.yml `socketio_adapter`); default in-memory. */
  socketIoAdapter?: ServerOptions['adapter'];
}

/** One credentials.yml channel. */
export interface InputChannel {
  /** The channel's name: `rest`, `socketio`, `callback`, or a plug-in's own. */
  readonly name: string;
  /**
   * Where its routes go, relative to the webhook base (`/webhooks/`); a prefix starting with `/`
   * is used as is, like Rasa's `url_prefix()`.
   * @default the channel name
   */
  readonly urlPrefix: string;
  /** Register the channel's HTTP routes; called inside a fastify plugin mounted at its prefix. */
  routes(app: FastifyInstance, context: ChannelContext): void | Promise<void>;
  /** Hook into the HTTP server beyond fastify routes (Socket.IO). Called once, before `listen`. */
  attach?(context: ChannelContext): void;
  /** Output for messages the server sends on its own (API `output_channel=<name>`), or null. */
  outputChannel(): OutputChannel | null;
  /** Release what `attach` created (sockets). Called before the HTTP server closes. */
  close?(): Promise<void>;
}
