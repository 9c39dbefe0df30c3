import { afterEach, describe, expect, it } from 'vitest';
import { EndpointOptions } from '../../../src/stores/endpoint-options.js';
import { readSqlConnection } from '../../../src/stores/sql/connection-config.js';

const read = (body: Record<string, unknown>) =>
  readSqlConnection(new EndpointOptions(body, { section: 'tracker_store' }), { db: 'rasa.db', projectRoot: '/bot' });

describe('SQL connection settings', () => {
  afterEach(() => {
    delete process.env.POSTGRESQL_SCHEMA;
    delete process.env.SQL_POOL_SIZE;
    delete process.env.SQL_MAX_OVERFLOW;
  });

  it("defaults to Rasa's sqlite file rasa.db, resolved against the project", () => {
    expect(read({})).toMatchObject({ dialect: 'sqlite', file: '/bot/rasa.db' });
  });

  it('reads host, port, db and credentials for PostgreSQL', () => {
    expect(
      read({ dialect: 'postgresql', url: 'db.internal', port: '5433', db: 'bot', username: 'u', password: 'p' }),
    ).toMatchObject({ dialect: 'postgresql', host: 'db.internal', port: 5433, database: 'bot', user: 'u', password: 'p' });
  });

  it('accepts SQLAlchemy dialect names with a Python driver, and MariaDB', () => {
    expect(read({ dialect: 'postgresql+psycopg2' }).dialect).toBe('postgresql');
    expect(read({ dialect: 'mysql+pymysql' }).dialect).toBe('mysql');
    expect(read({ dialect: 'mariadb' }).dialect).toBe('mysql');
  });

  it('reads a host with its port written in url, as Rasa allows', () => {
    expect(read({ dialect: 'postgresql', url: 'db.internal:6000' })).toMatchObject({ host: 'db.internal', port: 6000 });
  });

  it('reads a complete database URL in url', () => {
    expect(read({ url: 'postgresql://bot%40corp:s%3Acret@db:5434/convos?sslmode=require' })).toMatchObject({
      dialect: 'postgresql',
      host: 'db',
      port: 5434,
      database: 'convos',
      user: 'bot@corp',
      password: 's:cret',
      query: { sslmode: 'require' },
    });
  });

  it('refuses an unsupported dialect and lists the supported ones', () => {
    expect(() => read({ dialect: 'oracle+cx_oracle' })).toThrow(/oracle\+cx_oracle.*postgresql, postgres, mysql, mariadb, sqlite/);
  });

  it('takes the PostgreSQL schema from POSTGRESQL_SCHEMA and the pool size from SQL_POOL_SIZE + SQL_MAX_OVERFLOW', () => {
    process.env.POSTGRESQL_SCHEMA = 'bots';
    process.env.SQL_POOL_SIZE = '5';
    process.env.SQL_MAX_OVERFLOW = '3';
    expect(read({ dialect: 'postgresql' })).toMatchObject({ schema: 'bots', poolSize: 8 });
  });
});
