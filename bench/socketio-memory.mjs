/**
 * Memory per idle socket.io connection: a fresh server (Parley with moodbot, or the bare echo) is
 * asked for its memory after a full GC, a separate client process opens N connections with a
 * confirmed session each and leaves them idle, and the server is asked again. The difference over
 * N is the cost of one idle connection. Runs alternate between the two servers.
 *
 * Usage: node bench/socketio-memory.mjs [--smoke] [--runs n] [--out dir]
 */
import { fileURLToPath } from 'node:url';
import { benchArgs } from './lib/args.mjs';
import { trainedMoodbot } from './lib/projects.mjs';
import { ask, startProcess, stopProcess } from './lib/processes.mjs';
import { writeResult } from './lib/results.mjs';
import { pairedRatio, spread } from './lib/stats.mjs';
import { startBare, startParleyWithIpc } from './lib/targets.mjs';

const IDLE_CLIENTS = fileURLToPath(new URL('./lib/idle-clients.mjs', import.meta.url));
const args = benchArgs();
const settings = args.smoke ? { counts: [20], runs: args.runs ?? 1 } : { counts: [1000, 10000], runs: args.runs ?? 3 };
const settleMs = args.smoke ? 100 : 1000;

/** Bytes the server holds for `count` idle connections, divided by `count`. */
async function perConnection(start, count) {
  const server = await start();
  let clients;
  try {
    const before = await ask(server.child, 'memory');
    clients = await startProcess(process.execPath, [IDLE_CLIENTS, '--url', server.url, '--count', String(count)], {
      ready: /connected (\d+)/,
      timeoutMs: 180_000,
    });
    await new Promise((resolveSettle) => setTimeout(resolveSettle, settleMs));
    const after = await ask(server.child, 'memory');
    const heap = (sample) => sample.heapUsed + sample.external;
    return {
      rssPerConnection: (after.rss - before.rss) / count,
      heapPerConnection: (heap(after) - heap(before)) / count,
      serverRssBefore: before.rss,
    };
  } finally {
    if (clients) await stopProcess(clients.child);
    await stopProcess(server.child);
  }
}

const project = await trainedMoodbot();
const startParley = () => startParleyWithIpc(project, { nodeArgs: ['--expose-gc'] });
const startBaseline = () => startBare({ ipc: true, nodeArgs: ['--expose-gc'] });
const levels = [];
for (const count of settings.counts) {
  const runs = { parley: [], bare: [] };
  for (let run = 0; run < settings.runs; run += 1) {
    const order = run % 2 ? [['parley', startParley], ['bare', startBaseline]] : [['bare', startBaseline], ['parley', startParley]];
    for (const [name, start] of order) runs[name].push(await perConnection(start, count));
  }
  const pick = (name, field) => runs[name].map((run) => run[field]);
  const summary = (name) => ({
    rssBytesPerConnection: spread(pick(name, 'rssPerConnection')),
    heapBytesPerConnection: spread(pick(name, 'heapPerConnection')),
    serverRssBeforeBytes: spread(pick(name, 'serverRssBefore')),
  });
  const level = {
    connections: count,
    parley: summary('parley'),
    bare: summary('bare'),
    ratio: {
      rss: pairedRatio(pick('parley', 'rssPerConnection'), pick('bare', 'rssPerConnection')),
      heap: pairedRatio(pick('parley', 'heapPerConnection'), pick('bare', 'heapPerConnection')),
    },
  };
  levels.push(level);
  console.log(`socketio-memory: ${count} connections: parley ${(level.parley.rssBytesPerConnection.median / 1024).toFixed(1)} KB, bare ${(level.bare.rssBytesPerConnection.median / 1024).toFixed(1)} KB RSS each`);
}
const largest = levels.at(-1);
writeResult(args.out, 'socketio-memory', {
  setup: {
    target: 'Parley (startParley, moodbot, socketio channel), fresh process per run, --expose-gc',
    baseline: 'bare socket.io echo on fastify, fresh process per run',
    clients: 'separate process; websocket transport; one session_request per connection; then idle',
    measure: 'server RSS (and heapUsed + external) after 3 full GCs, after minus before, over N',
    runs: settings.runs,
  },
  levels,
  targets: {
    memoryPerConnection: { goal: '<= 1.25x bare (RSS)', connections: largest.connections, value: largest.ratio.rss.median, met: largest.ratio.rss.median <= 1.25 },
  },
});
