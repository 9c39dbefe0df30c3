/** What every store, lock store and broker factory receives besides its endpoints.yml section. */
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface StoreContext {
  /** SQLite files and other relative paths are resolved against this folder. */
  projectRoot: string;
  logger: Logger;
  /** The endpoints file, for error messages. @default 'endpoints.yml' */
  endpointsFile?: string;
  /**
   * How long a store keeps retrying while its server does not answer at startup.
   * @default 30000
   */
  startupTimeoutMs?: number;
}

/** Rasa names that exist there but not here, with what to use instead. */
const UNSUPPORTED_HINTS: Record<string, string> = {
  mongod: 'Parley has no MongoDB tracker store; use `type: sql` (PostgreSQL) or `type: redis`.',
  dynamo: 'Parley has no DynamoDB tracker store; use `type: sql` (PostgreSQL) or `type: redis`.',
  kafka: 'Parley has no Kafka event broker; use `type: pika` (RabbitMQ) or `type: sql`.',
  file: 'Parley has no file event broker; use `type: sql` with `dialect: sqlite`.',
};

/** The error for a `type:` no registry knows: names the known types, never falls back silently. */
export function unknownTypeError(
  section: string,
  type: string,
  known: readonly string[],
  file = 'endpoints.yml',
): ParleyError {
  const customClass = type.includes('.')
    ? ' It looks like a Python class path; Parley cannot load Python classes.'
    : '';
  const hint = UNSUPPORTED_HINTS[type] ? ` ${UNSUPPORTED_HINTS[type]}` : '';
  return new ParleyError(
    'PARLEY_ERR_ENDPOINT_CONFIG',
    `${section}: unknown type "${type}". Known types: ${known.join(', ')}.${hint}${customClass}`,
    { location: { file } },
  );
}
