/**
 * `npm run bench`: trains moodbot once, runs every benchmark script one after the other (each in
 * its own process, so none shares an event loop with another), then writes the summary.
 * Flags after `--` go to every script (e.g. `npm run bench -- --smoke`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SMOKE_DIR } from './lib/args.mjs';
import { trainedMoodbot } from './lib/projects.mjs';

export const BENCHMARKS = ['rest', 'rest-layers', 'gc-pauses', 'socketio', 'socketio-memory', 'conversation-length', 'cold-start', 'train', 'dialogue-train', 'nlu', 'stores', 'rest-scale', 'profile'];

const passThrough = process.argv.slice(2);
if (passThrough.includes('--smoke') && !passThrough.includes('--out')) passThrough.push('--out', SMOKE_DIR);
const only = process.env.PARLEY_BENCH_ONLY?.split(',');
const project = await trainedMoodbot();
const failed = [];
for (const name of BENCHMARKS.filter((benchmark) => !only || only.includes(benchmark))) {
  const script = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url));
  console.log(`\n== ${name}`);
  const run = spawnSync(process.execPath, [script, ...passThrough], {
    stdio: 'inherit',
    env: { ...process.env, PARLEY_BENCH_MOODBOT: project },
  });
  if (run.status !== 0) failed.push(name);
}
const report = spawnSync(process.execPath, [fileURLToPath(new URL('./report.mjs', import.meta.url)), ...passThrough.filter((arg, index) => arg === '--out' || passThrough[index - 1] === '--out')], { stdio: 'inherit' });
if (failed.length > 0 || report.status !== 0) {
  console.error(`\nbenchmarks that failed: ${failed.join(', ') || '(report)'}`);
  process.exitCode = 1;
}
