/**
 * The `pika` event broker (RabbitMQ, over amqplib), publishing as Rasa's PikaEventBroker does: a
 * fanout exchange (`exchange_name`, default `rasa-exchange`) bound to durable `queues` (default
 * `rasa_core_events`), one persistent message per event whose body is the event JSON plus
 * `sender_id`, `app_id` = env `RASA_ENVIRONMENT`. Messages are sent on a confirm channel, so an
 * event counts as delivered only once RabbitMQ has accepted it.
 */
import fs from 'node:fs';
import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import type { Logger } from '../logger.js';
import type { EndpointOptions } from '../stores/endpoint-options.js';
import type { BrokerMessage, BrokerTransport } from './types.js';

export const DEFAULT_EXCHANGE = 'rasa-exchange';
export const DEFAULT_QUEUE = 'rasa_core_events';
const CONNECT_TIMEOUT_MS = 10_000;
const HEARTBEAT_SECONDS = 30;
/** AMQP reply code when a declaration disagrees with what already exists. */
const PRECONDITION_FAILED = 406;

export interface PikaSettings {
  connect: Options.Connect;
  /** Socket options for amqplib (TLS material, connect timeout). */
  socket: Record<string, unknown>;
  exchange: string;
  queues: string[];
  /** Rasa's `app_id`: env `RASA_ENVIRONMENT`. */
  appId?: string;
}

/** Reads Rasa's pika keys: `url` (host or `amqp(s)://` URL), `port`, `username`, `password`, `queues`, `exchange_name`. */
export function readPikaSettings(options: EndpointOptions): PikaSettings {
  const url = options.string('url', 'localhost');
  const parsed = url.includes('://') ? parseAmqpUrl(url, options) : { hostname: url, protocol: 'amqp' };
  const port = options.integer('port') ?? parsed.port ?? 5672;
  const connect: Options.Connect = {
    protocol: parsed.protocol,
    hostname: parsed.hostname,
    port,
    username: options.string('username') ?? parsed.username ?? 'guest',
    password: options.string('password') ?? parsed.password ?? 'guest',
    vhost: parsed.vhost ?? '/',
    heartbeat: HEARTBEAT_SECONDS,
  };
  return {
    connect,
    socket: { timeout: CONNECT_TIMEOUT_MS, ...tlsFromEnvironment(options) },
    exchange: options.string('exchange_name', DEFAULT_EXCHANGE),
    queues: options.stringList('queues', [DEFAULT_QUEUE]),
    appId: process.env.RASA_ENVIRONMENT || undefined,
  };
}

interface ParsedAmqpUrl {
  protocol: string;
  hostname: string;
  port?: number;
  username?: string;
  password?: string;
  vhost?: string;
}

function parseAmqpUrl(raw: string, options: EndpointOptions): ParsedAmqpUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw options.error('`url` is not a valid AMQP URL.', error);
  }
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') {
    throw options.error(`\`url\` must be a host name or start with amqp:// or amqps://, not ${url.protocol}//.`);
  }
  const vhost = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined;
  return {
    protocol: url.protocol.slice(0, -1),
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    vhost,
  };
}

/** Rasa's `RABBITMQ_SSL_CLIENT_CERTIFICATE` / `RABBITMQ_SSL_CLIENT_KEY` environment variables. */
function tlsFromEnvironment(options: EndpointOptions): Record<string, unknown> {
  const certificate = process.env.RABBITMQ_SSL_CLIENT_CERTIFICATE;
  const key = process.env.RABBITMQ_SSL_CLIENT_KEY;
  if (!certificate || !key) return {};
  try {
    return { cert: fs.readFileSync(certificate), key: fs.readFileSync(key) };
  } catch (error) {
    throw options.error('cannot read the RabbitMQ client certificate or key named by RABBITMQ_SSL_CLIENT_*.', error);
  }
}

export class PikaTransport implements BrokerTransport {
  readonly description: string;
  readonly #settings: PikaSettings;
  readonly #logger: Logger;
  #model: ChannelModel | undefined;
  #channel: ConfirmChannel | undefined;

  constructor(settings: PikaSettings, logger: Logger) {
    this.#settings = settings;
    this.#logger = logger;
    const { hostname, port, vhost } = settings.connect;
    this.description = `RabbitMQ at ${hostname}:${port}${vhost === '/' ? '' : `/${vhost}`} (exchange "${settings.exchange}")`;
  }

  get connected(): boolean {
    return this.#channel !== undefined;
  }

  async connect(): Promise<void> {
    await this.reset();
    const model = await amqp.connect(this.#settings.connect, this.#settings.socket);
    // Without listeners an 'error' event would end the process.
    model.on('error', (error: Error) => this.#logger.warn({ err: error, target: this.description }, 'broker.pika.connection.error'));
    model.on('close', () => {
      if (this.#model === model) {
        this.#model = undefined;
        this.#channel = undefined;
      }
    });
    this.#model = model;
    const channel = await this.#declare(model);
    channel.on('close', () => {
      if (this.#channel === channel) this.#channel = undefined;
    });
    this.#channel = channel;
  }

  async send(messages: readonly BrokerMessage[]): Promise<void> {
    const channel = this.#channel;
    if (!channel) throw new Error('not connected to RabbitMQ');
    const options: Options.Publish = { persistent: true, appId: this.#settings.appId };
    for (const message of messages) {
      channel.publish(this.#settings.exchange, '', Buffer.from(message.body, 'utf8'), options);
    }
    await channel.waitForConfirms();
  }

  async reset(): Promise<void> {
    const model = this.#model;
    this.#model = undefined;
    this.#channel = undefined;
    await model?.close().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.reset();
  }

  /**
   * Declares the exchange and binds each queue, as Rasa does. When one already exists with other
   * settings (RabbitMQ answers 406 and closes the channel) we use it as it is.
   */
  async #declare(model: ChannelModel): Promise<ConfirmChannel> {
    let channel = await openChannel(model);
    const tolerate = async (declare: (channel: ConfirmChannel) => Promise<unknown>, what: string) => {
      try {
        await declare(channel);
      } catch (error) {
        if ((error as { code?: number }).code !== PRECONDITION_FAILED) throw error;
        this.#logger.info({ what, err: error }, 'broker.pika.declare.existing_kept');
        channel = await openChannel(model);
      }
    };
    const { exchange, queues } = this.#settings;
    // Rasa (aio-pika) declares the exchange non-durable; the queues are durable.
    await tolerate((c) => c.assertExchange(exchange, 'fanout', { durable: false }), `exchange ${exchange}`);
    for (const queue of queues) {
      await tolerate((c) => c.assertQueue(queue, { durable: true }), `queue ${queue}`);
      await channel.bindQueue(queue, exchange, '');
    }
    return channel;
  }
}

async function openChannel(model: ChannelModel): Promise<ConfirmChannel> {
  const channel = await model.createConfirmChannel();
  // Channel errors also reject the pending operation; the listener keeps them from crashing the process.
  channel.on('error', () => undefined);
  return channel;
}
