// scratch (not committed): server CPU µs per REST request, alternating parley/bare
import { readFileSync } from 'node:fs';
import { trainedMoodbot } from './lib/projects.mjs';
import { stopProcess } from './lib/processes.mjs';
import { startParleyRun, startBare } from './lib/targets.mjs';
import { restLoad } from './lib/rest-load.mjs';
const cpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return [Number(f[11]) * 10_000, Number(f[12]) * 10_000]; };
import { cpSync, rmSync } from 'node:fs';
let project = await trainedMoodbot();
if (process.env.NOMODEL) { const copy = '/tmp/nomodel-moodbot'; rmSync(copy, { recursive: true, force: true }); cpSync(project, copy, { recursive: true }); rmSync(copy + '/models', { recursive: true, force: true }); project = copy; }
const targets = [await startParleyRun(project, { nodeArgs: (process.env.NODEARGS ?? '').split(' ').filter(Boolean), env: process.env })];
if (process.argv.includes('--bare')) targets.push(await startBare());
const runs = Number(process.env.RUNS ?? 3);
const load = restLoad({ senders: 2000 });
try {
  for (const t of targets) await load(t.url, 64, 2);
  for (let r = 0; r < runs; r++) for (const t of targets) {
    const before = cpu(t.child.pid);
    const res = await load(t.url, 64, 4);
    const after = cpu(t.child.pid); const used = after[0] + after[1] - before[0] - before[1]; const sys = after[1] - before[1];
    console.log(t.name, 'req/s', Math.round(res.requestsPerSecond), 'cpu µs/req', Math.round(used / res.requests), 'sys', Math.round(sys / res.requests), 'p99', res.p99, 'err', res.errors);
  }
} finally { for (const t of targets) await stopProcess(t.child); }
