import { startBare } from './lib/targets.mjs';
import { stopProcess } from './lib/processes.mjs';
import { restLoad } from './lib/rest-load.mjs';
const bare = await startBare({ nodeArgs: ['--cpu-prof', '--cpu-prof-dir=/tmp/bareprof'] });
const load = restLoad({ senders: 2000 });
const r = await load(bare.url, 64, 6);
console.log('bare req/s', Math.round(r.requestsPerSecond), 'requests', r.requests);
await stopProcess(bare.child);
