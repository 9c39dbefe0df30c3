/** SqlClient over better-sqlite3: one file in WAL mode, every operation serialised in process. */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describeSqlTarget, type SqlConnectionConfig } from './connection-config.js';
import type { SqlClient, SqlExecutor, SqlRow } from './sql-client.js';

/** How long a statement keeps retrying while another connection holds the file's write lock. */
const BUSY_WAIT_MS = 10_000;
const MAX_CACHED_STATEMENTS = 256;

/** Opens (creating when needed) the database file and its folder. */
export function createSqliteClient(config: SqlConnectionConfig): SqlClient {
  const file = config.file ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  return new SqliteClient(new Database(file), describeSqlTarget(config));
}

class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  readonly description: string;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  /**
   * The driver is synchronous, but a transaction's body awaits between statements; chaining every
   * operation keeps another caller's statements out of an open transaction.
   */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(db: Database.Database, description: string) {
    this.#db = db;
    this.description = description;
    // SQLite's own busy wait would block the event loop (and with it the connection that holds the
    // lock, when both live in this process); we retry asynchronously instead.
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = WAL');
    // WAL keeps committed transactions safe from process crashes with NORMAL syncing.
    db.pragma('synchronous = NORMAL');
  }

  query<Row extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.#serial(() => whenNotBusy(() => this.#run<Row>(sql, params)));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      await whenNotBusy(() => this.#db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await work({ query: async (sql, params = []) => this.#run(sql, params) });
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  exclusive<T>(_lockName: string, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // BEGIN IMMEDIATE takes the file's write lock, which is what other processes would wait on.
    return this.transaction(work);
  }


  async close(): Promise<void> {
    await this.#serial(async () => this.#db.close());
  }

  #run<Row>(sql: string, params: readonly unknown[]): Row[] {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      // Multi-row inserts vary in length; keep the cache from growing without bound.
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    if (statement.reader) return statement.all(...params) as Row[];
    statement.run(...params);
    return [];
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(operation, operation);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/** Runs `operation`, retrying with backoff while the database file is locked by another connection. */
async function whenNotBusy<T>(operation: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
    try {
      return operation();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() > deadline) throw error;
      await sleep(delay);
    }
  }
}
