import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { EndpointOptions } from '../../src/stores/endpoint-options.js';
import { readSqlConnection } from '../../src/stores/sql/connection-config.js';
import { openSqlClient } from '../../src/stores/sql/open-sql-client.js';
import type { SqlDialect } from '../../src/stores/sql/sql-client.js';
import { SqlTrackerStore } from '../../src/stores/sql-tracker-store.js';
import type { TrackerStore } from '../../src/stores/types.js';
import {
  actionEvent,
  conversationId,
  runTrackerStoreContract,
  sessionStart,
  userEvent,
} from '../contracts/tracker-store.contract.js';
import { mariadbTarget, postgresTarget, sqliteTarget, type SqlTarget } from './sql-targets.js';

const logger = silentLogger();

async function openStore(target: SqlTarget, extra: Record<string, unknown> = {}): Promise<SqlTrackerStore> {
  const options = new EndpointOptions({ ...target.section, ...extra }, { section: 'tracker_store' });
  const config = readSqlConnection(options, { db: 'rasa.db', projectRoot: target.projectRoot });
  const client = await openSqlClient(config, { logger, startupTimeoutMs: 2_000 });
  return SqlTrackerStore.open(client, { type: 'sql', logger });
}

/** Rasa's own SQLTrackerStore table, as SQLAlchemy creates it for each dialect. */
const RASA_EVENTS_TABLE: Record<SqlDialect, string> = {
  postgresql: `CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),
    action_name VARCHAR(255), data TEXT)`,
  mysql: `CREATE TABLE events (id INTEGER AUTO_INCREMENT PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),
    action_name VARCHAR(255), data TEXT)`,
  sqlite: `CREATE TABLE events (id INTEGER NOT NULL PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),
    action_name VARCHAR(255), data TEXT)`,
};

const TARGETS: Array<[SqlDialect, () => Promise<SqlTarget>]> = [
  ['postgresql', () => postgresTarget('trk')],
  ['mysql', () => mariadbTarget('trk')],
  ['sqlite', () => sqliteTarget()],
];

for (const [dialect, makeTarget] of TARGETS) {
  describe(`SQL tracker store on ${dialect}`, () => {
    let target: SqlTarget;
    const stores: TrackerStore[] = [];
    const placeholder = (index: number) => (dialect === 'postgresql' ? `$${index}` : '?');

    beforeAll(async () => {
      target = await makeTarget();
    });
    afterAll(async () => {
      await Promise.all(stores.map((store) => store.close().catch(() => undefined)));
      await target.drop();
    });

    runTrackerStoreContract(`sql (${dialect})`, {
      open: () => openStore(target),
      eventsRead: (store) => (store as SqlTrackerStore).stats.eventsRead,
    });

    it("fills Rasa's events columns so existing SQL dashboards keep working", async () => {
      const store = await openStore(target);
      stores.push(store);
      const id = conversationId('columns');
      await store.append(id, [userEvent('hello'), actionEvent('utter_greet')]);
      const rows = await target.query(
        `SELECT type_name, intent_name, action_name, timestamp, data FROM events
          WHERE sender_id = ${placeholder(1)} ORDER BY id`,
        [id],
      );
      expect(rows.map((row) => [row.type_name, row.intent_name, row.action_name])).toEqual([
        ['user', 'greet', null],
        ['action', null, 'utter_greet'],
      ]);
      expect(Number(rows[0].timestamp)).toBeCloseTo(1_700_000_000.123456, 5);
      expect(JSON.parse(String(rows[1].data))).toMatchObject({ event: 'action', name: 'utter_greet' });
    });

    it('numbers the events of one conversation without gaps when two instances append to it at once', async () => {
      const [first, second] = [await openStore(target), await openStore(target)];
      stores.push(first, second);
      const id = conversationId('two-writers');
      const appends = Array.from({ length: 12 }, (_, index) =>
        (index % 2 === 0 ? first : second).append(id, [userEvent(`m${index}`, index), ...(index === 6 ? sessionStart(100) : [])]),
      );
      await Promise.all(appends);
      const all = (await first.retrieve(id, { allSessions: true })) ?? [];
      expect(all).toHaveLength(16);
      const texts = all.filter((event) => event.event === 'user').map((event) => (event as { text: string }).text);
      expect(new Set(texts).size).toBe(12);
      const rows = await target.query(`SELECT seq FROM events WHERE sender_id = ${placeholder(1)} ORDER BY seq`, [id]);
      expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 16 }, (_, index) => index));
      expect(await second.eventCount(id)).toBe(16);
      // The latest session starts at the session start the appends stored.
      const latest = (await second.retrieve(id)) ?? [];
      expect(latest[0]).toMatchObject({ event: 'action', name: 'action_session_start' });
      expect(latest.length).toBe(16 - all.findIndex((event) => event.event === 'action' && event.name === 'action_session_start'));
    });

    it('creates its tables once when several instances start at the same moment', async () => {
      const fresh = await makeTarget();
      try {
        const opened = await Promise.all([openStore(fresh), openStore(fresh), openStore(fresh)]);
        await opened[0].append('x', [userEvent('hi')]);
        expect(await opened[2].retrieve('x')).toEqual([userEvent('hi')]);
        await Promise.all(opened.map((store) => store.close()));
      } finally {
        await fresh.drop();
      }
    });

    it("upgrades a table written by Rasa's SQLTrackerStore and keeps its conversations", async () => {
      const fresh = await makeTarget();
      try {
        await fresh.query(RASA_EVENTS_TABLE[dialect]);
        const history = [userEvent('old', 1), ...sessionStart(2), userEvent('current', 3)];
        for (const event of history) {
          const name = 'name' in event ? event.name : null;
          const p = [1, 2, 3, 4, 5].map(placeholder);
          await fresh.query(
            `INSERT INTO events (sender_id, type_name, timestamp, action_name, data)
             VALUES (${p[0]}, ${p[1]}, ${p[2]}, ${p[3]}, ${p[4]})`,
            ['rasa-user', event.event, event.timestamp, name, JSON.stringify(event)],
          );
        }
        const store = await openStore(fresh);
        expect(await store.retrieve('rasa-user')).toEqual(history.slice(1));
        expect(await store.retrieve('rasa-user', { allSessions: true })).toEqual(history);
        await store.append('rasa-user', [userEvent('after upgrade', 4)]);
        expect((await store.retrieve('rasa-user'))?.at(-1)).toEqual(userEvent('after upgrade', 4));
        expect(await store.keys()).toEqual(['rasa-user']);
        await store.close();
      } finally {
        await fresh.drop();
      }
    });

    it("refuses an events table that is not a tracker table, such as the SQL broker's", async () => {
      const fresh = await makeTarget();
      try {
        await fresh.query('CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)');
        await expect(openStore(fresh)).rejects.toMatchObject({
          code: 'PARLEY_ERR_STORE_SCHEMA',
          message: expect.stringContaining('SQL event broker'),
        });
      } finally {
        await fresh.drop();
      }
    });

    it('refuses tables written by a newer Parley', async () => {
      const fresh = await makeTarget();
      try {
        const store = await openStore(fresh);
        await store.close();
        await fresh.query(`UPDATE parley_schema SET version = 99`);
        await expect(openStore(fresh)).rejects.toMatchObject({ code: 'PARLEY_ERR_STORE_SCHEMA' });
      } finally {
        await fresh.drop();
      }
    });

    it('rejects a conversation id longer than the 255 characters the table holds', async () => {
      const store = await openStore(target);
      stores.push(store);
      await expect(store.append('x'.repeat(256), [userEvent('hi')])).rejects.toMatchObject({
        code: 'PARLEY_ERR_BAD_REQUEST',
      });
    });
  });
}

describe('SQL tracker store when the server is unreachable', () => {
  it('fails at startup with a clear, coded error', async () => {
    const options = new EndpointOptions(
      { dialect: 'postgresql', url: '127.0.0.1', port: 1, db: 'test', username: 'postgres' },
      { section: 'tracker_store' },
    );
    const config = readSqlConnection(options, { db: 'rasa.db', projectRoot: '/' });
    const error = await openSqlClient(config, { logger, startupTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_STORE_UNAVAILABLE' });
    expect((error as Error).message).toContain('127.0.0.1:1');
  });

  it('turns a failure during a conversation into a coded error naming the conversation', async () => {
    const target = await postgresTarget('down');
    const store = await openStore(target);
    await target.drop();
    await expect(store.retrieve('lost')).rejects.toMatchObject({
      code: 'PARLEY_ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining('conversation "lost"'),
    });
    await store.close();
  });
});

describe('SQL tracker store with a wrong database name', () => {
  it('reports it at once instead of retrying', async () => {
    const options = new EndpointOptions(
      { dialect: 'postgresql', url: '127.0.0.1', port: 5432, db: 'no_such_db_parley', username: 'postgres' },
      { section: 'tracker_store' },
    );
    const config = readSqlConnection(options, { db: 'rasa.db', projectRoot: '/' });
    const error = await openSqlClient(config, { logger, startupTimeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PARLEY_ERR_STORE_UNAVAILABLE', message: expect.stringContaining('no_such_db_parley') });
  });
});
