/**
 * Cold start: wall time from spawning `parley run` (trained moodbot, in-memory tracker store) to
 * its first answered REST message, vs the same for the bare fastify server (the cost of starting
 * Node and a web server at all). Runs alternate between the two.
 *
 * `--parley-bin` points at another build's bin/parley.js (before/after figures), `--name` names
 * the result file.
 *
 * Usage: node bench/cold-start.mjs [--smoke] [--runs n] [--out dir] [--parley-bin path] [--name name]
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfTimeByPackage } from './lib/cpuprofile.mjs';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './lib/args.mjs';
import { tempDir, trainedMoodbot } from './lib/projects.mjs';
import { freePort, PARLEY_BIN, REPO_ROOT, runToCompletion, stopProcess } from './lib/processes.mjs';
import { writeResult } from './lib/results.mjs';
import { pairedRatio, spread } from './lib/stats.mjs';

const BARE_SERVER = fileURLToPath(new URL('./servers/bare.mjs', import.meta.url));
const args = benchArgs({ 'parley-bin': { type: 'string', default: PARLEY_BIN }, name: { type: 'string', default: 'cold-start' } });
const parleyBin = args['parley-bin'];
const runs = args.runs ?? (args.smoke ? 1 : 7);
const POLL_MS = 5;
const GIVE_UP_MS = 30_000;

/** Spawn, then post "hi" every few ms until an answer with a bot message comes back. */
async function timeToFirstAnswer(argv, port) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, stdio: 'ignore' });
  try {
    while (Number(process.hrtime.bigint() - started) / 1e6 < GIVE_UP_MS) {
      if (child.exitCode !== null) throw new Error(`${argv.join(' ')} exited with ${child.exitCode} before answering`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/webhooks/rest/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sender: 'cold', message: 'hi' }),
        });
        const body = await response.json();
        if (response.ok && Array.isArray(body) && body.length > 0) return Number(process.hrtime.bigint() - started) / 1e6;
      } catch {
        // not listening yet
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, POLL_MS));
    }
    throw new Error(`${argv.join(' ')} gave no answer within ${GIVE_UP_MS} ms`);
  } finally {
    await stopProcess(child);
  }
}

const project = await trainedMoodbot();
const parleyArgs = (port) => [parleyBin, 'run', '--project', project, '-i', '127.0.0.1', '-p', String(port)];
const bareArgs = (port) => [BARE_SERVER, '--port', String(port)];
// One untimed start of each fills the file-system cache.
if (!args.smoke) {
  const port = await freePort();
  await timeToFirstAnswer(bareArgs(port), port);
  const parleyPort = await freePort();
  await timeToFirstAnswer(parleyArgs(parleyPort), parleyPort);
}
/** `parley --version`: Node start plus loading the CLI's modules, before any command runs. */
async function timeVersion() {
  const result = await runToCompletion(process.execPath, [parleyBin, '--version']);
  return result.seconds * 1000;
}
const samples = { parley: [], bare: [], version: [] };
for (let run = 0; run < runs; run += 1) {
  const order = run % 2 ? ['parley', 'bare'] : ['bare', 'parley'];
  for (const name of order) {
    const port = await freePort();
    samples[name].push(await timeToFirstAnswer(name === 'parley' ? parleyArgs(port) : bareArgs(port), port));
  }
  samples.version.push(await timeVersion());
}
/** Where `parley --version` spends its start-up CPU, by package (one profiled run). */
async function startupByPackage() {
  const dir = tempDir('parley-bench-startup-');
  await runToCompletion(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, parleyBin, '--version']);
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  return file ? selfTimeByPackage(JSON.parse(readFileSync(join(dir, file), 'utf8'))).slice(0, 12) : [];
}
const versionProfile = args.smoke ? [] : await startupByPackage();
const parley = spread(samples.parley);
console.log(`cold-start: parley ${parley.median.toFixed(0)} ms, bare ${spread(samples.bare).median.toFixed(0)} ms`);
writeResult(args.out, args.name, {
  setup: {
    target: '`parley run` with a trained moodbot (checks the fingerprint, loads the model, starts rest + socketio)',
    baseline: 'node bench/servers/bare.mjs (Node + fastify + socket.io, no model)',
    measure: `spawn to first REST answer, polled every ${POLL_MS} ms`,
    parleyBin,
    runs,
  },
  parleyMs: parley,
  bareMs: spread(samples.bare),
  parleyVersionMs: spread(samples.version),
  versionStartupCpuByPackage: versionProfile,
  ratio: pairedRatio(samples.parley, samples.bare),
  targets: { coldStart: { goal: '<= 1000 ms', value: parley.median, met: parley.median <= 1000 } },
});
