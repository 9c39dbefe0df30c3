/**
 * Two builds of Parley's dialogue engine side by side in one process, for before/after figures of
 * an optimisation: `--before <dist dir>` (e.g. a `git worktree` of the older commit, built) and
 * this checkout's `dist/`. Each loads moodbot with its own in-memory tracker store and answers
 * "hi" in the REST benchmark's pattern (2000 senders per slice, new senders every slice, so a third
 * of the turns start a session). Reported per turn: CPU time (alternating slices, the order
 * swapped every round), bytes allocated (V8's sampling heap profiler, including collected
 * objects) and the young-generation pauses while the turns run.
 *
 * Usage: node bench/turn-ab.mjs --before <dist dir> [--smoke] [--runs n] [--out dir]
 */
import { readdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { benchArgs } from './lib/args.mjs';
import { trainedMoodbot } from './lib/projects.mjs';
import { REPO_ROOT } from './lib/processes.mjs';
import { writeResult } from './lib/results.mjs';
import { median, pairedRatio, spread } from './lib/stats.mjs';

const args = benchArgs({ before: { type: 'string' } });
if (!args.before) throw new Error('Give the older build with --before <dist dir> (for example a git worktree of the older commit after `npm run build`).');
const settings = args.smoke ? { runs: args.runs ?? 2, turns: 200, senders: 50 } : { runs: args.runs ?? 12, turns: 3000, senders: 2000 };

const project = await trainedMoodbot();
const modelDir = join(project, 'models');
const modelPath = join(modelDir, readdirSync(modelDir).find((name) => name.endsWith('.tar.gz')));

/** An engine from the build in `dist`, and a function running `turns` turns on it. */
async function engine(dist) {
  const from = (path) => import(pathToFileURL(join(resolve(dist), path)).href);
  const [{ createCollectingOutput }, { silentLogger }, { loadAgent }, { createMemoryTrackerStore }] = await Promise.all([
    from('channels/output.js'),
    from('logger.js'),
    from('runtime/load-agent.js'),
    from('stores/memory-tracker-store.js'),
  ]);
  const { agent } = await loadAgent(modelPath, { trackerStore: createMemoryTrackerStore(), logger: silentLogger() });
  let slice = 0;
  return async (turns) => {
    slice += 1;
    for (let index = 0; index < turns; index++) {
      await agent.handleMessage({ text: 'hi', senderId: `s${slice}-${index % settings.senders}`, inputChannel: 'rest', output: createCollectingOutput() });
    }
  };
}

async function cpuPerTurn(run) {
  const started = process.cpuUsage();
  await run(settings.turns);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / settings.turns;
}

async function allocatedPerTurn(run) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await run(settings.turns);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  let bytes = 0;
  const visit = (node) => {
    bytes += node.selfSize;
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  return bytes / settings.turns;
}

/** Young-generation pauses (ms) while `run` runs. */
async function scavengePauses(run) {
  const pauses = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.detail?.kind === 1 /* minor */) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  await run(settings.turns);
  // GC entries reach observers asynchronously.
  await new Promise((resolveLater) => setTimeout(resolveLater, 100));
  pauses.push(...observer.takeRecords().filter((entry) => entry.detail?.kind === 1).map((entry) => entry.duration));
  observer.disconnect();
  return pauses;
}

const builds = { before: await engine(args.before), after: await engine(join(REPO_ROOT, 'dist')) };
for (const run of Object.values(builds)) await run(settings.turns); // warm up: JIT, first sessions
const cpu = { before: [], after: [] };
for (let round = 0; round < settings.runs; round += 1) {
  const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
  for (const name of order) cpu[name].push(await cpuPerTurn(builds[name]));
}
const measured = {};
for (const name of ['before', 'after']) {
  const pauses = await scavengePauses(builds[name]);
  measured[name] = {
    cpuMicrosecondsPerTurn: spread(cpu[name]),
    bytesAllocatedPerTurn: await allocatedPerTurn(builds[name]),
    scavenges: { count: pauses.length, medianMs: pauses.length > 0 ? median(pauses) : 0, maxMs: pauses.length > 0 ? Math.max(...pauses) : 0 },
  };
}
const ratio = pairedRatio(cpu.after, cpu.before);
console.log(`turn-ab: CPU per turn ${median(cpu.before).toFixed(0)} → ${median(cpu.after).toFixed(0)} µs (ratio ${ratio.median.toFixed(2)}), allocated ${measured.before.bytesAllocatedPerTurn.toFixed(0)} → ${measured.after.bytesAllocatedPerTurn.toFixed(0)} B, scavenge median ${measured.before.scavenges.medianMs.toFixed(1)} → ${measured.after.scavenges.medianMs.toFixed(1)} ms`);
writeResult(args.out, 'turn-ab', {
  setup: { before: resolve(args.before), after: join(REPO_ROOT, 'dist'), message: 'hi', turnsPerSlice: settings.turns, sendersPerSlice: settings.senders, runs: settings.runs },
  ...measured,
  cpuRatio: ratio,
});
