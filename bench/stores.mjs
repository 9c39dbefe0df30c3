/**
 * Tracker stores on real servers (issue 6, "How good"):
 * 1. the cost of loading a conversation's latest session (`retrieve`, through
 *    createStoresFromEndpoints, in this process) from the in-memory, SQLite, PostgreSQL and Redis
 *    stores when the stored history holds 10, 1,000 and 100,000 events and the latest session only
 *    a handful: each size is timed in alternating slices and reported as a ratio to the 10-event
 *    history of the same store — it must stay flat;
 * 2. REST messages/s and p50/p99 through `parley run` (moodbot) with the SQLite, PostgreSQL and
 *    Redis tracker stores, each as a ratio to the in-memory store measured in the same run, in
 *    alternating short slices at one connection count.
 * PostgreSQL (127.0.0.1:5432, db `test`) gets a private schema and Redis (127.0.0.1:6379) a private
 * key prefix; both are removed at the end.
 *
 * Usage: node bench/stores.mjs [--smoke] [--runs n] [--out dir]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../dist/logger.js';
import { createStoresFromEndpoints } from '../dist/stores/create-stores.js';
import { benchArgs } from './lib/args.mjs';
import { projectWithEndpoints, tempDir, trainedMoodbot } from './lib/projects.mjs';
import { stopProcess } from './lib/processes.mjs';
import { askHi, interleavedSlices, restLoad, slicesRatio, summariseSlices } from './lib/rest-load.mjs';
import { writeResult } from './lib/results.mjs';
import { POSTGRES, privateStoreSpace, REDIS } from './lib/store-servers.mjs';
import { median, pairedRatio, spread } from './lib/stats.mjs';
import { startParleyRun } from './lib/targets.mjs';

const args = benchArgs();
const settings = args.smoke
  ? { sizes: [10, 100], callsPerSlice: 5, retrieveRuns: args.runs ?? 1, connections: 4, restRuns: args.runs ?? 1, seconds: 0.3, warmup: 0, senders: 50 }
  : { sizes: [10, 1_000, 100_000], callsPerSlice: 200, retrieveRuns: args.runs ?? 7, connections: 16, restRuns: args.runs ?? 5, seconds: 2, warmup: 1, senders: 2000 };

const { schema: SCHEMA, keyPrefix: KEY_PREFIX, cleanUp } = await privateStoreSpace({ benchmark: 'stores', tag: 'stores' });
/** Events in the latest session of every seeded history. */
const LATEST_SESSION = 6;
/** An earlier session starts every this many events. */
const SESSION_LENGTH = 50;
const APPEND_BATCH = 1_000;
/** Every project copy and SQLite file of this run, removed on exit. */
const WORK_DIR = tempDir('parley-bench-stores-');

/** The endpoints.yml `tracker_store` section of each store; SQLite resolves against the project root. */
const TRACKER_STORES = {
  in_memory: { type: 'in_memory' },
  sqlite: { type: 'sqlite', db: 'conversations.db' },
  postgresql: { type: 'sql', dialect: 'postgresql', url: POSTGRES.host, port: POSTGRES.port, db: POSTGRES.database, username: POSTGRES.user, schema: SCHEMA },
  redis: { type: 'redis', url: REDIS.host, port: REDIS.port, db: 0, key_prefix: KEY_PREFIX },
};

/** One session: start, then turns of user message and bot answer, `length` events in all. */
function sessionEvents(length, clock) {
  const events = [
    { event: 'action', name: 'action_session_start', timestamp: clock() },
    { event: 'session_started', timestamp: clock() },
  ];
  let turn = 0;
  while (events.length < length) {
    const block = [
      { event: 'action', name: 'action_listen', timestamp: clock() },
      { event: 'user', text: `hi ${turn}`, timestamp: clock(), parse_data: { intent: { name: 'greet', confidence: 1 }, entities: [], text: `hi ${turn}` }, input_channel: 'rest' },
      { event: 'action', name: 'utter_greet', timestamp: clock() },
      { event: 'bot', text: 'Hey! How are you?', timestamp: clock(), data: {} },
    ];
    events.push(...block.slice(0, length - events.length));
    turn += 1;
  }
  return events;
}

/** A history of exactly `size` events whose latest session holds LATEST_SESSION of them. */
function history(size) {
  let time = 1_700_000_000;
  const clock = () => (time += 0.001);
  const events = [];
  const earlier = size - LATEST_SESSION;
  while (events.length < earlier) events.push(...sessionEvents(Math.min(SESSION_LENGTH, earlier - events.length), clock));
  events.push(...sessionEvents(LATEST_SESSION, clock));
  return events;
}

async function openTrackerStore(name, projectRoot) {
  return createStoresFromEndpoints({ tracker_store: TRACKER_STORES[name] }, { projectRoot, logger: silentLogger(), defaultTrackerStore: 'in_memory' });
}

/** Seeds one conversation per size and checks that `retrieve` returns only the latest session. */
async function seed(store) {
  const seeding = {};
  for (const size of settings.sizes) {
    const events = history(size);
    const started = process.hrtime.bigint();
    for (let from = 0; from < events.length; from += APPEND_BATCH) await store.append(senderOf(size), events.slice(from, from + APPEND_BATCH));
    seeding[size] = Number(process.hrtime.bigint() - started) / 1e9;
    const latest = await store.retrieve(senderOf(size));
    // Stores may normalise events (key order, empty metadata): compare what identifies each one.
    const fingerprint = (list) => JSON.stringify(list?.map((event) => [event.event, event.name ?? event.text ?? null, event.timestamp]));
    if (fingerprint(latest) !== fingerprint(events.slice(-LATEST_SESSION))) {
      throw new Error(`${store.type}: retrieve of the ${size}-event history returned ${latest?.length} events, not the latest session of ${LATEST_SESSION}; timing it would mean nothing.`);
    }
  }
  return seeding;
}

const senderOf = (size) => `history-${size}`;

/** Retrieves timed together per sample: a single in-memory retrieve is below the timer's resolution. */
const CALLS_PER_SAMPLE = 10;

/** Median of `callsPerSlice` samples (each the mean of CALLS_PER_SAMPLE retrieves), in microseconds. */
async function retrieveSlice(store, size) {
  const times = [];
  for (let call = 0; call < settings.callsPerSlice; call += 1) {
    const started = process.hrtime.bigint();
    for (let repeat = 0; repeat < CALLS_PER_SAMPLE; repeat += 1) await store.retrieve(senderOf(size));
    times.push(Number(process.hrtime.bigint() - started) / 1e3 / CALLS_PER_SAMPLE);
  }
  return median(times);
}

async function measureRetrieve(name, projectRoot) {
  const stores = await openTrackerStore(name, projectRoot);
  try {
    const { trackerStore } = stores;
    const seedSeconds = await seed(trackerStore);
    // Warm the JIT, the driver and the server's caches on every size.
    for (const size of settings.sizes) await retrieveSlice(trackerStore, size);
    const runs = Object.fromEntries(settings.sizes.map((size) => [size, []]));
    for (let run = 0; run < settings.retrieveRuns; run += 1) {
      const order = run % 2 ? [...settings.sizes].reverse() : settings.sizes;
      for (const size of order) runs[size].push(await retrieveSlice(trackerStore, size));
    }
    const base = settings.sizes[0];
    const levels = settings.sizes.map((size) => ({
      events: size,
      latestSessionEvents: LATEST_SESSION,
      seedSeconds: seedSeconds[size],
      microsecondsPerRetrieve: spread(runs[size]),
      ratioToSmallest: pairedRatio(runs[size], runs[base]),
    }));
    for (const level of levels) console.log(`stores: retrieve ${name} at ${level.events} events: ${level.microsecondsPerRetrieve.median.toFixed(1)} µs (x${level.ratioToSmallest.median.toFixed(2)})`);
    return { store: name, levels };
  } finally {
    await stores.close();
  }
}

const load = restLoad({ senders: settings.senders });

/** A copy of the trained moodbot whose endpoints.yml names `name`'s tracker store. */
function projectWith(trained, name) {
  return projectWithEndpoints(trained, join(WORK_DIR, `moodbot-${name}`), { tracker_store: TRACKER_STORES[name] });
}

async function measureRest(trained) {
  const names = Object.keys(TRACKER_STORES);
  const servers = {};
  try {
    for (const name of names) servers[name] = await startParleyRun(projectWith(trained, name));
    const answers = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await askHi(servers[name].url)])));
    for (const name of names) {
      if (answers[name] !== answers.in_memory) throw new Error(`Parley with ${name} answers ${answers[name]} but with in_memory ${answers.in_memory}; the comparison would be unfair.`);
    }
    const urls = Object.fromEntries(names.map((name) => [name, servers[name].url]));
    const runs = await interleavedSlices(urls, { load, connections: settings.connections, seconds: settings.seconds, warmup: settings.warmup, runs: settings.restRuns });
    const stores = names.map((name) => ({
      store: name,
      ...summariseSlices(runs[name]),
      ratioToInMemory: slicesRatio(runs[name], runs.in_memory),
    }));
    for (const store of stores) console.log(`stores: rest ${store.store}: ${store.requestsPerSecond.median.toFixed(0)} req/s, p50 ${store.p50.median} ms, p99 ${store.p99.median} ms (x${store.ratioToInMemory.throughput.median.toFixed(2)} throughput)`);
    return { answer: JSON.parse(answers.in_memory), stores };
  } finally {
    await Promise.all(Object.values(servers).map((server) => stopProcess(server.child)));
  }
}

try {
  const trained = await trainedMoodbot();
  const retrieve = [];
  for (const name of Object.keys(TRACKER_STORES)) {
    const projectRoot = join(WORK_DIR, `retrieve-${name}`);
    mkdirSync(projectRoot);
    retrieve.push(await measureRetrieve(name, projectRoot));
  }
  const rest = await measureRest(trained);
  // A sub-microsecond retrieve (the in-memory store) grows by cache effects alone; the target is
  // about growth a conversation could feel, so growth under 1 µs counts as flat.
  const flatness = retrieve.map(({ store, levels }) => ({
    store,
    ratio: levels.at(-1).ratioToSmallest.median,
    growthMicroseconds: levels.at(-1).microsecondsPerRetrieve.median - levels[0].microsecondsPerRetrieve.median,
  }));
  const judged = flatness.filter((entry) => entry.growthMicroseconds >= 1);
  const largest = settings.sizes.at(-1);
  writeResult(args.out, 'stores', {
    setup: {
      retrieve: {
        target: `TrackerStore.retrieve (latest session) through createStoresFromEndpoints, in process`,
        baseline: `the same store holding a ${settings.sizes[0]}-event history, in alternating slices`,
        sizes: settings.sizes,
        latestSessionEvents: LATEST_SESSION,
        earlierSessionEvents: SESSION_LENGTH,
        callsPerSlice: settings.callsPerSlice,
        runs: settings.retrieveRuns,
      },
      rest: {
        target: 'parley run (moodbot) with the sqlite, sql (PostgreSQL) and redis tracker stores',
        baseline: 'parley run (moodbot) with the in_memory tracker store, in alternating slices',
        loadGenerator: 'autocannon (separate process from every server)',
        message: 'hi',
        connections: settings.connections,
        sendersPerSlice: settings.senders,
        secondsPerSlice: settings.seconds,
        runs: settings.restRuns,
      },
      servers: { postgresql: `${POSTGRES.host}:${POSTGRES.port}/${POSTGRES.database} (private schema)`, redis: `${REDIS.host}:${REDIS.port} db 0 (private key prefix)` },
    },
    retrieve,
    rest,
    targets: {
      flatRetrieve: {
        goal: `<= 1.50x from ${settings.sizes[0]} to ${largest} events, every store (growth under 1 µs counts as flat)`,
        value: Math.max(1, ...judged.map((entry) => entry.ratio)),
        byStore: Object.fromEntries(flatness.map((entry) => [entry.store, entry.ratio])),
        met: judged.every((entry) => entry.ratio <= 1.5),
      },
    },
  });
} finally {
  await cleanUp();
}
