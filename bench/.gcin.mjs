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
async function run(n, prefix) { for (let i = 0; i < n; i++) await agent.handleMessage({ text: 'hi', senderId: `${prefix}${i % 2000}`, inputChannel: 'rest', output: createCollectingOutput() }); }
await run(8000, 'w');
console.log('--- measured');
for (let s = 0; s < 3; s++) await run(4000, `m${s}-`);
