/**
 * socket.io across Parley instances: with the Redis adapter, a bot message emitted to a session's
 * room on one instance reaches the browser connected to another.
 *
 * endpoints.yml (a Parley key; Rasa ignores keys it does not know):
 *   socketio_adapter:
 *     type: redis          # the only type
 *     url: localhost       # host or redis:// URL; port (6379), db (0), username, password,
 *     key_prefix: mybot    # use_ssl, socket_timeout as for the Redis tracker store
 * Channels are named `<key_prefix>:socket.io#…` (`socket.io#…` without a prefix).
 *
 * Behind a load balancer, clients must either use the websocket transport only or be routed to
 * the same instance for the whole HTTP long-polling handshake (sticky sessions): the adapter
 * relays emits between instances, not the polling requests of one connection.
 */
import type { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { EndpointOptions } from '../stores/endpoint-options.js';
import { unknownTypeError, type StoreContext } from '../stores/store-context.js';

export interface SocketIoAdapterHandle {
  /** Pass to `io.adapter(handle.adapter)` before clients connect. */
  adapter: ReturnType<typeof createAdapter>;
  /** Closes the adapter's two Redis connections (after the socket.io server closed). */
  close(): Promise<void>;
}

/** The `socketio_adapter` types Parley accepts. */
export const SOCKETIO_ADAPTER_TYPES: readonly string[] = ['redis'];

/** Builds the adapter a `socketio_adapter` section asks for, or undefined without one (one instance). */
export async function createSocketIoAdapter(
  section: Record<string, unknown> | null | undefined,
  context: StoreContext,
): Promise<SocketIoAdapterHandle | undefined> {
  if (section === undefined || section === null) return undefined;
  const options = new EndpointOptions(section, { section: 'socketio_adapter', file: context.endpointsFile });
  const type = options.type ?? 'redis';
  if (!SOCKETIO_ADAPTER_TYPES.includes(type)) {
    throw unknownTypeError('socketio_adapter', type, SOCKETIO_ADAPTER_TYPES, options.file);
  }
  // Imported only when endpoints.yml asks for the adapter: a single instance never loads Redis.
  const [{ createAdapter: createRedisAdapter }, { connectRedis, readRedisEndpoint, waitForRedis }] = await Promise.all([
    import('@socket.io/redis-adapter'),
    import('../stores/redis-connection.js'),
  ]);
  const endpoint = readRedisEndpoint(options, { db: 0 });
  const publisher = connectRedis(endpoint, context.logger, 'parley-socketio-pub');
  // A subscribed connection cannot run other commands, hence a second one.
  const subscriber = connectRedis(endpoint, context.logger, 'parley-socketio-sub');
  const quit = (client: Redis) => client.quit().catch(() => client.disconnect());
  try {
    await waitForRedis(publisher, endpoint, context.startupTimeoutMs ?? 30_000, context.logger);
  } catch (error) {
    await Promise.all([quit(publisher), quit(subscriber)]);
    throw error;
  }
  const key = endpoint.keyPrefix ? `${endpoint.keyPrefix}:socket.io` : 'socket.io';
  return {
    adapter: createRedisAdapter(publisher, subscriber, { key }),
    close: async () => {
      await Promise.all([quit(publisher), quit(subscriber)]);
    },
  };
}
