/** SqlClient over node-postgres (`pg`): a pool, `$n` placeholders, advisory locks for migrations. */
import pg from 'pg';
import type { Logger } from '../../logger.js';
import { describeSqlTarget, type SqlConnectionConfig } from './connection-config.js';
import {
  numberedPlaceholders,
  type SqlClient,
  type SqlExecutor,
  type SqlRow,
} from './sql-client.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** Opens a pool (creating the database first when `login_db` is set). Does not connect yet. */
export async function createPostgresClient(
  config: SqlConnectionConfig,
  logger: Logger,
): Promise<SqlClient> {
  if (config.loginDatabase && config.database && config.loginDatabase !== config.database) {
    await createDatabaseIfMissing(config, logger);
  }
  return new PostgresClient(config, logger);
}

class PostgresClient implements SqlClient {
  readonly dialect = 'postgresql' as const;
  readonly description: string;
  readonly #pool: pg.Pool;
  readonly #logger: Logger;

  constructor(config: SqlConnectionConfig, logger: Logger) {
    this.description = describeSqlTarget(config);
    this.#logger = logger;
    this.#pool = new pg.Pool({ ...poolSettings(config, config.database), max: config.poolSize });
    // An idle connection that dies (server restart) is dropped by the pool; without a listener
    // the 'error' event would end the process.
    this.#pool.on('error', (error) => {
      logger.warn({ err: error, target: this.description }, 'store.sql.connection.lost');
    });
  }

  async query<Row extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.#pool.query(numberedPlaceholders(sql), params as unknown[]);
    return result.rows as Row[];
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    // While checked out, the pool no longer listens to the connection: a connection that dies
    // between two queries of the transaction would emit an unhandled 'error' and end the
    // process. The next query fails on its own; the dead connection is then discarded.
    const onError = (error: Error): void => {
      broken ??= error;
      this.#logger.warn({ err: error, target: this.description }, 'store.sql.connection.lost');
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(executorOn(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  exclusive<T>(lockName: string, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // A transaction-scoped advisory lock: DDL is transactional in PostgreSQL, so the migration and
    // its lock end together.
    return this.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext(?))', [lockName]);
      return work(tx);
    });
  }


  async close(): Promise<void> {
    await this.#pool.end();
  }
}

function executorOn(client: pg.PoolClient): SqlExecutor {
  return {
    async query<Row extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(numberedPlaceholders(sql), params as unknown[]);
      return result.rows as Row[];
    },
  };
}

function poolSettings(config: SqlConnectionConfig, database: string | undefined): pg.PoolConfig {
  const settings: pg.PoolConfig = {
    host: config.host,
    port: config.port,
    database,
    user: config.user,
    password: config.password,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'parley',
  };
  if (config.schema) settings.options = `-c search_path=${config.schema}`;
  const sslmode = config.query?.sslmode;
  if (sslmode && sslmode !== 'disable' && sslmode !== 'allow') {
    settings.ssl = { rejectUnauthorized: sslmode === 'verify-full' || sslmode === 'verify-ca' };
  }
  return settings;
}

async function createDatabaseIfMissing(config: SqlConnectionConfig, logger: Logger): Promise<void> {
  const client = new pg.Client(poolSettings(config, config.loginDatabase));
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1', [
      config.database,
    ]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(config.database ?? '')}`);
        logger.info({ database: config.database }, 'store.sql.database.created');
      } catch (error) {
        // Another instance created it between our check and our CREATE.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await client.end();
  }
}
