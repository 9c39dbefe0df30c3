/** The small SQL surface the tracker store and the SQL broker need, one implementation per driver. */

export type SqlDialect = 'postgresql' | 'mysql' | 'sqlite';

export type SqlRow = Record<string, unknown>;

/** Runs statements written with `?` placeholders (converted per driver). */
export interface SqlExecutor {
  /** Rows for a query, `[]` for a statement that returns none. */
  query<Row extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface SqlClient extends SqlExecutor {
  readonly dialect: SqlDialect;
  /** Human-readable target without secrets, e.g. `PostgreSQL database "rasa" at db:5432`. */
  readonly description: string;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs `work` while holding a database-wide named lock, so that several Parley instances
   * starting at once create or migrate a schema one after the other.
   */
  exclusive<T>(lockName: string, work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Rewrites `?` placeholders as `$1, $2, …` (PostgreSQL). Our statements never quote a `?`. */
export function numberedPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
}

/** Error codes that mean "try the same transaction again". */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // PostgreSQL: deadlock_detected, serialization_failure; MySQL/MariaDB: lock deadlock / wait timeout.
  return code === '40P01' || code === '40001' || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

/** Lower-cased column names of `table` in the current schema/database; `[]` when it does not exist. */
export async function tableColumns(
  executor: SqlExecutor,
  dialect: SqlDialect,
  table: string,
): Promise<string[]> {
  const sql =
    dialect === 'postgresql'
      ? `SELECT column_name AS name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ?`
      : dialect === 'mysql'
        ? `SELECT COLUMN_NAME AS name FROM information_schema.columns
            WHERE table_schema = DATABASE() AND table_name = ?`
        : 'SELECT name FROM pragma_table_info(?)';
  const rows = await executor.query<{ name: string }>(sql, [table]);
  return rows.map((row) => row.name.toLowerCase());
}
