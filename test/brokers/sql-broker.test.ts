import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBroker } from '../../src/brokers/broker-registry.js';
import { silentLogger } from '../../src/logger.js';
import { createTrackerStore } from '../../src/stores/tracker-store-registry.js';
import { runEventBrokerContract } from '../contracts/event-broker.contract.js';
import { conversationId, userEvent } from '../contracts/tracker-store.contract.js';
import { mariadbTarget, POSTGRES, postgresTarget, sqliteTarget, type SqlTarget } from '../stores/sql-targets.js';
import { TcpProxy } from './tcp-proxy.js';

const logger = silentLogger();

const TARGETS: Array<[string, () => Promise<SqlTarget>]> = [
  ['sqlite', () => sqliteTarget()],
  ['postgresql', () => postgresTarget('brk')],
  ['mysql', () => mariadbTarget('brk')],
];

for (const [dialect, makeTarget] of TARGETS) {
  describe(`sql event broker on ${dialect}`, () => {
    let target: SqlTarget;
    let lastId = 0;
    beforeAll(async () => {
      target = await makeTarget();
    });
    afterAll(async () => {
      await target.drop();
    });

    runEventBrokerContract(`sql (${dialect})`, {
      open: async () =>
        (await createEventBroker({ type: 'sql', ...target.section }, { projectRoot: target.projectRoot, logger }))!,
      received: async () => {
        const rows = await target.query(
          `SELECT id, sender_id, data FROM events WHERE id > ${lastId} ORDER BY id`,
        );
        if (rows.length > 0) lastId = Number(rows[rows.length - 1].id);
        for (const row of rows) expect(JSON.parse(String(row.data)).sender_id).toBe(row.sender_id);
        return rows.map((row) => String(row.data));
      },
    });
  });
}

describe('sql event broker', () => {
  it("defaults to Rasa's sqlite file events.db", async () => {
    const target = await sqliteTarget();
    try {
      const broker = (await createEventBroker({ type: 'sql' }, { projectRoot: target.projectRoot, logger }))!;
      broker.publish('default-file', [userEvent('hi')]);
      await broker.close();
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(`${target.projectRoot}/events.db`);
      expect(db.prepare('SELECT sender_id FROM events').all()).toEqual([{ sender_id: 'default-file' }]);
      db.close();
    } finally {
      await target.drop();
    }
  });

  it("refuses to write into the tracker store's events table", async () => {
    const target = await postgresTarget('shared');
    try {
      const store = await createTrackerStore({ type: 'sql', ...target.section }, { projectRoot: '/', logger });
      await store.close();
      await expect(
        createEventBroker({ type: 'sql', ...target.section }, { projectRoot: '/', logger }),
      ).rejects.toMatchObject({ code: 'PARLEY_ERR_ENDPOINT_CONFIG' });
    } finally {
      await target.drop();
    }
  });

  it('buffers while the database is unreachable and writes every event once it is back', async () => {
    const target = await postgresTarget('outage');
    const proxy = await TcpProxy.create(POSTGRES.port);
    await proxy.start();
    const broker = (await createEventBroker(
      { type: 'sql', ...target.section, port: proxy.port, retry_delay_in_seconds: 0.2 },
      { projectRoot: '/', logger },
    ))!;
    try {
      const id = conversationId('db-outage');
      broker.publish(id, [userEvent('0')]);
      expect(await broker.flush(10_000)).toBe(true);

      await proxy.stop();
      broker.publish(id, [userEvent('1'), userEvent('2')]);
      expect(await broker.flush(300)).toBe(false);
      expect(broker.stats().buffered).toBe(2);

      await proxy.start();
      expect(await broker.flush(15_000)).toBe(true);
      const rows = await target.query('SELECT data FROM events ORDER BY id');
      expect(rows.map((row) => JSON.parse(String(row.data)).text)).toEqual(['0', '1', '2']);
    } finally {
      await broker.close();
      await proxy.stop();
      await target.drop();
    }
  });
});
