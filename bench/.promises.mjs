// scratch: promises and CPU per turn in process, REST-like pattern (new senders + repeats)
import { createHook } from 'node:async_hooks';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createCollectingOutput } from '../dist/channels/output.js';
import { silentLogger } from '../dist/logger.js';
import { loadAgent } from '../dist/runtime/load-agent.js';
import { createMemoryTrackerStore } from '../dist/stores/memory-tracker-store.js';
import { trainedMoodbot } from './lib/projects.mjs';
const project = await trainedMoodbot();
const modelDir = join(project, 'models');
const modelPath = join(modelDir, readdirSync(modelDir).find((name) => name.endsWith('.tar.gz')));
const { agent } = await loadAgent(modelPath, { trackerStore: createMemoryTrackerStore(), logger: silentLogger() });
let promises = 0;
const hook = createHook({ init(_id, type) { if (type === 'PROMISE') promises++; } });
async function run(n, prefix, senders, count) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await agent.handleMessage({ text: 'hi', senderId: `${prefix}${i % senders}`, inputChannel: 'rest', output: createCollectingOutput() });
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / n;
}
for (let r = 0; r < 3; r++) {
  const fresh = await run(2000, `f${r}-`, 1e9, false);
  const repeat = await run(2000, `f${r}-`, 2000, false);
  console.log('cpu µs/turn new sender', fresh.toFixed(0), 'repeat', repeat.toFixed(0));
}
hook.enable();
promises = 0; await run(500, 'p-', 1e9); console.log('promises/turn new sender', promises / 500);
promises = 0; await run(500, 'p-', 1e9); console.log('promises/turn repeat', promises / 500);
