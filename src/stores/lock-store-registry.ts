/**
 * The one place that knows every lock store: endpoints.yml `lock_store.type` → factory. The Redis
 * store (and ioredis) is imported only when endpoints.yml names it, to keep start-up quick.
 */
import { EndpointOptions, secondsFromEnv } from './endpoint-options.js';
import { createMemoryLockStore } from './memory-lock-store.js';
import { unknownTypeError, type StoreContext } from './store-context.js';
import type { LockStore } from './types.js';

export type LockStoreFactory = (options: EndpointOptions, context: StoreContext) => Promise<LockStore>;

const openRedis: LockStoreFactory = async (options, context) => {
  const [{ readRedisEndpoint }, { DEFAULT_LOCK_LIFETIME_MS, RedisLockStore }] = await Promise.all([
    import('./redis-connection.js'),
    import('./redis-lock-store.js'),
  ]);
  return RedisLockStore.open({
    // Rasa keeps locks in db 1 by default, apart from trackers in db 0.
    endpoint: readRedisEndpoint(options, { db: 1 }),
    lockLifetimeMs: secondsFromEnv('TICKET_LOCK_LIFETIME', DEFAULT_LOCK_LIFETIME_MS / 1000) * 1000,
    logger: context.logger,
    startupTimeoutMs: context.startupTimeoutMs,
  });
};

const LOCK_STORES: ReadonlyMap<string, LockStoreFactory> = new Map([
  ['in_memory', async () => createMemoryLockStore()],
  ['redis', openRedis],
]);

/** Every `lock_store.type` Parley accepts. */
export const LOCK_STORE_TYPES: readonly string[] = [...LOCK_STORES.keys()];

/**
 * Opens the lock store a `lock_store` section asks for; `in_memory` without a section or `type`.
 * Rasa's `concurrent_mode` key is accepted and has no effect: the Redis lock store is always safe
 * across servers.
 */
export async function createLockStore(
  section: Record<string, unknown> | null | undefined,
  context: StoreContext,
): Promise<LockStore> {
  const options = new EndpointOptions(section, { section: 'lock_store', file: context.endpointsFile });
  const type = options.type ?? 'in_memory';
  const factory = LOCK_STORES.get(type);
  if (!factory) throw unknownTypeError('lock_store', type, LOCK_STORE_TYPES, options.file);
  const store = await factory(options, context);
  context.logger.info({ type }, 'store.lock.opened');
  return store;
}
