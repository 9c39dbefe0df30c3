/** Rasa's SQL endpoint keys (`dialect`, `url`, `port`, `db`, …) read into one connection config. */
import path from 'node:path';
import type { EndpointOptions } from '../endpoint-options.js';
import type { SqlDialect } from './sql-client.js';

export interface SqlConnectionConfig {
  dialect: SqlDialect;
  /** SQLite only: absolute path of the database file, or `:memory:`. */
  file?: string;
  host?: string;
  port?: number;
  /** Database name (server dialects). */
  database?: string;
  user?: string;
  password?: string;
  /** Extra connection parameters (Rasa's `query`), e.g. `{ sslmode: 'require' }`. */
  query?: Record<string, string>;
  /** PostgreSQL only: connect here first and create `database` when it is missing (Rasa's `login_db`). */
  loginDatabase?: string;
  /** PostgreSQL only: the schema to use (Rasa's env `POSTGRESQL_SCHEMA`). */
  schema?: string;
  /** Most connections the pool opens. */
  poolSize: number;
}

export interface SqlConnectionDefaults {
  /** Rasa's default `db` for this endpoint (`rasa.db` for the tracker store, `events.db` for the broker). */
  db: string;
  /** SQLite files are resolved against this folder. */
  projectRoot: string;
}

const DIALECTS: ReadonlyMap<string, SqlDialect> = new Map([
  ['postgresql', 'postgresql'],
  ['postgres', 'postgresql'],
  ['mysql', 'mysql'],
  ['mariadb', 'mysql'],
  ['sqlite', 'sqlite'],
]);

/** The dialects `dialect:` accepts, for error messages. */
export const SUPPORTED_SQL_DIALECTS = [...DIALECTS.keys()];

const DEFAULT_POOL_SIZE = 20;

/**
 * Reads `dialect`, `url`, `port`, `db`, `username`, `password`, `login_db` and `query` as Rasa's
 * SQLTrackerStore does: `url` is a host, or a complete URL such as `postgresql://u:p@host/db`.
 */
export function readSqlConnection(
  options: EndpointOptions,
  defaults: SqlConnectionDefaults,
): SqlConnectionConfig {
  const rawUrl = options.string('url');
  const fromUrl = rawUrl?.includes('://') ? parseDatabaseUrl(rawUrl, options) : undefined;
  const dialect = fromUrl?.dialect ?? dialectOf(options.string('dialect', 'sqlite'), options);
  const query = stringRecord(options.record('query'), options);
  const database = fromUrl?.database ?? options.string('db', defaults.db);

  if (dialect === 'sqlite') {
    const file = database === ':memory:' ? database : path.resolve(defaults.projectRoot, database);
    return { dialect, file, poolSize: 1 };
  }

  let host = fromUrl?.host ?? rawUrl;
  let port = fromUrl?.port ?? options.integer('port');
  if (host && !fromUrl && host.includes(':')) {
    // Rasa accepts `url: db.example.com:5433`.
    const [name, written] = host.split(':');
    host = name;
    port = port ?? Number(written);
  }
  return {
    dialect,
    host: host ?? 'localhost',
    port,
    database,
    user: fromUrl?.user ?? options.string('username'),
    password: fromUrl?.password ?? options.string('password'),
    query: { ...fromUrl?.query, ...query },
    loginDatabase: options.string('login_db'),
    schema: options.string('schema') ?? process.env.POSTGRESQL_SCHEMA ?? undefined,
    poolSize: poolSizeFromEnv(),
  };
}

function dialectOf(written: string, options: EndpointOptions): SqlDialect {
  // SQLAlchemy names carry the Python driver after a `+` (`postgresql+psycopg2`); the driver is ours.
  const base = written.trim().toLowerCase().split('+')[0];
  const dialect = DIALECTS.get(base);
  if (!dialect) {
    throw options.error(
      `the SQL dialect "${written}" is not supported. Use one of: ${SUPPORTED_SQL_DIALECTS.join(', ')}.`,
    );
  }
  return dialect;
}

interface ParsedUrl {
  dialect: SqlDialect;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  query: Record<string, string>;
}

function parseDatabaseUrl(raw: string, options: EndpointOptions): ParsedUrl {
  const scheme = raw.slice(0, raw.indexOf('://'));
  const dialect = dialectOf(scheme, options);
  if (dialect === 'sqlite') {
    // sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy writes them.
    const rest = raw.slice(raw.indexOf('://') + 3);
    return { dialect, database: rest.startsWith('/') ? rest.slice(1) : rest, query: {} };
  }
  let url: URL;
  try {
    url = new URL(raw.replace(/^[^:]+:/, 'parley:'));
  } catch (error) {
    throw options.error(`\`url\` is not a valid database URL.`, error);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    dialect,
    host: url.hostname || undefined,
    port: url.port ? Number(url.port) : undefined,
    database: database || undefined,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    query: Object.fromEntries(url.searchParams),
  };
}

function stringRecord(
  record: Record<string, unknown> | undefined,
  options: EndpointOptions,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    if (value === null || typeof value === 'object') {
      throw options.error(`\`query.${key}\` must be a plain value.`);
    }
    result[key] = String(value);
  }
  return result;
}

/** Rasa's `SQL_POOL_SIZE` + `SQL_MAX_OVERFLOW` become the pool's upper bound. */
function poolSizeFromEnv(): number {
  const size = Number(process.env.SQL_POOL_SIZE ?? '');
  const overflow = Number(process.env.SQL_MAX_OVERFLOW ?? '');
  const base = Number.isInteger(size) && size > 0 ? size : DEFAULT_POOL_SIZE;
  return base + (Number.isInteger(overflow) && overflow > 0 ? overflow : 0);
}

/** A description of the target without secrets, for logs and errors. */
export function describeSqlTarget(config: SqlConnectionConfig): string {
  if (config.dialect === 'sqlite') return `SQLite database ${config.file}`;
  const name = config.dialect === 'postgresql' ? 'PostgreSQL' : 'MySQL/MariaDB';
  const port = config.port ? `:${config.port}` : '';
  const schema = config.schema ? ` (schema "${config.schema}")` : '';
  return `${name} database "${config.database}"${schema} at ${config.host}${port}`;
}
