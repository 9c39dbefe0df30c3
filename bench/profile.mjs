/**
 * CPU profile of the REST hot path: `parley run` (moodbot, in-memory tracker store) driven by
 * autocannon from this process at 64 connections, profiled by V8 (the same sampler and
 * .cpuprofile format as `node --cpu-prof`) only while the load runs, after a warm-up, so start-up
 * is left out (a preload starts and stops the profiler on SIGUSR2). Then the top self-time
 * functions (JSON) and a flame graph (SVG) generated here from the .cpuprofile.
 *
 * Usage: node bench/profile.mjs [--smoke] [--seconds n] [--out dir]
 */
import autocannon from 'autocannon';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { benchArgs } from './lib/args.mjs';
import { flameGraphSvg, selfTimeByOrigin, topSelfTime } from './lib/cpuprofile.mjs';
import { tempDir, trainedMoodbot } from './lib/projects.mjs';
import { stopProcess } from './lib/processes.mjs';
import { writeResult } from './lib/results.mjs';
import { startParleyRun } from './lib/targets.mjs';

const args = benchArgs({ seconds: { type: 'string' } });
const seconds = Number(args.seconds ?? (args.smoke ? 0.3 : 10));
const connections = args.smoke ? 4 : 64;

const project = await trainedMoodbot();
const profileDir = process.env.KEEP_PROFILE_DIR ?? tempDir('parley-bench-prof-');
const profilePath = join(profileDir, 'rest.cpuprofile');
const preload = fileURLToPath(new URL('./lib/profile-on-signal.mjs', import.meta.url));
const parley = await startParleyRun(project, { nodeArgs: ['--import', preload], env: { PARLEY_BENCH_PROFILE: profilePath } });
let next = 0;
let requests = 0;
const drive = (duration) =>
  autocannon({
    url: `${parley.url}/webhooks/rest/webhook`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest(request) {
          next = (next + 1) % 2000;
          return { ...request, body: JSON.stringify({ sender: `prof-${next}`, message: 'hi' }) };
        },
      },
    ],
  });
const pause = (ms) => new Promise((resolvePause) => setTimeout(resolvePause, ms));
try {
  if (!args.smoke) await drive(2);
  process.kill(parley.child.pid, 'SIGUSR2');
  await pause(200);
  requests = (await drive(seconds)).requests.total;
  process.kill(parley.child.pid, 'SIGUSR2');
  for (let waited = 0; !existsSync(profilePath) && waited < 30_000; waited += 100) await pause(100);
} finally {
  await stopProcess(parley.child);
}
if (!existsSync(profilePath)) throw new Error('parley run did not write the CPU profile');
const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
const top = topSelfTime(profile, 30);
const svg = flameGraphSvg(profile, { title: `parley run, POST /webhooks/rest/webhook, ${connections} connections, ${seconds} s under load (after warm-up)` });
mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, 'rest-flamegraph.svg'), svg);
console.log(`profile: ${requests} requests; top: ${top.functions.slice(0, 3).map((fn) => fn.name).join(', ')}`);
writeResult(args.out, 'profile', {
  setup: { target: 'parley run (moodbot, in-memory tracker store), V8 CPU profiler during the load only', connections, seconds, requests, flameGraph: 'rest-flamegraph.svg' },
  totalSampledMs: top.totalMs,
  topSelfTime: top.functions,
  // Where a request's server time goes: Parley's folders, npm packages, Node, V8 (µs per request).
  byOrigin: selfTimeByOrigin(profile).slice(0, 20).map((entry) => ({ ...entry, microsecondsPerRequest: requests > 0 ? (entry.selfMs * 1000) / requests : null })),
});
