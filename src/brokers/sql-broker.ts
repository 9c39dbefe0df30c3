/**
 * The `sql` event broker, as Rasa's SQLEventBroker: every event becomes a row of a table `events`
 * (`id`, `sender_id`, `data` = the published JSON) in a database of its own (`db`, default
 * `events.db` with the default `dialect: sqlite`).
 */
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { SqlConnectionConfig } from '../stores/sql/connection-config.js';
import { describeSqlTarget } from '../stores/sql/connection-config.js';
import { openSqlClient } from '../stores/sql/open-sql-client.js';
import { tableColumns, type SqlClient, type SqlDialect } from '../stores/sql/sql-client.js';
import type { BrokerMessage, BrokerTransport } from './types.js';

/** How long one connection attempt may take before the broker retries in the background. */
const CONNECT_ATTEMPT_MS = 2_000;

const CREATE_TABLE: Record<SqlDialect, string> = {
  postgresql: 'CREATE TABLE IF NOT EXISTS events (id BIGSERIAL PRIMARY KEY, sender_id VARCHAR(255), data TEXT)',
  mysql:
    'CREATE TABLE IF NOT EXISTS events (id BIGINT AUTO_INCREMENT PRIMARY KEY, sender_id VARCHAR(255), data LONGTEXT) DEFAULT CHARSET=utf8mb4',
  sqlite: 'CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)',
};

export class SqlBrokerTransport implements BrokerTransport {
  readonly description: string;
  readonly #config: SqlConnectionConfig;
  readonly #logger: Logger;
  #client: SqlClient | undefined;
  #ready = false;

  constructor(config: SqlConnectionConfig, logger: Logger) {
    this.#config = config;
    this.#logger = logger;
    this.description = describeSqlTarget(config);
  }

  get connected(): boolean {
    return this.#ready;
  }

  async connect(): Promise<void> {
    this.#client ??= await openSqlClient(this.#config, { logger: this.#logger, startupTimeoutMs: CONNECT_ATTEMPT_MS });
    const client = this.#client;
    await client.query(CREATE_TABLE[client.dialect]);
    const columns = await tableColumns(client, client.dialect, 'events');
    if (columns.includes('type_name') || columns.includes('seq')) {
      throw new ParleyError(
        'PARLEY_ERR_ENDPOINT_CONFIG',
        `event_broker: the table "events" in ${this.description} belongs to the SQL tracker store. ` +
          'Give the broker its own database (`db`), as Rasa expects.',
        { location: { file: 'endpoints.yml' } },
      );
    }
    this.#ready = true;
  }

  async send(messages: readonly BrokerMessage[]): Promise<void> {
    const client = this.#client;
    if (!client || !this.#ready) throw new Error('not connected to the database');
    const params: unknown[] = [];
    for (const message of messages) params.push(message.senderId, message.body);
    await client.query(
      `INSERT INTO events (sender_id, data) VALUES ${messages.map(() => '(?, ?)').join(', ')}`,
      params,
    );
  }

  async reset(): Promise<void> {
    // The pool replaces broken connections itself; the next attempt re-checks the table.
    this.#ready = false;
  }

  async close(): Promise<void> {
    this.#ready = false;
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
  }
}
