/**
 * Picks the SQL driver for a connection config and waits until the database answers. Each driver
 * (pg, mysql2, better-sqlite3) is imported only when its dialect is used, to keep start-up quick.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ParleyError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { describeSqlTarget, type SqlConnectionConfig } from './connection-config.js';
import type { SqlClient } from './sql-client.js';

export interface OpenSqlClientOptions {
  logger: Logger;
  /**
   * How long to keep retrying while the database does not answer at startup (it may still be
   * booting next to us, as in docker compose).
   * @default 30000
   */
  startupTimeoutMs?: number;
}

/** Opens a client and checks that the database answers, retrying with backoff until the timeout. */
export async function openSqlClient(
  config: SqlConnectionConfig,
  options: OpenSqlClientOptions,
): Promise<SqlClient> {
  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  let delay = 250;
  for (let attempt = 1; ; attempt += 1) {
    let client: SqlClient | undefined;
    try {
      client = await createClient(config, options.logger);
      await checkReady(client, config);
      return client;
    } catch (error) {
      await client?.close().catch(() => undefined);
      if (error instanceof ParleyError || isPermanent(error, config) || Date.now() + delay > deadline) {
        throw unavailable(config, error);
      }
      options.logger.warn(
        { attempt, retryInMs: delay, err: error, target: describeSqlTarget(config) },
        'store.sql.connect.retry',
      );
      await sleep(delay);
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

async function createClient(config: SqlConnectionConfig, logger: Logger): Promise<SqlClient> {
  switch (config.dialect) {
    case 'postgresql': {
      const { createPostgresClient } = await import('./postgres-client.js');
      return createPostgresClient(config, logger);
    }
    case 'mysql': {
      const { createMysqlClient } = await import('./mysql-client.js');
      return createMysqlClient(config);
    }
    case 'sqlite': {
      const { createSqliteClient } = await import('./sqlite-client.js');
      return createSqliteClient(config);
    }
    default: {
      const never: never = config.dialect;
      throw new Error(`unknown SQL dialect ${String(never)}`);
    }
  }
}

/** Wrong credentials or a missing database will not fix themselves: report them at once. */
const PERMANENT_ERROR_CODES = new Set([
  '28P01', // PostgreSQL: invalid password
  '28000', // PostgreSQL: invalid authorization
  '3D000', // PostgreSQL: database does not exist
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
]);

function isPermanent(error: unknown, config: SqlConnectionConfig): boolean {
  if (config.dialect === 'sqlite') return true;
  return PERMANENT_ERROR_CODES.has(String((error as { code?: unknown } | null)?.code));
}

async function checkReady(client: SqlClient, config: SqlConnectionConfig): Promise<void> {
  if (client.dialect !== 'postgresql' || !config.schema) {
    await client.query('SELECT 1');
    return;
  }
  const rows = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [
    config.schema,
  ]);
  if (rows.length === 0) {
    throw new ParleyError(
      'PARLEY_ERR_STORE_SCHEMA',
      `The PostgreSQL schema "${config.schema}" (from POSTGRESQL_SCHEMA) does not exist in ` +
        `${client.description}. Create it with CREATE SCHEMA "${config.schema}"; or unset POSTGRESQL_SCHEMA.`,
    );
  }
}

function unavailable(config: SqlConnectionConfig, cause: unknown): ParleyError {
  if (cause instanceof ParleyError) return cause;
  const target = describeSqlTarget(config);
  const reason = cause instanceof Error ? cause.message : String(cause);
  const hint =
    config.dialect === 'sqlite'
      ? 'Check that the folder is writable.'
      : 'Check `url`, `port`, `db`, `username` and `password` in endpoints.yml and that the server is running.';
  return new ParleyError('PARLEY_ERR_STORE_UNAVAILABLE', `Cannot open the ${target}: ${reason}. ${hint}`, {
    cause,
  });
}
