/**
 * The one place that knows every tracker store: endpoints.yml `tracker_store.type` → factory.
 * Each factory imports its store (and database driver) only when endpoints.yml names it: the
 * drivers together cost a noticeable part of `parley run`'s start-up.
 */
import path from 'node:path';
import type { TrackerEvent } from '../shared/events.js';
import { EndpointOptions } from './endpoint-options.js';
import { createMemoryTrackerStore } from './memory-tracker-store.js';
import { readSqlConnection } from './sql/connection-config.js';
import { unknownTypeError, type StoreContext } from './store-context.js';
import type { TrackerStore } from './types.js';

export type TrackerStoreFactory = (options: EndpointOptions, context: StoreContext) => Promise<TrackerStore>;

/** Where `parley run` keeps conversations when endpoints.yml names no tracker store. */
export const DEFAULT_SQLITE_FILE = '.parley/conversations.db';

const openSqlite: TrackerStoreFactory = async (options, context) => {
  const file = options.string('db', DEFAULT_SQLITE_FILE);
  const [{ openSqlClient }, { SqlTrackerStore }] = await Promise.all([
    import('./sql/open-sql-client.js'),
    import('./sql-tracker-store.js'),
  ]);
  const client = await openSqlClient(
    { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(context.projectRoot, file), poolSize: 1 },
    context,
  );
  return SqlTrackerStore.open(client, { type: 'sqlite', logger: context.logger });
};

const openSql: TrackerStoreFactory = async (options, context) => {
  const config = readSqlConnection(options, { db: 'rasa.db', projectRoot: context.projectRoot });
  const [{ openSqlClient }, { SqlTrackerStore }] = await Promise.all([
    import('./sql/open-sql-client.js'),
    import('./sql-tracker-store.js'),
  ]);
  const client = await openSqlClient(config, context);
  return SqlTrackerStore.open(client, { type: 'sql', logger: context.logger });
};

const openRedis: TrackerStoreFactory = async (options, context) => {
  const [{ readRedisEndpoint }, { RedisTrackerStore }] = await Promise.all([
    import('./redis-connection.js'),
    import('./redis-tracker-store.js'),
  ]);
  return RedisTrackerStore.open({
    endpoint: readRedisEndpoint(options, { db: 0 }),
    recordExpirySeconds: options.integer('record_exp'),
    logger: context.logger,
    startupTimeoutMs: context.startupTimeoutMs,
  });
};

const TRACKER_STORES: ReadonlyMap<string, TrackerStoreFactory> = new Map([
  ['in_memory', async () => createMemoryTrackerStore()],
  ['sqlite', openSqlite],
  ['sql', openSql],
  ['redis', openRedis],
]);

/** Every `tracker_store.type` Parley accepts. */
export const TRACKER_STORE_TYPES: readonly string[] = [...TRACKER_STORES.keys()];

/**
 * Opens the tracker store a `tracker_store` section asks for. Without a section or `type`,
 * `defaultType` applies (Rasa's default is `in_memory`; `parley run` passes `sqlite`).
 */
export async function createTrackerStore(
  section: Record<string, unknown> | null | undefined,
  context: StoreContext,
  defaultType = 'sqlite',
): Promise<TrackerStore> {
  const options = new EndpointOptions(section, { section: 'tracker_store', file: context.endpointsFile });
  const type = options.type ?? defaultType;
  const factory = TRACKER_STORES.get(type);
  if (!factory) throw unknownTypeError('tracker_store', type, TRACKER_STORE_TYPES, options.file);
  const store = await factory(options, context);
  const allSessions = options.boolean('retrieve_events_from_previous_conversation_sessions', false);
  context.logger.info({ type, allSessions }, 'store.tracker.opened');
  return allSessions ? new AllSessionsTrackerStore(store) : store;
}

/**
 * Rasa's `retrieve_events_from_previous_conversation_sessions: true`: every retrieve returns the
 * whole history, not only the latest session.
 */
class AllSessionsTrackerStore implements TrackerStore {
  readonly #store: TrackerStore;

  constructor(store: TrackerStore) {
    this.#store = store;
  }

  get type(): string {
    return this.#store.type;
  }

  retrieve(senderId: string): Promise<TrackerEvent[] | undefined> {
    return this.#store.retrieve(senderId, { allSessions: true });
  }

  append(senderId: string, events: readonly TrackerEvent[]): Promise<void> {
    return this.#store.append(senderId, events);
  }

  keys(): Promise<string[]> {
    return this.#store.keys();
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}
