// scratch A/B: base build (/tmp/base/dist) vs this build, same process, alternating slices, REST-like sender pattern
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { trainedMoodbot } from './lib/projects.mjs';
const project = await trainedMoodbot();
const modelDir = join(project, 'models');
const modelPath = join(modelDir, readdirSync(modelDir).find((name) => name.endsWith('.tar.gz')));
async function build(root) {
  const { createCollectingOutput } = await import(`${root}/channels/output.js`);
  const { silentLogger } = await import(`${root}/logger.js`);
  const { loadAgent } = await import(`${root}/runtime/load-agent.js`);
  const { createMemoryTrackerStore } = await import(`${root}/stores/memory-tracker-store.js`);
  const { agent } = await loadAgent(modelPath, { trackerStore: createMemoryTrackerStore(), logger: silentLogger() });
  let slice = 0;
  const texts = (process.env.TEXTS ?? 'hi').split(',');
  return async (n) => {
    slice++;
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await agent.handleMessage({ text: texts[i % texts.length], senderId: `s${slice}-${i % 2000}`, inputChannel: 'rest', output: createCollectingOutput() });
    const u = process.cpuUsage(t0);
    return (u.user + u.system) / n;
  };
}
const before = await build('/tmp/base/dist');
const after = await build('/work/main/dist');
await before(4000); await after(4000);
const b = [], a = [], r = [];
for (let i = 0; i < Number(process.env.ROUNDS ?? 10); i++) {
  const first = i % 2 === 0;
  const x = first ? await before(3000) : null; const y = await after(3000); const x2 = first ? x : await before(3000);
  b.push(x2); a.push(y); r.push(y / x2);
}
const med = (v) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
console.log(`before ${med(b).toFixed(0)} µs (min ${Math.min(...b).toFixed(0)}), after ${med(a).toFixed(0)} µs (min ${Math.min(...a).toFixed(0)}), ratio median ${med(r).toFixed(3)} [${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)}]`);
