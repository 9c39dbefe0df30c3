/**
 * Per-message time at event ~10, ~1,000 and ~10,000 of one conversation (moodbot, in-memory
 * tracker store, the agent called directly so only the dialogue engine and store are timed).
 * Conversations are grown by real turns first; then the three lengths are measured in alternating
 * slices of a few messages each, and each length is reported as a ratio to the event-10 time.
 *
 * Usage: node bench/conversation-length.mjs [--smoke] [--runs n] [--out dir]
 */
import { createCollectingOutput } from '../dist/channels/output.js';
import { silentLogger } from '../dist/logger.js';
import { loadAgent } from '../dist/runtime/load-agent.js';
import { createMemoryTrackerStore } from '../dist/stores/memory-tracker-store.js';
import { benchArgs } from './lib/args.mjs';
import { trainedMoodbot } from './lib/projects.mjs';
import { writeResult } from './lib/results.mjs';
import { median, pairedRatio, spread } from './lib/stats.mjs';
import { readdirSync } from 'node:fs';
import { Session } from 'node:inspector';
import { topSelfTime } from './lib/cpuprofile.mjs';
import { join } from 'node:path';

const args = benchArgs();
const settings = args.smoke
  ? { lengths: [10, 100], runs: args.runs ?? 1, messagesPerSlice: 3 }
  : { lengths: [10, 1000, 10000], runs: args.runs ?? 7, messagesPerSlice: 10 };
const TEXTS = ['hi', 'I am sad', 'yes', 'great', 'bye', 'hello', 'no', 'very good'];

const project = await trainedMoodbot();
const modelDir = join(project, 'models');
const modelPath = join(modelDir, readdirSync(modelDir).find((name) => name.endsWith('.tar.gz')));
const trackerStore = createMemoryTrackerStore();
const { agent } = await loadAgent(modelPath, { trackerStore, logger: silentLogger() });

let turn = 0;
async function say(senderId) {
  const output = createCollectingOutput();
  turn += 1;
  await agent.handleMessage({ text: TEXTS[turn % TEXTS.length], senderId, inputChannel: 'rest', output });
}

async function eventCount(senderId) {
  return (await trackerStore.retrieve(senderId, { allSessions: true }))?.length ?? 0;
}

/** Grow a conversation with real turns until it holds at least `events` events. */
async function grow(senderId, events) {
  let turns = 0;
  while ((await eventCount(senderId)) < events) {
    await say(senderId);
    turns += 1;
  }
  return turns;
}

/** Time `messagesPerSlice` messages; the shortest length uses a new conversation for each. */
let fresh = 0;
async function slice(length, senderId) {
  const times = [];
  const eventsAt = [];
  for (let index = 0; index < settings.messagesPerSlice; index += 1) {
    let sender = senderId;
    if (!sender) {
      fresh += 1;
      sender = `short-${fresh}`;
      await grow(sender, length - 2);
    }
    eventsAt.push(await eventCount(sender));
    const started = process.hrtime.bigint();
    await say(sender);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: median(times), events: median(eventsAt) };
}

// Warm the JIT on throwaway conversations.
for (let index = 0; index < 50; index += 1) await say(`warm-${index % 5}`);

const growth = {};
const senders = {};
for (const length of settings.lengths.slice(1)) {
  senders[length] = `long-${length}`;
  const started = process.hrtime.bigint();
  const turns = await grow(senders[length], length);
  growth[length] = { turns, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const runs = Object.fromEntries(settings.lengths.map((length) => [length, []]));
for (let run = 0; run < settings.runs; run += 1) {
  const order = run % 2 ? [...settings.lengths].reverse() : settings.lengths;
  for (const length of order) runs[length].push(await slice(length, senders[length]));
}
const base = settings.lengths[0];
const levels = settings.lengths.map((length) => ({
  events: length,
  measuredAtEvents: spread(runs[length].map((run) => run.events)),
  msPerMessage: spread(runs[length].map((run) => run.ms)),
  ratioToShortest: pairedRatio(runs[length].map((run) => run.ms), runs[base].map((run) => run.ms)),
  growth: growth[length] ?? null,
}));
// What the longest conversation's messages spend their time on (V8 sampler, in process).
const session = new Session();
session.connect();
const post = (method, params = {}) =>
  new Promise((resolvePost, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolvePost(result))));
await post('Profiler.enable');
await post('Profiler.setSamplingInterval', { interval: 200 });
await post('Profiler.start');
await slice(settings.lengths.at(-1), senders[settings.lengths.at(-1)]);
const { profile } = await post('Profiler.stop');
session.disconnect();
const profileAtLongest = topSelfTime(profile, 12);

for (const level of levels) console.log(`conversation-length: event ${level.events}: ${level.msPerMessage.median.toFixed(2)} ms/message (x${level.ratioToShortest.median.toFixed(2)})`);
const longest = levels.at(-1);
writeResult(args.out, 'conversation-length', {
  setup: {
    target: 'Agent.handleMessage (moodbot, in-memory tracker store, in process)',
    baseline: 'the same agent at event ~10 of a new conversation, in alternating slices',
    texts: TEXTS,
    messagesPerSlice: settings.messagesPerSlice,
    runs: settings.runs,
  },
  levels,
  profileAtLongest: { messages: settings.messagesPerSlice, ...profileAtLongest },
  targets: {
    flat: { goal: `<= 1.20x from event ${base} to ${longest.events}`, value: longest.ratioToShortest.median, met: longest.ratioToShortest.median <= 1.2 },
  },
});
