/**
 * The Redis lock store's server crashes and comes back empty during traffic: messages fail with
 * a clear error while it is down, the service recovers by itself, and no answered message is lost.
 * The Redis here is a private redis-server the test starts on its own port.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningCli } from '../helpers.js';
import { postgresTarget, type SqlTarget } from '../../stores/sql-targets.js';
import { conversationFromRows, startMoodbotCluster, type MoodbotCluster } from './moodbot-cluster.js';
import { privateRedis, type PrivateRedis } from './processes.js';
import { startTraffic } from './traffic.js';

let postgres: SqlTarget;
let redis: PrivateRedis;
let cluster: MoodbotCluster;
let parley: RunningCli;

beforeAll(async () => {
  postgres = await postgresTarget('lockfault');
  redis = await privateRedis();
  await redis.start();
  cluster = await startMoodbotCluster({
    count: 1,
    endpoints: {
      tracker_store: { type: 'sql', ...postgres.section },
      lock_store: { type: 'redis', url: '127.0.0.1', port: redis.port, socket_timeout: 2 },
    },
    env: { TICKET_LOCK_LIFETIME: '4' },
  });
  parley = cluster.instances[0];
}, 120_000);

afterAll(async () => {
  await cluster?.remove();
  await redis?.remove();
  await postgres?.drop();
});

it('fails clearly while the lock store is down, recovers after its restart and loses no answered message', async () => {
  const traffic = startTraffic(parley.url, { workers: 12, senderPrefix: `lockfault-${Date.now().toString(36)}` });
  await traffic.untilAnswered(40);
  await redis.kill();
  await traffic.untilFailed(10);
  await redis.start();
  const answeredAtRestart = traffic.answered;
  await traffic.untilAnswered(answeredAtRestart + 80);
  const conversations = await traffic.stop();
  // The client is told its message was not taken: 503 with the error, never an empty 200.
  expect([...traffic.failureStatuses]).toEqual([503]);

  expect(conversations.some((conversation) => conversation.turns.some((turn) => turn.failures > 0))).toBe(true);
  expect(parley.output()).toContain(`in the lock store (Redis at 127.0.0.1:${redis.port} (db 1))`);
  expect(parley.output()).toMatch(/PARLEY_ERR_STORE_UNAVAILABLE/);
  // A failed lock means the message was not processed at all, so the retried conversation is
  // exactly the script: every turn once, every answer right, in order.
  for (const { sender, script, turns } of conversations) {
    expect(turns.map((turn) => turn.replies), sender).toEqual(script.map((turn) => turn.replies));
    const rows = await postgres.query('SELECT data FROM events WHERE sender_id = $1 ORDER BY seq', [sender]);
    const stored = conversationFromRows(rows);
    expect(stored.user, sender).toEqual(script.map((turn) => turn.message));
    expect(stored.bot, sender).toEqual(script.flatMap((turn) => turn.replies));
  }
}, 60_000);
