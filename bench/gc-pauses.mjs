/**
 * What fills the REST latency tail: `parley run` (moodbot, in-memory tracker store) started with
 * `--trace-gc` and driven by an open-loop constant-rate load (lib/paced-load.mjs) at half of its
 * measured maximum (from rest.json when present, else `--rate`), after a warm-up. Per run: the
 * paced load's p50/p99 and the garbage collector's pauses during it, as V8 prints them.
 *
 * Usage: node bench/gc-pauses.mjs [--smoke] [--runs n] [--rate r] [--out dir]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchArgs } from './lib/args.mjs';
import { pacedLoad } from './lib/paced-load.mjs';
import { trainedMoodbot } from './lib/projects.mjs';
import { stopProcess } from './lib/processes.mjs';
import { writeResult } from './lib/results.mjs';
import { median, spread } from './lib/stats.mjs';
import { startParleyRun } from './lib/targets.mjs';

const args = benchArgs({ rate: { type: 'string' } });
const settings = args.smoke ? { runs: args.runs ?? 1, seconds: 0.5, warmup: 0.3, connections: 4, senders: 50 } : { runs: args.runs ?? 5, seconds: 5, warmup: 3, connections: 64, senders: 2000 };

/** Half of Parley's maximum at 64 connections from this run's rest.json, as the REST target is defined. */
function halfLoadRate() {
  if (args.rate) return Number(args.rate);
  if (args.smoke) return 50;
  const restPath = join(args.out, 'rest.json');
  const rest = existsSync(restPath) ? JSON.parse(readFileSync(restPath, 'utf8')) : null;
  return rest?.halfLoad?.targetRequestsPerSecond ?? 800;
}

/** V8's `--trace-gc` lines: `<kind> … <pause> / <external> ms`. */
export function gcPauses(text) {
  const pauses = { scavenge: [], markCompact: [] };
  for (const match of text.matchAll(/\b(Scavenge|Mark-Compact|Mark-Compact \(reduce\))\b[^\n]*?, ([\d.]+) \/ [\d.]+ ms/g)) {
    (match[1] === 'Scavenge' ? pauses.scavenge : pauses.markCompact).push(Number(match[2]));
  }
  return pauses;
}

const rate = halfLoadRate();
const project = await trainedMoodbot();
const parley = await startParleyRun(project, { nodeArgs: ['--trace-gc'] });
let output = '';
parley.child.stdout.on('data', (chunk) => (output += chunk));
let sent = 0;
const drive = (seconds) =>
  pacedLoad({
    url: `${parley.url}/webhooks/rest/webhook`,
    rate,
    seconds,
    connections: settings.connections,
    body: () => JSON.stringify({ sender: `gc-${(sent += 1) % settings.senders}`, message: 'hi' }),
  });
const runs = [];
try {
  await drive(settings.warmup);
  for (let run = 0; run < settings.runs; run += 1) {
    output = '';
    const load = await drive(settings.seconds);
    const { scavenge, markCompact } = gcPauses(output);
    runs.push({
      p50: load.p50,
      p99: load.p99,
      errors: load.errors,
      scavenges: scavenge.length,
      scavengeMedianMs: scavenge.length > 0 ? median(scavenge) : 0,
      scavengeMaxMs: scavenge.length > 0 ? Math.max(...scavenge) : 0,
      pausedMs: [...scavenge, ...markCompact].reduce((sum, pause) => sum + pause, 0),
      markCompacts: markCompact.length,
      markCompactMaxMs: markCompact.length > 0 ? Math.max(...markCompact) : 0,
    });
  }
} finally {
  await stopProcess(parley.child);
}
const of = (field) => spread(runs.map((run) => run[field]));
console.log(`gc-pauses: ${rate} req/s: p99 ${median(runs.map((run) => run.p99)).toFixed(1)} ms, ${median(runs.map((run) => run.scavenges))} scavenges per run`);
writeResult(args.out, 'gc-pauses', {
  setup: {
    target: 'parley run --trace-gc (moodbot, in-memory tracker store)',
    load: 'open-loop constant rate (bench/lib/paced-load.mjs), "hi", latency from each request due time',
    rate,
    connections: settings.connections,
    sendersPerRun: settings.senders,
    seconds: settings.seconds,
    warmupSeconds: settings.warmup,
    runs: settings.runs,
  },
  p50Ms: of('p50'),
  p99Ms: of('p99'),
  errors: runs.reduce((sum, run) => sum + run.errors, 0),
  scavenges: { count: of('scavenges'), medianMs: of('scavengeMedianMs'), maxMs: of('scavengeMaxMs') },
  markCompacts: { count: of('markCompacts'), maxMs: of('markCompactMaxMs') },
  pausedMsPerRun: of('pausedMs'),
});
