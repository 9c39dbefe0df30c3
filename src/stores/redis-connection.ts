/** Rasa's Redis endpoint keys (`url`, `port`, `db`, `password`, `use_ssl`, …) turned into an ioredis client. */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, type RedisOptions } from 'ioredis';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EndpointOptions } from './endpoint-options.js';

export interface RedisEndpoint {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  /** Rasa's `socket_timeout`, in milliseconds. */
  timeoutMs: number;
  /** The alphanumeric `key_prefix`, or undefined for Rasa's default. */
  keyPrefix?: string;
}

const DEFAULT_SOCKET_TIMEOUT_SECONDS = 10;

/** Reads a Redis section; `url` is a host name, or a full `redis://` / `rediss://` URL. */
export function readRedisEndpoint(options: EndpointOptions, defaults: { db: number }): RedisEndpoint {
  const url = options.string('url', 'localhost');
  const parsed = url.includes('://') ? parseRedisUrl(url, options) : { host: url };
  const useSsl = options.boolean('use_ssl', parsed.tls ?? false);
  return {
    host: parsed.host,
    port: options.integer('port') ?? parsed.port ?? 6379,
    db: options.integer('db') ?? parsed.db ?? defaults.db,
    username: options.string('username') ?? parsed.username,
    password: options.string('password') ?? parsed.password,
    tls: useSsl ? readTls(options) : undefined,
    timeoutMs: options.number('socket_timeout', DEFAULT_SOCKET_TIMEOUT_SECONDS) * 1000,
    keyPrefix: readKeyPrefix(options),
  };
}

interface ParsedRedisUrl {
  host: string;
  port?: number;
  db?: number;
  username?: string;
  password?: string;
  tls?: boolean;
}

function parseRedisUrl(raw: string, options: EndpointOptions): ParsedRedisUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw options.error('`url` is not a valid Redis URL.', error);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw options.error(`\`url\` must start with redis:// or rediss://, not ${url.protocol}//.`);
  }
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname || 'localhost',
    port: url.port ? Number(url.port) : undefined,
    db: db ? Number(db) : undefined,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:',
  };
}

function readTls(options: EndpointOptions): RedisEndpoint['tls'] {
  const read = (key: string): Buffer | undefined => {
    const file = options.string(key);
    if (!file) return undefined;
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw options.error(`cannot read \`${key}\` (${file}).`, error);
    }
  };
  return { ca: read('ssl_ca_certs'), cert: read('ssl_certfile'), key: read('ssl_keyfile') };
}

/**
 * Rasa accepts only alphanumeric prefixes and ignores others with a warning; we refuse them, so
 * a typo cannot make two bots share keys unnoticed.
 */
function readKeyPrefix(options: EndpointOptions): string | undefined {
  const prefix = options.string('key_prefix');
  if (prefix === undefined || prefix === '') return undefined;
  if (!/^[A-Za-z0-9]+$/.test(prefix)) {
    throw options.error(`\`key_prefix\` must contain only letters and digits, but it is "${prefix}".`);
  }
  return prefix;
}

/** Host, port and db without secrets, for logs and errors. */
export function describeRedis(endpoint: RedisEndpoint): string {
  return `Redis at ${endpoint.host}:${endpoint.port} (db ${endpoint.db})`;
}

/**
 * Opens a client that reconnects forever in the background, fails a command after a few retries
 * (so a request gets a clear error instead of hanging) and logs outages once, not per retry.
 */
export function connectRedis(endpoint: RedisEndpoint, logger: Logger, name: string): Redis {
  const options: RedisOptions = {
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    username: endpoint.username,
    password: endpoint.password,
    tls: endpoint.tls,
    connectionName: name,
    connectTimeout: endpoint.timeoutMs,
    commandTimeout: endpoint.timeoutMs,
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  };
  const client = new Redis(options);
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error, target: describeRedis(endpoint), connection: name }, 'store.redis.connection.lost');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ target: describeRedis(endpoint), connection: name }, 'store.redis.connection.restored');
  });
  return client;
}

/** Rasa's key layout for one kind of key (`tracker`, `lock`): `<key_prefix>:<kind>:`, or `<kind>:` without a prefix. */
export function redisKeyPrefix(keyPrefix: string | undefined, kind: string): string {
  return keyPrefix ? `${keyPrefix}:${kind}:` : `${kind}:`;
}

/** What a Redis-backed store's `open` takes besides its own options. */
export interface RedisStoreStartup {
  endpoint: RedisEndpoint;
  logger: Logger;
  /** How long to wait for Redis to answer. @default 30000 */
  startupTimeoutMs?: number;
}

/**
 * Finishes opening a store whose constructor connected `client`: waits until Redis answers and
 * returns the store, or closes the store and throws when Redis does not answer in time.
 * @example static async open(options) { const store = new MyStore(options); return whenRedisAnswers(store, store.#redis, options); }
 */
export async function whenRedisAnswers<Store extends { close(): Promise<void> }>(
  store: Store,
  client: Redis,
  startup: RedisStoreStartup,
): Promise<Store> {
  try {
    await waitForRedis(client, startup.endpoint, startup.startupTimeoutMs ?? 30_000, startup.logger);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Escapes glob characters so a prefix can be used in SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

/**
 * Waits until Redis answers PING (it may still be booting next to us), then returns; throws a
 * coded error naming the target when it does not answer within `timeoutMs`.
 */
export async function waitForRedis(
  client: Redis,
  endpoint: RedisEndpoint,
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new ParleyError(
          'PARLEY_ERR_STORE_UNAVAILABLE',
          `Cannot reach the ${describeRedis(endpoint)}: ${(error as Error).message}. Check \`url\`, ` +
            '`port`, `db` and `password` in endpoints.yml and that Redis is running.',
          { cause: error },
        );
      }
      logger.warn({ attempt, target: describeRedis(endpoint) }, 'store.redis.connect.retry');
      await sleep(Math.min(500 * attempt, 2_000, Math.max(deadline - Date.now(), 0)));
    }
  }
}
