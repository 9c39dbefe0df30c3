/**
 * The real SQL servers of this machine, each given a private namespace per test run (a PostgreSQL
 * schema, a MariaDB database, a temp SQLite folder) so parallel test files never collide.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

export interface SqlTarget {
  /** The endpoints.yml section that points at this target (without `type`). */
  section: Record<string, unknown>;
  /** A folder SQLite files are resolved against. */
  projectRoot: string;
  /** Runs SQL directly against the target, outside the code under test. */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

function uniqueName(label: string): string {
  return `parley_${label}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}

export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' };

export async function postgresTarget(label = 'pg'): Promise<SqlTarget> {
  const schema = uniqueName(label);
  const admin = new pg.Client(POSTGRES);
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`SET search_path TO "${schema}"`);
  return {
    section: {
      dialect: 'postgresql',
      url: POSTGRES.host,
      port: POSTGRES.port,
      db: POSTGRES.database,
      username: POSTGRES.user,
      schema,
    },
    projectRoot: os.tmpdir(),
    query: async (sql, params) => (await admin.query(sql, params)).rows,
    drop: async () => {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

export async function mariadbTarget(label = 'my'): Promise<SqlTarget> {
  const database = uniqueName(label);
  const admin = await mysql.createConnection({ ...MARIADB, multipleStatements: false });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  await admin.query(`USE \`${database}\``);
  return {
    section: {
      dialect: 'mysql',
      url: MARIADB.host,
      port: MARIADB.port,
      db: database,
      username: MARIADB.user,
      password: MARIADB.password,
    },
    projectRoot: os.tmpdir(),
    query: async (sql, params) => {
      const [rows] = await admin.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    drop: async () => {
      await admin.query(`DROP DATABASE \`${database}\``);
      await admin.end();
    },
  };
}

export async function sqliteTarget(): Promise<SqlTarget> {
  const projectRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-'));
  const { default: Database } = await import('better-sqlite3');
  let direct: InstanceType<typeof Database> | undefined;
  const file = path.join(projectRoot, 'rasa.db');
  return {
    section: { dialect: 'sqlite', db: 'rasa.db' },
    projectRoot,
    query: async (sql, params = []) => {
      direct ??= new Database(file);
      const statement = direct.prepare(sql);
      if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
      statement.run(...params);
      return [];
    },
    drop: async () => {
      direct?.close();
      fs.rmSync(projectRoot, { recursive: true, force: true });
    },
  };
}
