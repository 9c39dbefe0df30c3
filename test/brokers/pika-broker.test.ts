import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBroker } from '../../src/brokers/broker-registry.js';
import { BufferedEventBroker } from '../../src/brokers/buffered-broker.js';
import { PikaTransport, readPikaSettings } from '../../src/brokers/pika-broker.js';
import type { EventBroker } from '../../src/brokers/types.js';
import { silentLogger } from '../../src/logger.js';
import { EndpointOptions } from '../../src/stores/endpoint-options.js';
import { runEventBrokerContract } from '../contracts/event-broker.contract.js';
import { conversationId, userEvent } from '../contracts/tracker-store.contract.js';
import { TcpProxy } from './tcp-proxy.js';

const logger = silentLogger();
const RABBITMQ_PORT = 5672;
const run = `${process.pid}_${Date.now().toString(36)}`;
const exchanges: string[] = [];
const queues: string[] = [];
let admin: ChannelModel;
let channel: Channel;

/** A private exchange and queue(s) for one broker under test. */
function names(label: string, queueCount = 1): { exchange: string; queues: string[] } {
  const exchange = `parley_test_${label}_${run}`;
  const mine = Array.from({ length: queueCount }, (_, index) => `${exchange}_q${index}`);
  exchanges.push(exchange);
  queues.push(...mine);
  return { exchange, queues: mine };
}

function section(target: { exchange: string; queues: string[] }, port = RABBITMQ_PORT, extra: Record<string, unknown> = {}) {
  return {
    type: 'pika',
    url: '127.0.0.1',
    port,
    username: 'guest',
    password: 'guest',
    exchange_name: target.exchange,
    queues: target.queues,
    ...extra,
  };
}

async function drain(queue: string): Promise<Array<{ body: string; properties: Record<string, unknown> }>> {
  const messages = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return messages;
    messages.push({ body: message.content.toString('utf8'), properties: message.properties as unknown as Record<string, unknown> });
  }
}

beforeAll(async () => {
  admin = await amqp.connect({ hostname: '127.0.0.1', port: RABBITMQ_PORT, username: 'guest', password: 'guest' });
  channel = await admin.createChannel();
});

afterAll(async () => {
  for (const queue of queues) await channel.deleteQueue(queue).catch(() => undefined);
  for (const exchange of exchanges) await channel.deleteExchange(exchange).catch(() => undefined);
  await admin.close();
});

const contractTarget = names('contract');
runEventBrokerContract('pika (RabbitMQ)', {
  open: async () => (await createEventBroker(section(contractTarget), { projectRoot: '/', logger }))!,
  received: async () => (await drain(contractTarget.queues[0])).map((message) => message.body),
});

describe('pika event broker', () => {
  const brokers: EventBroker[] = [];
  const open = async (body: Record<string, unknown>) => {
    const broker = (await createEventBroker(body, { projectRoot: '/', logger }))!;
    brokers.push(broker);
    return broker;
  };
  afterAll(async () => {
    await Promise.all(brokers.map((broker) => broker.close()));
  });

  it('fans every event out to each configured durable queue, as persistent messages', async () => {
    const target = names('fanout', 2);
    const broker = await open(section(target));
    broker.publish('fan', [userEvent('hi')]);
    expect(await broker.flush()).toBe(true);
    for (const queue of target.queues) {
      const messages = await drain(queue);
      expect(messages.map((message) => JSON.parse(message.body).text)).toEqual(['hi']);
      expect(messages[0].properties.deliveryMode).toBe(2);
      expect((await channel.checkQueue(queue)).queue).toBe(queue);
    }
  });

  it('sets app_id from RASA_ENVIRONMENT, as Rasa does', async () => {
    const target = names('appid');
    process.env.RASA_ENVIRONMENT = 'production-eu';
    try {
      const broker = await open(section(target));
      broker.publish('env', [userEvent('hi')]);
      expect(await broker.flush()).toBe(true);
      const [message] = await drain(target.queues[0]);
      expect(message.properties.appId).toBe('production-eu');
    } finally {
      delete process.env.RASA_ENVIRONMENT;
    }
  });

  it('uses an exchange that already exists with other settings instead of failing', async () => {
    const target = names('existing');
    await channel.assertExchange(target.exchange, 'fanout', { durable: true });
    const broker = await open(section(target));
    broker.publish('existing', [userEvent('hi')]);
    expect(await broker.flush()).toBe(true);
    expect(await drain(target.queues[0])).toHaveLength(1);
  });

  it('buffers while RabbitMQ is unreachable and delivers everything, in order, once it is back', async () => {
    const target = names('outage');
    const proxy = await TcpProxy.create(RABBITMQ_PORT);
    const broker = await open(section(target, proxy.port, { retry_delay_in_seconds: 0.2 }));
    const id = conversationId('outage');

    // 1. The server is down from the start: nothing can be delivered, nothing is lost.
    broker.publish(id, [userEvent('0'), userEvent('1')]);
    expect(await broker.flush(300)).toBe(false);
    expect(broker.stats()).toMatchObject({ buffered: 2, connected: false });

    // 2. It comes up: the buffer drains.
    await proxy.start();
    expect(await broker.flush(10_000)).toBe(true);

    // 3. It goes down mid-conversation (open connections are cut) and comes back.
    await proxy.stop();
    broker.publish(id, [userEvent('2'), userEvent('3')]);
    expect(await broker.flush(300)).toBe(false);
    await proxy.start();
    broker.publish(id, [userEvent('4')]);
    expect(await broker.flush(10_000)).toBe(true);
    await proxy.stop();

    const texts = (await drain(target.queues[0])).map((message) => JSON.parse(message.body).text as string);
    const firstSeen = texts.filter((text, index) => texts.indexOf(text) === index);
    expect(firstSeen).toEqual(['0', '1', '2', '3', '4']);
    expect(broker.stats().retried).toBeGreaterThan(0);
    expect(broker.stats().dropped).toBe(0);
  });

  it('never blocks the publisher and counts what the bounded buffer had to drop', async () => {
    const target = names('bounded');
    const proxy = await TcpProxy.create(RABBITMQ_PORT); // never started: unreachable
    const settings = readPikaSettings(new EndpointOptions(section(target, proxy.port), { section: 'event_broker' }));
    const broker = new BufferedEventBroker({
      type: 'pika',
      transport: new PikaTransport(settings, logger),
      logger,
      maxBuffered: 5,
      closeTimeoutMs: 100,
    });
    brokers.push(broker);
    broker.publish('bounded', Array.from({ length: 8 }, (_, index) => userEvent(`${index}`)));
    expect(broker.stats()).toMatchObject({ buffered: 5, dropped: 3 });
  });

  it('gives up on a failed batch when should_keep_unpublished_messages is false', async () => {
    const target = names('nokeep');
    const proxy = await TcpProxy.create(RABBITMQ_PORT);
    const settings = readPikaSettings(
      new EndpointOptions(section(target, proxy.port), { section: 'event_broker' }),
    );
    const broker = new BufferedEventBroker({
      type: 'pika',
      transport: new PikaTransport(settings, logger),
      logger,
      keepUnpublished: false,
      closeTimeoutMs: 100,
    });
    brokers.push(broker);
    broker.publish('nokeep', [userEvent('x')]);
    expect(await broker.flush(5_000)).toBe(true);
    expect(broker.stats()).toMatchObject({ dropped: 1, buffered: 0, published: 0 });
  });
});

describe('pika settings', () => {
  const read = (body: Record<string, unknown>) =>
    readPikaSettings(new EndpointOptions(body, { section: 'event_broker' }));

  it("defaults to Rasa's exchange and queue names", () => {
    expect(read({ url: 'rabbit' })).toMatchObject({
      exchange: 'rasa-exchange',
      queues: ['rasa_core_events'],
      connect: { hostname: 'rabbit', port: 5672, protocol: 'amqp' },
    });
  });

  it('accepts a single queue name as a list of one', () => {
    expect(read({ queues: 'only' }).queues).toEqual(['only']);
  });

  it('reads an amqps URL with credentials and vhost, letting explicit keys win', () => {
    expect(read({ url: 'amqps://u:p%40ss@mq.example.com:5671/bots', password: 'override' }).connect).toMatchObject({
      protocol: 'amqps',
      hostname: 'mq.example.com',
      port: 5671,
      username: 'u',
      password: 'override',
      vhost: 'bots',
    });
  });

  it('rejects a URL of another scheme with a coded error', () => {
    expect(() => read({ url: 'http://mq' })).toThrow(expect.objectContaining({ code: 'PARLEY_ERR_ENDPOINT_CONFIG' }));
  });
});
