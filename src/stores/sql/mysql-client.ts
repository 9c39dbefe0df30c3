/** SqlClient over mysql2 for MySQL and MariaDB: a pool, `GET_LOCK` for migrations. */
import mysql from 'mysql2/promise';
import { describeSqlTarget, type SqlConnectionConfig } from './connection-config.js';
import type { SqlClient, SqlExecutor, SqlRow } from './sql-client.js';

const CONNECT_TIMEOUT_MS = 10_000;
const SCHEMA_LOCK_WAIT_SECONDS = 60;

/** Opens a pool; connections are made on first use. */
export function createMysqlClient(config: SqlConnectionConfig): SqlClient {
  return new MysqlClient(config);
}

class MysqlClient implements SqlClient {
  readonly dialect = 'mysql' as const;
  readonly description: string;
  readonly #pool: mysql.Pool;

  constructor(config: SqlConnectionConfig) {
    this.description = describeSqlTarget(config);
    this.#pool = mysql.createPool({
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      password: config.password,
      charset: 'utf8mb4',
      connectTimeout: CONNECT_TIMEOUT_MS,
      connectionLimit: config.poolSize,
      supportBigNumbers: true,
      ssl: config.query?.ssl === 'true' ? {} : undefined,
    });
  }

  query<Row extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return run<Row>(this.#pool, sql, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const connection = await this.#pool.getConnection();
    try {
      await connection.beginTransaction();
      const result = await work(executorOn(connection));
      await connection.commit();
      return result;
    } catch (error) {
      await connection.rollback().catch(() => connection.destroy());
      throw error;
    } finally {
      connection.release();
    }
  }

  async exclusive<T>(lockName: string, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // DDL commits implicitly in MySQL, so a session-level named lock (not a transaction) orders
    // concurrent migrations.
    const connection = await this.#pool.getConnection();
    try {
      const [rows] = await connection.query('SELECT GET_LOCK(?, ?) AS acquired', [
        lockName,
        SCHEMA_LOCK_WAIT_SECONDS,
      ]);
      if ((rows as Array<{ acquired: number }>)[0]?.acquired !== 1) {
        throw new Error(`timed out waiting for the named lock "${lockName}"`);
      }
      try {
        return await work(executorOn(connection));
      } finally {
        await connection.query('SELECT RELEASE_LOCK(?)', [lockName]);
      }
    } finally {
      connection.release();
    }
  }


  async close(): Promise<void> {
    await this.#pool.end();
  }
}

interface Queryable {
  query(sql: string, params: unknown[]): Promise<[unknown, unknown]>;
}

async function run<Row>(target: Queryable, sql: string, params: readonly unknown[]): Promise<Row[]> {
  const [result] = await target.query(sql, [...params]);
  return Array.isArray(result) ? (result as Row[]) : [];
}

function executorOn(connection: mysql.PoolConnection): SqlExecutor {
  return { query: (sql, params = []) => run(connection as unknown as Queryable, sql, params) };
}
