/**
 * Two `parley run` instances of the unmodified moodbot behind a real nginx (round-robin), sharing
 * a PostgreSQL tracker store, the Redis lock store and the socket.io Redis adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTarget, type SqlTarget } from '../../stores/sql-targets.js';
import { redisTarget, type RedisTarget } from '../../stores/redis-target.js';
import {
  conversationFromRows,
  joinSession,
  restTurn,
  SCRIPTS,
  startMoodbotCluster,
  type MoodbotCluster,
  type SessionSocket,
} from './moodbot-cluster.js';
import { startNginx, type RunningNginx } from './processes.js';

let postgres: SqlTarget;
let redis: RedisTarget;
let cluster: MoodbotCluster;
let nginx: RunningNginx;

beforeAll(async () => {
  postgres = await postgresTarget('scale');
  redis = redisTarget('scale');
  const redisSection = { type: 'redis', url: '127.0.0.1', port: 6379, key_prefix: redis.keyPrefix };
  cluster = await startMoodbotCluster({
    count: 2,
    endpoints: {
      tracker_store: { type: 'sql', ...postgres.section },
      lock_store: redisSection,
      socketio_adapter: redisSection,
    },
  });
  nginx = await startNginx(cluster.ports);
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  await cluster?.remove();
  await redis?.cleanup();
  await postgres?.drop();
});

async function storedConversation(sender: string): Promise<{ user: string[]; bot: string[] }> {
  const rows = await postgres.query('SELECT data FROM events WHERE sender_id = $1 ORDER BY seq', [sender]);
  return conversationFromRows(rows);
}

function instances(): string[] {
  return cluster.ports.map((port) => `127.0.0.1:${port}`);
}

describe('two parley instances behind nginx', () => {
  it('alternates the turns of one conversation between the instances and keeps its history', async () => {
    const sender = `alternating-${Date.now()}`;
    const upstreams: Array<string | null> = [];
    for (const turn of SCRIPTS[0]) {
      const result = await restTurn(nginx.url, sender, turn.message);
      expect(result.status, result.body).toBe(200);
      expect(result.replies).toEqual(turn.replies);
      upstreams.push(result.upstream);
    }
    // One nginx worker, one client: strict round-robin, every turn on the other instance.
    expect(new Set(upstreams)).toEqual(new Set(instances()));
    for (let index = 1; index < upstreams.length; index += 1) expect(upstreams[index]).not.toBe(upstreams[index - 1]);
    const stored = await storedConversation(sender);
    expect(stored.user).toEqual(SCRIPTS[0].map((turn) => turn.message));
    expect(stored.bot).toEqual(SCRIPTS[0].flatMap((turn) => turn.replies));
  });

  it('answers 100 concurrent REST conversations correctly and in order, and stores every turn', async () => {
    const run = Date.now().toString(36);
    const conversations = Array.from({ length: 100 }, async (_, index) => {
      const sender = `rest-${run}-${index}`;
      const script = SCRIPTS[index % SCRIPTS.length];
      const upstreams = new Set<string | null>();
      for (const turn of script) {
        const result = await restTurn(nginx.url, sender, turn.message);
        expect(result.status, result.body).toBe(200);
        expect(result.replies, `${sender}: "${turn.message}"`).toEqual(turn.replies);
        upstreams.add(result.upstream);
      }
      return { sender, script, upstreams };
    });
    const results = await Promise.all(conversations);
    const servedBy = new Set(results.flatMap((result) => [...result.upstreams]));
    expect(servedBy).toEqual(new Set(instances()));
    // Round-robin over interleaved requests: most conversations are split across both instances.
    expect(results.filter((result) => result.upstreams.size === 2).length).toBeGreaterThan(0);
    for (const { sender, script } of results) {
      const stored = await storedConversation(sender);
      expect(stored.user, sender).toEqual(script.map((turn) => turn.message));
      expect(stored.bot, sender).toEqual(script.flatMap((turn) => turn.replies));
    }
  }, 60_000);

  it('delivers 100 concurrent socket.io conversations in order to the client on either instance', async () => {
    const run = Date.now().toString(36);
    const sockets: SessionSocket[] = [];
    try {
      const conversations = Array.from({ length: 100 }, async (_, index) => {
        const sessionId = `sio-${run}-${index}`;
        const script = SCRIPTS[index % SCRIPTS.length];
        const expected = script.flatMap((turn) => turn.replies);
        // One watcher on each instance, directly: whichever instance processes a turn, both
        // get its replies, so one of them always gets them through the Redis adapter.
        const watchers = await Promise.all(
          cluster.instances.map((instance) => joinSession(instance.url, sessionId)),
        );
        sockets.push(...watchers);
        // The first turn on one connection through nginx, the rest sent at once on a second
        // connection (round-robin: usually the other instance), without waiting for replies.
        const first = await joinSession(nginx.url, sessionId);
        sockets.push(first);
        first.socket.emit('user_uttered', { message: script[0].message, session_id: sessionId });
        await first.waitFor(script[0].replies.length);
        first.close();
        // The adapter relays through Redis pub/sub, so a socket joining the room on the other
        // instance right now could still receive the first turn's replies; wait until both
        // instances delivered them.
        await Promise.all(watchers.map((watcher) => watcher.waitFor(script[0].replies.length)));
        const second = await joinSession(nginx.url, sessionId);
        sockets.push(second);
        for (const turn of script.slice(1)) second.socket.emit('user_uttered', { message: turn.message, session_id: sessionId });
        const rest = expected.slice(script[0].replies.length);
        return {
          sessionId,
          script,
          first: first.received,
          second: await second.waitFor(rest.length),
          watchers,
          watched: await Promise.all(watchers.map((watcher) => watcher.waitFor(expected.length))),
          expected,
          rest,
        };
      });
      const results = await Promise.all(conversations);
      for (const result of results) {
        expect(result.first, result.sessionId).toEqual(result.script[0].replies);
        expect(result.second, result.sessionId).toEqual(result.rest);
        for (const watched of result.watched) expect(watched, result.sessionId).toEqual(result.expected);
        const stored = await storedConversation(result.sessionId);
        expect(stored.user, result.sessionId).toEqual(result.script.map((turn) => turn.message));
        expect(stored.bot, result.sessionId).toEqual(result.expected);
      }
      // Nothing arrives twice: give late duplicates a moment, then look again.
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const result of results) {
        for (const watcher of result.watchers) expect(watcher.received, result.sessionId).toEqual(result.expected);
      }
    } finally {
      for (const socket of sockets) socket.close();
    }
  }, 60_000);
});
