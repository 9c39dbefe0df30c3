/**
 * REST across instances (issue 6, "How good"): requests/s and p50/p99 of `POST
 * /webhooks/rest/webhook` (moodbot, "hi") with two `parley run` instances behind a real nginx
 * (round-robin on loopback) sharing PostgreSQL (tracker store) and Redis (lock store), against one
 * instance with the same endpoints behind the same nginx (the baseline, so both pay the proxy hop);
 * plus one instance reached directly with the SQLite, PostgreSQL and Redis tracker stores. All
 * targets are measured in rotating short slices at one connection count; every figure is a median
 * with its ratio to the baseline slice of the same run.
 *
 * On a 2-core machine the two instances, nginx, PostgreSQL, Redis and this load generator share
 * the same two cores, so a second instance adds no CPU: the figure shows the cost of the shared
 * stores and the proxy, not the scaling a second machine would bring.
 *
 * PostgreSQL (127.0.0.1:5432, db `test`) gets a private schema and Redis (127.0.0.1:6379) private
 * key prefixes; both are removed at the end.
 *
 * Usage: node bench/rest-scale.mjs [--smoke] [--runs n] [--out dir]
 */
import { join } from 'node:path';
import { benchArgs } from './lib/args.mjs';
import { startNginx } from './lib/nginx.mjs';
import { projectWithEndpoints, tempDir, trainedMoodbot } from './lib/projects.mjs';
import { stopProcess } from './lib/processes.mjs';
import { askHi, interleavedSlices, restLoad, slicesRatio, summariseSlices } from './lib/rest-load.mjs';
import { writeResult } from './lib/results.mjs';
import { POSTGRES, privateStoreSpace, REDIS } from './lib/store-servers.mjs';
import { median } from './lib/stats.mjs';
import { startParleyRun } from './lib/targets.mjs';

const args = benchArgs();
const settings = args.smoke
  ? { connections: 4, runs: args.runs ?? 1, seconds: 0.3, warmup: 0, senders: 50 }
  : { connections: 64, runs: args.runs ?? 5, seconds: 3, warmup: 1, senders: 2000 };

const { schema: SCHEMA, keyPrefix: KEY_PREFIX, cleanUp } = await privateStoreSpace({ benchmark: 'rest-scale', tag: 'scale' });
const WORK_DIR = tempDir('parley-bench-rest-scale-');

const postgresTrackerStore = { type: 'sql', dialect: 'postgresql', url: POSTGRES.host, port: POSTGRES.port, db: POSTGRES.database, username: POSTGRES.user, schema: SCHEMA };
const redisLockStore = { type: 'redis', url: REDIS.host, port: REDIS.port, db: 0, key_prefix: `${KEY_PREFIX}lock` };

/** What each target runs: `instances` × `parley run` with `endpoints`, behind nginx or not. */
const TARGETS = {
  'one-instance-nginx': {
    instances: 1,
    nginx: true,
    endpoints: { tracker_store: postgresTrackerStore, lock_store: redisLockStore },
    description: 'one parley run behind nginx, PostgreSQL tracker store + Redis lock store (baseline)',
  },
  'two-instances-nginx': {
    instances: 2,
    nginx: true,
    endpoints: { tracker_store: postgresTrackerStore, lock_store: redisLockStore },
    description: 'two parley run behind nginx (round-robin), sharing the PostgreSQL tracker store + Redis lock store',
  },
  'one-instance-sqlite': {
    instances: 1,
    nginx: false,
    endpoints: { tracker_store: { type: 'sqlite', db: 'conversations.db' } },
    description: 'one parley run, SQLite tracker store, reached directly',
  },
  'one-instance-postgresql': {
    instances: 1,
    nginx: false,
    endpoints: { tracker_store: postgresTrackerStore },
    description: 'one parley run, PostgreSQL tracker store, reached directly',
  },
  'one-instance-redis': {
    instances: 1,
    nginx: false,
    endpoints: { tracker_store: { type: 'redis', url: REDIS.host, port: REDIS.port, db: 0, key_prefix: `${KEY_PREFIX}tracker` } },
    description: 'one parley run, Redis tracker store, reached directly',
  },
};
const BASELINE = 'one-instance-nginx';

/** Starts a target's instances (and nginx in front of them); `stop` stops all of it by pid. */
async function startTarget(trained, name) {
  const target = TARGETS[name];
  const project = projectWithEndpoints(trained, join(WORK_DIR, name), target.endpoints);
  const instances = [];
  let nginx;
  const stop = async () => {
    await nginx?.stop();
    await Promise.all(instances.map((instance) => stopProcess(instance.child)));
  };
  try {
    // One after the other: the first creates the schema, the next finds it.
    for (let index = 0; index < target.instances; index += 1) instances.push(await startParleyRun(project));
    if (target.nginx) nginx = await startNginx(instances.map((instance) => Number(new URL(instance.url).port)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, url: nginx ? nginx.url : instances[0].url, instances: instances.length, stop };
}

const load = restLoad({ senders: settings.senders });

/** The answer to "hi" of a fresh conversation, without its recipient (every target must give the same). */
async function answer(url, sender) {
  const messages = JSON.parse(await askHi(url, sender));
  return JSON.stringify(messages.map(({ recipient_id: _recipient, ...message }) => message));
}

const running = {};
try {
  const trained = await trainedMoodbot();
  const names = Object.keys(TARGETS);
  for (const name of names) running[name] = await startTarget(trained, name);
  const answers = {};
  for (const name of names) answers[name] = await answer(running[name].url, `check-${name}`);
  for (const name of names) {
    if (answers[name] !== answers[BASELINE]) throw new Error(`${name} answers ${answers[name]} but ${BASELINE} ${answers[BASELINE]}; the comparison would be unfair.`);
  }
  const urls = Object.fromEntries(names.map((name) => [name, running[name].url]));
  const runs = await interleavedSlices(urls, { load, connections: settings.connections, seconds: settings.seconds, warmup: settings.warmup, runs: settings.runs });
  const pick = (name, field) => runs[name].map((entry) => entry[field]);
  const targets = names.map((name) => ({
    target: name,
    description: TARGETS[name].description,
    instances: TARGETS[name].instances,
    nginx: TARGETS[name].nginx,
    ...summariseSlices(runs[name]),
    ratioToBaseline: slicesRatio(runs[name], runs[BASELINE]),
  }));
  for (const target of targets) {
    console.log(`rest-scale: ${target.target}: ${median(pick(target.target, 'requestsPerSecond')).toFixed(0)} req/s, p50 ${target.p50.median} ms, p99 ${target.p99.median} ms (x${target.ratioToBaseline.throughput.median.toFixed(2)} throughput)`);
  }
  writeResult(args.out, 'rest-scale', {
    setup: {
      baseline: TARGETS[BASELINE].description,
      loadGenerator: 'autocannon (this process; every server in its own process)',
      balancer: 'nginx, one worker, round-robin over loopback',
      message: 'hi',
      answer: JSON.parse(answers[BASELINE]),
      connections: settings.connections,
      sendersPerSlice: settings.senders,
      secondsPerSlice: settings.seconds,
      runs: settings.runs,
      servers: { postgresql: `${POSTGRES.host}:${POSTGRES.port}/${POSTGRES.database} (private schema)`, redis: `${REDIS.host}:${REDIS.port} db 0 (private key prefixes)` },
      note: 'Every process shares the same cores: a second instance on this machine adds no CPU.',
    },
    targets,
  });
} finally {
  await Promise.all(Object.values(running).map((target) => target.stop()));
  await cleanUp();
}
