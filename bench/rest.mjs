/**
 * REST throughput and latency: Parley serving moodbot (`parley run`, in-memory tracker store) vs a
 * bare fastify route answering the same JSON. Both servers run in their own processes; autocannon
 * runs here. At each connection count the two are measured in alternating short slices and each
 * figure is reported as the median of the runs and as a ratio to the baseline slice next to it.
 * Then Parley and the baseline are driven at 50 % of Parley's own maximum at 64 connections by an
 * open-loop constant-rate load (lib/paced-load.mjs, latency from each request's due time), for the
 * p99 target.
 *
 * Usage: node bench/rest.mjs [--smoke] [--runs n] [--out dir]
 */
import { benchArgs } from './lib/args.mjs';
import { trainedMoodbot } from './lib/projects.mjs';
import { stopProcess } from './lib/processes.mjs';
import { pacedLoad } from './lib/paced-load.mjs';
import { askHi, interleavedSlices, restLoad, slicesRatio, summariseSlices } from './lib/rest-load.mjs';
import { writeResult } from './lib/results.mjs';
import { median, pairedRatio } from './lib/stats.mjs';
import { startBare, startParleyRun } from './lib/targets.mjs';

const args = benchArgs();
const settings = args.smoke
  ? { connections: [4], runs: args.runs ?? 1, seconds: 0.3, warmup: 0, senders: 50 }
  : { connections: [1, 16, 64, 256], runs: args.runs ?? 5, seconds: 3, warmup: 1, senders: 2000 };

const load = restLoad({ senders: settings.senders });

/** Checks the two servers answer "hi" alike before anything is timed. */
async function sameAnswer(parleyUrl, bareUrl) {
  const [parley, bare] = [await askHi(parleyUrl), await askHi(bareUrl)];
  if (parley !== bare) throw new Error(`Parley answers ${parley} but the baseline ${bare}; the comparison would be unfair.`);
  return parley;
}

const project = await trainedMoodbot();
const [parley, bare] = await Promise.all([startParleyRun(project), startBare()]);
try {
  const body = await sameAnswer(parley.url, bare.url);
  const levels = [];
  for (const connections of settings.connections) {
    // Bare first in even rounds, Parley first in odd ones, so neither always gets the warmer machine.
    const runs = await interleavedSlices({ bare: bare.url, parley: parley.url }, { load, connections, seconds: settings.seconds, warmup: settings.warmup, runs: settings.runs });
    const pick = (name, field) => runs[name].map((run) => run[field]);
    levels.push({
      connections,
      parley: summariseSlices(runs.parley, { p999: true }),
      bare: summariseSlices(runs.bare, { p999: true }),
      ratio: slicesRatio(runs.parley, runs.bare),
    });
    console.log(`rest: ${connections} connections: parley ${median(pick('parley', 'requestsPerSecond')).toFixed(0)} req/s, bare ${median(pick('bare', 'requestsPerSecond')).toFixed(0)} req/s`);
  }

  // p99 at half of Parley's own maximum at 64 connections (or the largest level measured).
  const reference = levels.find((level) => level.connections === 64) ?? levels.at(-1);
  const rate = Math.max(1, Math.round(reference.parley.requestsPerSecond.median / 2));
  // Open loop at a constant rate (paced-load.mjs), latency counted from when each request was due.
  let paced = 0;
  const atRate = (url, seconds) =>
    pacedLoad({
      url: `${url}/webhooks/rest/webhook`,
      rate,
      seconds,
      connections: reference.connections,
      body: () => JSON.stringify({ sender: `paced-${(paced += 1) % settings.senders}`, message: 'hi' }),
    });
  if (settings.warmup > 0) for (const target of [bare, parley]) await atRate(target.url, settings.warmup);
  const halfLoad = { parley: [], bare: [] };
  for (let run = 0; run < settings.runs; run += 1) {
    halfLoad.bare.push(await atRate(bare.url, settings.seconds));
    halfLoad.parley.push(await atRate(parley.url, settings.seconds));
  }
  const atHalf = {
    connections: reference.connections,
    targetRequestsPerSecond: rate,
    parley: summariseSlices(halfLoad.parley, { p999: true }),
    bare: summariseSlices(halfLoad.bare, { p999: true }),
    ratio: { p99: pairedRatio(halfLoad.parley.map((run) => run.p99), halfLoad.bare.map((run) => run.p99)) },
  };
  writeResult(args.out, 'rest', {
    setup: {
      target: 'parley run (moodbot, in-memory tracker store, rest + socketio channels)',
      baseline: 'bare fastify route returning the same JSON',
      loadGenerator: 'autocannon (separate process from both servers); at half load an open-loop constant-rate generator (bench/lib/paced-load.mjs, latency from each request due time, as wrk2)',
      message: 'hi',
      answer: JSON.parse(body),
      sendersPerSlice: settings.senders,
      secondsPerSlice: settings.seconds,
      runs: settings.runs,
    },
    levels,
    halfLoad: atHalf,
    targets: {
      throughputAt64: { goal: '>= 0.60 of bare', value: reference.ratio.throughput.median, met: reference.connections === 64 ? reference.ratio.throughput.median >= 0.6 : null },
      p99AtHalfLoad: { goal: '<= 20 ms', value: atHalf.parley.p99.median, met: atHalf.parley.p99.median <= 20 },
    },
  });
} finally {
  await stopProcess(parley.child);
  await stopProcess(bare.child);
}
