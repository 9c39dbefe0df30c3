import { AsyncLocalStorage } from 'node:async_hooks';
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
const als = new AsyncLocalStorage();
let k = 0;
async function run(n, withAls) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const msg = { text: 'hi', senderId: `s${k++ % 3000}`, inputChannel: 'rest', output: createCollectingOutput() };
    if (withAls) await als.run({ id: 'x' }, () => agent.handleMessage(msg)); else await agent.handleMessage(msg);
  }
  const u = process.cpuUsage(t0); return (u.user + u.system) / n;
}
await run(3000, false);
const mode = process.argv[2];
for (let r = 0; r < 6; r++) {
  const a = await run(2000, false); const b = mode === 'als' ? await run(2000, true) : await run(2000, false);
  console.log('plain', a.toFixed(0), mode, b.toFixed(0));
}
