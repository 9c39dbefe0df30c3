/**
 * RabbitMQ becomes unreachable during traffic (a TCP proxy in front of the machine's RabbitMQ is
 * cut, then restored): conversations go on meanwhile, and once it is back every stored event
 * reaches the queue. The queue and exchange are private to the run; the server is never touched.
 */
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningCli } from '../helpers.js';
import { TcpProxy } from '../../brokers/tcp-proxy.js';
import { postgresTarget, type SqlTarget } from '../../stores/sql-targets.js';
import { startMoodbotCluster, type MoodbotCluster } from './moodbot-cluster.js';
import { startTraffic } from './traffic.js';

const RABBITMQ_PORT = 5672;
const names = `parley_scale_${process.pid}_${Date.now().toString(36)}`;
const exchange = `${names}_exchange`;
const queue = `${names}_events`;

let postgres: SqlTarget;
let proxy: TcpProxy;
let admin: ChannelModel;
let channel: Channel;
let cluster: MoodbotCluster;
let parley: RunningCli;

beforeAll(async () => {
  postgres = await postgresTarget('brokerfault');
  admin = await amqp.connect({ hostname: '127.0.0.1', port: RABBITMQ_PORT, username: 'guest', password: 'guest' });
  channel = await admin.createChannel();
  proxy = await TcpProxy.create(RABBITMQ_PORT);
  await proxy.start();
  cluster = await startMoodbotCluster({
    count: 1,
    endpoints: {
      tracker_store: { type: 'sql', ...postgres.section },
      event_broker: {
        type: 'pika',
        url: '127.0.0.1',
        port: proxy.port,
        username: 'guest',
        password: 'guest',
        exchange_name: exchange,
        queues: [queue],
      },
    },
  });
  parley = cluster.instances[0];
}, 120_000);

afterAll(async () => {
  await cluster?.remove();
  await proxy?.stop();
  await channel?.deleteQueue(queue).catch(() => undefined);
  await channel?.deleteExchange(exchange).catch(() => undefined);
  await admin?.close();
  await postgres?.drop();
});

/** One event as the same text whether it came from the tracker store or the broker. */
function eventKey(event: Record<string, unknown>): string {
  return JSON.stringify([event.event, event.timestamp, event.name ?? null, event.text ?? null]);
}

it('keeps conversations going while RabbitMQ is cut off and publishes every event once it is back', async () => {
  const traffic = startTraffic(parley.url, { workers: 8, senderPrefix: `brokerfault-${Date.now().toString(36)}` });
  await traffic.untilAnswered(30);
  await proxy.stop();
  await traffic.untilAnswered(traffic.answered + 60);
  await proxy.start();
  await traffic.untilAnswered(traffic.answered + 30);
  const conversations = await traffic.stop();
  // A broker that is down neither fails nor changes a single answer.
  expect(traffic.failed).toBe(0);
  for (const { sender, script, turns } of conversations) {
    expect(turns.map((turn) => turn.replies), sender).toEqual(script.map((turn) => turn.replies));
  }

  const rows = await postgres.query('SELECT sender_id, data FROM events ORDER BY sender_id, seq');
  const deadline = Date.now() + 30_000;
  while ((await channel.checkQueue(queue)).messageCount < rows.length) {
    if (Date.now() > deadline) throw new Error(`the queue holds fewer than the ${rows.length} stored events`);
    await sleep(100);
  }

  const stored = new Map<string, string[]>();
  for (const row of rows) {
    const sender = String(row.sender_id);
    stored.set(sender, [...(stored.get(sender) ?? []), eventKey(JSON.parse(String(row.data)))]);
  }
  // A batch whose confirmation was cut off is sent again (at least once): duplicates are allowed,
  // gaps and reordering are not.
  const seen = new Set<string>();
  const published = new Map<string, string[]>();
  for (let message = await channel.get(queue, { noAck: true }); message !== false; message = await channel.get(queue, { noAck: true })) {
    const body = message.content.toString('utf8');
    if (seen.has(body)) continue;
    seen.add(body);
    const event = JSON.parse(body) as Record<string, unknown>;
    const sender = String(event.sender_id);
    published.set(sender, [...(published.get(sender) ?? []), eventKey(event)]);
  }
  expect(stored.size).toBe(conversations.length);
  expect(new Set(published.keys())).toEqual(new Set(stored.keys()));
  for (const [sender, events] of stored) expect(published.get(sender), sender).toEqual(events);
  // The outage is logged (LOG_LEVEL=warn here) and no event was given up on.
  expect(parley.output()).toContain('broker.publish.failed: buffering events and retrying');
  expect(parley.output()).not.toMatch(/events dropped|these events are lost/);
}, 60_000);
