/**
 * The PostgreSQL tracker store becomes unreachable during traffic (a TCP proxy in front of the
 * machine's PostgreSQL is cut, then restored): messages fail with a clear error meanwhile, the
 * service recovers by itself, and no answered message is lost. The real server is never touched.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningCli } from '../helpers.js';
import { TcpProxy } from '../../brokers/tcp-proxy.js';
import { POSTGRES, postgresTarget, type SqlTarget } from '../../stores/sql-targets.js';
import { conversationFromRows, startMoodbotCluster, type MoodbotCluster } from './moodbot-cluster.js';
import { startTraffic } from './traffic.js';

let postgres: SqlTarget;
let proxy: TcpProxy;
let cluster: MoodbotCluster;
let parley: RunningCli;

beforeAll(async () => {
  postgres = await postgresTarget('pgfault');
  proxy = await TcpProxy.create(POSTGRES.port);
  await proxy.start();
  cluster = await startMoodbotCluster({
    count: 1,
    endpoints: { tracker_store: { type: 'sql', ...postgres.section, port: proxy.port } },
  });
  parley = cluster.instances[0];
}, 120_000);

afterAll(async () => {
  await cluster?.remove();
  await proxy?.stop();
  await postgres?.drop();
});

it('fails clearly while PostgreSQL is unreachable, recovers after and loses no answered message', async () => {
  const traffic = startTraffic(parley.url, { workers: 12, senderPrefix: `pgfault-${Date.now().toString(36)}` });
  await traffic.untilAnswered(40);
  await proxy.stop();
  await traffic.untilFailed(10);
  await sleep(500);
  await proxy.start();
  const answeredAtRestore = traffic.answered;
  await traffic.untilAnswered(answeredAtRestore + 80);
  const conversations = await traffic.stop();
  // The client is told its message was not taken: 503 with the error, never an empty 200.
  expect([...traffic.failureStatuses]).toEqual([503]);

  expect(conversations.some((conversation) => conversation.turns.some((turn) => turn.failures > 0))).toBe(true);
  expect(parley.output()).toMatch(/PARLEY_ERR_STORE_UNAVAILABLE/);
  expect(parley.output()).toContain(`127.0.0.1:${proxy.port}`);

  let ambiguous = 0;
  for (const { sender, script, turns } of conversations) {
    const rows = await postgres.query('SELECT data FROM events WHERE sender_id = $1 ORDER BY seq', [sender]);
    const stored = conversationFromRows(rows);
    // A commit whose acknowledgement was cut off is stored, yet its client saw a failure and
    // sent the message again: the one case where a message can be stored twice.
    const deduplicated = stored.user.filter((text, index) => text !== stored.user[index - 1]);
    expect(deduplicated, sender).toEqual(script.map((turn) => turn.message));
    if (deduplicated.length !== stored.user.length) {
      ambiguous += 1;
      continue;
    }
    expect(turns.map((turn) => turn.replies), sender).toEqual(script.map((turn) => turn.replies));
    expect(stored.bot, sender).toEqual(script.flatMap((turn) => turn.replies));
  }
  expect(ambiguous).toBeLessThan(conversations.length / 4);
}, 60_000);
