/**
 * The one place that knows every event broker: endpoints.yml `event_broker.type` → factory. Each
 * transport (and its driver: amqplib, or an SQL driver) is imported only when endpoints.yml names
 * it, to keep start-up quick.
 */
import { EndpointOptions } from '../stores/endpoint-options.js';
import { readSqlConnection } from '../stores/sql/connection-config.js';
import { unknownTypeError, type StoreContext } from '../stores/store-context.js';
import { BufferedEventBroker } from './buffered-broker.js';
import type { BrokerTransport, EventBroker } from './types.js';

type TransportFactory = (options: EndpointOptions, context: StoreContext) => Promise<BrokerTransport>;

const TRANSPORTS: ReadonlyMap<string, TransportFactory> = new Map<string, TransportFactory>([
  [
    'pika',
    async (options, context) => {
      const { PikaTransport, readPikaSettings } = await import('./pika-broker.js');
      return new PikaTransport(readPikaSettings(options), context.logger);
    },
  ],
  [
    'sql',
    async (options, context) => {
      const config = readSqlConnection(options, { db: 'events.db', projectRoot: context.projectRoot });
      const { SqlBrokerTransport } = await import('./sql-broker.js');
      return new SqlBrokerTransport(config, context.logger);
    },
  ],
]);

/** Every `event_broker.type` Parley accepts. */
export const EVENT_BROKER_TYPES: readonly string[] = [...TRANSPORTS.keys()];

/**
 * Creates the broker an `event_broker` section asks for (`pika` when it names no `type`, as in
 * Rasa), or returns undefined when there is no section. A configuration problem throws; an
 * unreachable server does not: events are buffered until it answers.
 *
 * Keys besides Rasa's: `max_buffered_events` (default 10000), the bound of the in-memory buffer.
 * Rasa's `retry_delay_in_seconds` (default 5) is the longest pause between retries and
 * `should_keep_unpublished_messages` (default true) is honoured; `connection_attempts` and
 * `raise_on_failure` are accepted and have no effect, because Parley retries in the background
 * and never fails a conversation for its broker.
 */
export async function createEventBroker(
  section: Record<string, unknown> | null | undefined,
  context: StoreContext,
): Promise<EventBroker | undefined> {
  if (section === undefined || section === null) return undefined;
  const options = new EndpointOptions(section, { section: 'event_broker', file: context.endpointsFile });
  const type = options.type ?? 'pika';
  const transport = TRANSPORTS.get(type);
  if (!transport) throw unknownTypeError('event_broker', type, EVENT_BROKER_TYPES, options.file);
  const broker = new BufferedEventBroker({
    type,
    transport: await transport(options, context),
    logger: context.logger,
    maxBuffered: options.integer('max_buffered_events', 10_000),
    maxRetryDelayMs: options.number('retry_delay_in_seconds', 5) * 1000,
    keepUnpublished: options.boolean('should_keep_unpublished_messages', true),
  });
  await broker.start();
  return broker;
}
