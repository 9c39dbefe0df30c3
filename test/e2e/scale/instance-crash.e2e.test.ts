/**
 * kill -9 of one of two `parley run` instances behind nginx in the middle of 40 conversations:
 * the other instance carries every conversation on, with its history, through nginx.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresTarget, type SqlTarget } from '../../stores/sql-targets.js';
import { redisTarget, type RedisTarget } from '../../stores/redis-target.js';
import { conversationFromRows, restTurn, SCRIPTS, startMoodbotCluster, type MoodbotCluster } from './moodbot-cluster.js';
import { startNginx, stopChild, type RunningNginx } from './processes.js';

/** Seconds a crashed instance's lock tickets keep blocking a conversation. */
const LOCK_LIFETIME_SECONDS = 4;

let postgres: SqlTarget;
let redis: RedisTarget;
let cluster: MoodbotCluster;
let nginx: RunningNginx;

beforeAll(async () => {
  postgres = await postgresTarget('crash');
  redis = redisTarget('crash');
  const redisSection = { type: 'redis', url: '127.0.0.1', port: 6379, key_prefix: redis.keyPrefix };
  cluster = await startMoodbotCluster({
    count: 2,
    endpoints: {
      tracker_store: { type: 'sql', ...postgres.section },
      lock_store: redisSection,
      socketio_adapter: redisSection,
    },
    env: { TICKET_LOCK_LIFETIME: String(LOCK_LIFETIME_SECONDS) },
  });
  nginx = await startNginx(cluster.ports);
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  await cluster?.remove();
  await redis?.cleanup();
  await postgres?.drop();
});

it('carries every conversation on through nginx after one instance is killed with SIGKILL', async () => {
  const run = Date.now().toString(36);
  const script = SCRIPTS[0];
  const victim = cluster.instances[0];
  const survivor = `127.0.0.1:${cluster.ports[1]}`;
  const senders = Array.from({ length: 40 }, (_, index) => `crash-${run}-${index}`);

  // Two turns each on both instances, then the third turns all at once; the first answer to
  // come back triggers kill -9, so the victim dies with turns of other conversations in flight.
  for (const turn of script.slice(0, 2)) {
    const results = await Promise.all(senders.map((sender) => restTurn(nginx.url, sender, turn.message)));
    for (const result of results) expect(result.replies).toEqual(turn.replies);
  }
  let killed: Promise<void> | undefined;
  const lost = new Set<string>();
  const third = await Promise.all(
    senders.map(async (sender) => {
      let result = await restTurn(nginx.url, sender, script[2].message);
      killed ??= stopChild(victim.child, 'SIGKILL');
      // A turn cut off by the crash: nginx answers 502 (it does not resend a POST); the client retries.
      while (result.status !== 200) {
        expect(result.status).toBe(502);
        lost.add(sender);
        result = await restTurn(nginx.url, sender, script[2].message);
      }
      return { sender, result };
    }),
  );
  await killed;
  expect(victim.child.signalCode).toBe('SIGKILL');
  // The victim held about half of the third turns when it died.
  expect(lost.size).toBeGreaterThan(0);
  for (const { sender, result } of third) {
    // A retried turn may have been stored by the victim before it died; its answer then depends
    // on that doubled message, so only the untouched conversations are held to the script here.
    if (!lost.has(sender)) expect(result.replies, sender).toEqual(script[2].replies);
    else expect(result.replies.length, sender).toBeGreaterThan(0);
  }

  // The rest of every conversation: all on the survivor, all correct.
  for (const turn of script.slice(3)) {
    const results = await Promise.all(senders.map((sender) => restTurn(nginx.url, sender, turn.message)));
    for (const result of results) {
      expect(result.status, result.body).toBe(200);
      expect(result.upstream).toBe(survivor);
      expect(result.replies).toEqual(turn.replies);
    }
  }

  for (const sender of senders) {
    const rows = await postgres.query('SELECT data FROM events WHERE sender_id = $1 ORDER BY seq', [sender]);
    const stored = conversationFromRows(rows);
    if (lost.has(sender)) {
      // Every accepted message is there, in order; the cut-off one possibly twice.
      const deduplicated = stored.user.filter((text, index) => text !== stored.user[index - 1]);
      expect(deduplicated, sender).toEqual(script.map((turn) => turn.message));
    } else {
      expect(stored.user, sender).toEqual(script.map((turn) => turn.message));
      expect(stored.bot, sender).toEqual(script.flatMap((turn) => turn.replies));
    }
  }
}, 60_000);
