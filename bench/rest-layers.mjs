/**
 * Where the REST gap to bare fastify goes: three servers in their own processes at 64
 * connections, in rotating slices — the bare fastify route, Parley's HTTP layer answering with a
 * constant bot (bench/servers/parley-http-only.mjs: the same fastify server, hooks and rest channel
 * as `parley run`, no dialogue turn) and `parley run` on moodbot. Besides req/s and latency, each
 * slice records the server process's CPU time per request (user and kernel, from /proc), which
 * splits a request's cost into the HTTP layer and the dialogue turn and is steadier than req/s on a
 * shared machine.
 *
 * Usage: node bench/rest-layers.mjs [--smoke] [--runs n] [--out dir]
 */
import { benchArgs } from './lib/args.mjs';
import { trainedMoodbot } from './lib/projects.mjs';
import { processCpuMicros, stopProcess } from './lib/processes.mjs';
import { askHi, interleavedSlices, restLoad, slicesRatio, summariseSlices } from './lib/rest-load.mjs';
import { writeResult } from './lib/results.mjs';
import { median, pairedRatio, spread } from './lib/stats.mjs';
import { startBare, startParleyHttpOnly, startParleyRun } from './lib/targets.mjs';

const args = benchArgs();
const settings = args.smoke
  ? { connections: 4, runs: args.runs ?? 1, seconds: 0.3, warmup: 0, senders: 50 }
  : { connections: 64, runs: args.runs ?? 5, seconds: 3, warmup: 1, senders: 2000 };

const project = await trainedMoodbot();
const servers = await Promise.all([startBare(), startParleyHttpOnly(), startParleyRun(project)]);
const byUrl = new Map(servers.map((server) => [server.url, server]));
const restSlice = restLoad({ senders: settings.senders });

/** One slice plus the server's CPU µs per request during it. */
async function load(url, connections, seconds, overallRate) {
  const { pid } = byUrl.get(url).child;
  const before = processCpuMicros(pid);
  const slice = await restSlice(url, connections, seconds, overallRate);
  const after = processCpuMicros(pid);
  const perRequest = (field) => (before && after && slice.requests > 0 ? (after[field] - before[field]) / slice.requests : null);
  return { ...slice, cpuUser: perRequest('user'), cpuSystem: perRequest('system') };
}

try {
  const answers = await Promise.all(servers.map((server) => askHi(server.url)));
  if (new Set(answers).size !== 1) throw new Error(`The servers answer "hi" differently (${answers.join(' / ')}); the comparison would be unfair.`);
  const runs = await interleavedSlices(Object.fromEntries(servers.map((server) => [server.name, server.url])), {
    load,
    connections: settings.connections,
    seconds: settings.seconds,
    warmup: settings.warmup,
    runs: settings.runs,
  });
  const cpu = (name) => ({
    user: spread(runs[name].map((slice) => slice.cpuUser)),
    system: spread(runs[name].map((slice) => slice.cpuSystem)),
    total: spread(runs[name].map((slice) => slice.cpuUser + slice.cpuSystem)),
  });
  const targets = Object.fromEntries(
    servers.map((server) => [
      server.name,
      { ...summariseSlices(runs[server.name]), cpuMicrosecondsPerRequest: cpu(server.name), ratioToBare: slicesRatio(runs[server.name], runs.bare) },
    ]),
  );
  const totalCpu = (name) => runs[name].map((slice) => slice.cpuUser + slice.cpuSystem);
  // Per round: what the HTTP layer adds to the bare route, and what the turn adds to the HTTP layer.
  const difference = (a, b) => spread(totalCpu(a).map((value, index) => value - totalCpu(b)[index]));
  const split = {
    bareMicroseconds: spread(totalCpu('bare')),
    httpLayerMicroseconds: difference('parley-http-only', 'bare'),
    dialogueTurnMicroseconds: difference('parley', 'parley-http-only'),
    httpOnlyCpuRatioToBare: pairedRatio(totalCpu('parley-http-only'), totalCpu('bare')),
  };
  for (const server of servers) {
    console.log(
      `rest-layers: ${server.name}: ${median(runs[server.name].map((slice) => slice.requestsPerSecond)).toFixed(0)} req/s, ${median(totalCpu(server.name)).toFixed(0)} CPU µs per request`,
    );
  }
  writeResult(args.out, 'rest-layers', {
    setup: {
      targets: {
        bare: 'bare fastify route returning the same JSON (bench/servers/bare.mjs)',
        'parley-http-only': "Parley's server (src/server/app.ts, rest + socketio channels, default hooks and logger) with a constant bot instead of the dialogue engine",
        parley: 'parley run (moodbot, in-memory tracker store)',
      },
      message: 'hi',
      connections: settings.connections,
      sendersPerSlice: settings.senders,
      secondsPerSlice: settings.seconds,
      runs: settings.runs,
      cpu: 'server process user + kernel CPU time during the slice / requests answered (/proc/<pid>/stat)',
    },
    targets,
    split,
  });
} finally {
  for (const server of servers) await stopProcess(server.child);
}
