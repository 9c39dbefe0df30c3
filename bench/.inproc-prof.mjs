import { Session } from 'node:inspector/promises';
import { readdirSync, writeFileSync } from 'node:fs';
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
let slice = 0;
async function run(n) {
  slice++;
  for (let i = 0; i < n; i++) await agent.handleMessage({ text: 'hi', senderId: `s${slice}-${i % 2000}`, inputChannel: 'rest', output: createCollectingOutput() });
}
await run(6000);
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 100 }); await session.post('Profiler.start');
const t0 = process.cpuUsage();
for (let s = 0; s < 4; s++) await run(6000);
const u = process.cpuUsage(t0);
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/inproc.cpuprofile', JSON.stringify(profile));
console.log('cpu µs/turn', ((u.user + u.system) / 24000).toFixed(0));
