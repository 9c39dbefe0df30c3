/** Opens the tracker store, lock store and event broker that endpoints.yml asks for, together. */
import { createEventBroker } from '../brokers/broker-registry.js';
import type { EventBroker } from '../brokers/types.js';
import type { Logger } from '../logger.js';
import type { Endpoints } from '../shared/project.js';
import { createLockStore } from './lock-store-registry.js';
import { createTrackerStore } from './tracker-store-registry.js';
import type { LockStore, TrackerStore } from './types.js';

export interface CreateStoresOptions {
  /** Relative SQLite paths resolve here; the default store lives in `<projectRoot>/.parley/`. */
  projectRoot: string;
  logger: Logger;
  /** The endpoints file, for error messages. @default 'endpoints.yml' */
  endpointsFile?: string;
  /** How long stores keep retrying while their server does not answer at startup. @default 30000 */
  startupTimeoutMs?: number;
  /**
   * The tracker store when endpoints.yml names none. `parley run` keeps conversations across
   * restarts in SQLite; Rasa's default is `in_memory`.
   * @default 'sqlite'
   */
  defaultTrackerStore?: 'sqlite' | 'in_memory';
}

export interface Stores {
  trackerStore: TrackerStore;
  lockStore: LockStore;
  /** Undefined when endpoints.yml has no `event_broker`. */
  broker: EventBroker | undefined;
  /** Delivers buffered broker events (bounded wait), then closes everything. */
  close(): Promise<void>;
}

/**
 * Reads `tracker_store`, `lock_store` and `event_broker` from endpoints.yml. Every problem is a
 * coded ParleyError naming the section; whatever was opened before a failure is closed again.
 */
export async function createStoresFromEndpoints(
  endpoints: Endpoints | null,
  options: CreateStoresOptions,
): Promise<Stores> {
  const context = {
    projectRoot: options.projectRoot,
    logger: options.logger.child({ module: 'stores' }),
    endpointsFile: options.endpointsFile,
    startupTimeoutMs: options.startupTimeoutMs,
  };
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    const trackerStore = await createTrackerStore(
      endpoints?.tracker_store,
      context,
      options.defaultTrackerStore ?? 'sqlite',
    );
    opened.push(trackerStore);
    const lockStore = await createLockStore(endpoints?.lock_store, context);
    opened.push(lockStore);
    const broker = await createEventBroker(endpoints?.event_broker, {
      ...context,
      logger: options.logger.child({ module: 'broker' }),
    });
    return {
      trackerStore,
      lockStore,
      broker,
      close: async () => {
        await broker?.close();
        await Promise.all([trackerStore.close(), lockStore.close()]);
      },
    };
  } catch (error) {
    await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
    throw error;
  }
}
