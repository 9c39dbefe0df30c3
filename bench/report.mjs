/**
 * Writes `bench/results/summary.md` and its charts from the JSON results of the benchmark scripts:
 * the machine, every target (met or not, with what bounds a missed one), and each benchmark's
 * figures as medians with their ratio to the baseline measured next to them.
 *
 * Usage: node bench/report.mjs [--out dir]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RESULTS_DIR, SMOKE_DIR } from './lib/args.mjs';
import { format, groupedBarChart, ratioChart } from './lib/svg-charts.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' }, smoke: { type: 'boolean' } }, allowPositionals: true });
const out = values.out ?? (values.smoke ? SMOKE_DIR : RESULTS_DIR);
const load = (name) => {
  const path = join(out, `${name}.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
};
const results = {
  rest: load('rest'),
  socketio: load('socketio'),
  memory: load('socketio-memory'),
  conversation: load('conversation-length'),
  cold: load('cold-start'),
  train: load('train'),
  nlu: load('nlu'),
  profile: load('profile'),
  stores: load('stores'),
  restScale: load('rest-scale'),
  layers: load('rest-layers'),
  gcPauses: load('gc-pauses'),
  optimisations: load('optimisations'),
};
const machine = Object.values(results).find(Boolean)?.machine;
const f = format;
const range = (stat) => (stat ? `${f(stat.median)} (${f(stat.min)}–${f(stat.max)})` : 'n/a');
/** autocannon reports whole milliseconds: 0 means under 1 ms. */
const ms = (value) => (value === 0 ? '<1' : f(value));
const yes = (met) => (met === true ? '**met**' : met === false ? '**missed**' : 'n/a');
const lines = [];
const say = (...text) => lines.push(...text);

say('# Parley benchmarks', '');
if (machine) {
  say(`Measured on ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}; Node ${machine.node}; Parley ${machine.parley}; ${machine.date.slice(0, 10)}.`, '');
}
say(
  'Reproduce with `npm run bench` (all) or `node bench/<name>.mjs` (one; `--smoke` for the tiny setting). Servers under test run in their own processes, the load generator in another (with two or more cores, servers are pinned to core 0 and the load generator to core 1; see bench/README.md); baseline and target are measured in alternating short slices, and each figure is the median of the runs (min–max in brackets) and its ratio to the baseline measured next to it. Loopback only. This machine is shared (other processes, such as test suites, may run during a benchmark) and its speed drifts: compare ratios, not absolute numbers, and read a wide min–max as noise.',
  '',
);

// ── Targets ──
const targetRows = [];
const restTargets = results.rest?.targets;
if (restTargets) {
  targetRows.push(['REST throughput at 64 connections', '≥ 0.60 × bare fastify', `${f(restTargets.throughputAt64.value)} ×`, restTargets.throughputAt64.met]);
  targetRows.push([`REST p99 at 50 % of max (${results.rest.halfLoad.targetRequestsPerSecond} req/s)`, '≤ 20 ms', `${f(restTargets.p99AtHalfLoad.value)} ms`, restTargets.p99AtHalfLoad.met]);
}
if (results.socketio) targetRows.push(['socket.io messages/s', '≥ 0.60 × bare echo', `${f(results.socketio.targets.messagesPerSecond.value)} ×`, results.socketio.targets.messagesPerSecond.met]);
if (results.memory) {
  const t = results.memory.targets.memoryPerConnection;
  targetRows.push([`Memory per idle socket.io connection (${t.connections})`, '≤ 1.25 × bare echo', `${f(t.value)} ×`, t.met]);
}
if (results.conversation) targetRows.push(['Per-message time, event 10 → 10,000', '≤ 1.20 ×', `${f(results.conversation.targets.flat.value)} ×`, results.conversation.targets.flat.met]);
if (results.stores) targetRows.push([`Latest-session load, ${results.stores.setup.retrieve.sizes[0]} → ${results.stores.setup.retrieve.sizes.at(-1).toLocaleString('en')} events (worst store; growth < 1 µs is flat)`, '≤ 1.50 ×', `${f(results.stores.targets.flatRetrieve.value)} ×`, results.stores.targets.flatRetrieve.met]);
if (results.cold) targetRows.push(['Cold start of `parley run` (trained moodbot)', '≤ 1,000 ms', `${f(results.cold.targets.coldStart.value)} ms`, results.cold.targets.coldStart.met]);
say('## Targets (moodbot, in-memory tracker store, loopback)', '', '| target | goal | measured (median) | |', '| --- | --- | --- | --- |');
for (const [name, goal, value, met] of targetRows) say(`| ${name} | ${goal} | ${value} | ${yes(met)} |`);
say('', '![ratios](ratios.svg)', '');

const ratioRows = [];
if (results.rest) for (const level of results.rest.levels) ratioRows.push({ label: `REST req/s, ${level.connections} conn.`, value: level.ratio.throughput.median, goal: level.connections === 64 ? 0.6 : NaN, met: level.connections === 64 ? restTargets.throughputAt64.met : null });
if (results.socketio) ratioRows.push({ label: 'socket.io msg/s', value: results.socketio.ratio.messagesPerSecond.median, goal: 0.6, met: results.socketio.targets.messagesPerSecond.met });
if (results.memory) for (const level of results.memory.levels) ratioRows.push({ label: `memory/conn., ${level.connections}`, value: level.ratio.rss.median, goal: 1.25, met: level.ratio.rss.median <= 1.25 });
if (results.conversation) for (const level of results.conversation.levels.slice(1)) ratioRows.push({ label: `ms/message, event ${level.events}`, value: level.ratioToShortest.median, goal: 1.2, met: level.ratioToShortest.median <= 1.2 });
if (results.cold) ratioRows.push({ label: 'cold start vs bare server', value: results.cold.ratio.median, goal: NaN, met: null });
if (ratioRows.length > 0) writeFileSync(join(out, 'ratios.svg'), ratioChart({ title: 'Parley / baseline, median of interleaved runs', rows: ratioRows }));

// ── What bounds the missed targets ──
const missed = targetRows.filter((row) => row[3] === false);
if (missed.length > 0) {
  say('## What bounds the missed targets', '');
  const profile = results.profile;
  const share = (predicate) => (profile ? profile.topSelfTime.filter((fn) => predicate(fn.name)).reduce((sum, fn) => sum + fn.share, 0) : NaN);
  const pct = (value) => `${f(value * 100)} %`;
  if (restTargets && (restTargets.throughputAt64.met === false || restTargets.p99AtHalfLoad.met === false || results.socketio?.targets.messagesPerSecond.met === false)) {
    const origins = profile?.byOrigin ?? [];
    const layers = results.layers;
    if (layers) {
      const cpu = (name) => layers.targets[name].cpuMicrosecondsPerRequest.total.median;
      const [bareUs, layerUs, parleyUs] = [cpu('bare'), cpu('parley-http-only'), cpu('parley')];
      const layerThroughput = layers.targets['parley-http-only'].ratioToBare.throughput.median;
      const sio = results.socketio?.httpOnly;
      say(
        `- **REST / socket.io throughput: the HTTP layer alone uses the budget.** Server CPU per request at ${layers.setup.connections} connections (rest-layers benchmark, user + kernel time from /proc): bare fastify ${f(bareUs)} µs, Parley's own server answering with a constant bot (same fastify instance, hooks, rest channel and output collection as \`parley run\`, no dialogue turn) ${f(layerUs)} µs, \`parley run\` on moodbot ${f(parleyUs)} µs. ` +
          `0.60 × the bare throughput allows about ${f(bareUs / 0.6)} µs per request on a saturated server core; Parley's HTTP layer alone (request ids, CORS, error handling, optional rate limits and metrics, reading any content type, the channel's output collector) takes ${f(layerUs)} µs and reaches only ${range(layers.targets['parley-http-only'].ratioToBare.throughput)} × the bare throughput, so even a free dialogue turn would leave the target ${layerThroughput >= 0.6 ? 'just within reach' : 'missed'}. ` +
          (sio ? `The same split for socket.io: Parley's server and socketio channel with a constant bot reach ${range(sio.ratio.messagesPerSecond)} × the bare echo's messages/s. ` : '') +
          `The dialogue turn adds ${range(layers.split.dialogueTurnMicroseconds)} µs per request (NLU with its parse cache, two predictions over three policies, tracker updates, the in-memory store, and the garbage collection of the ~50 KB each turn allocates). ` +
          (origins.length > 0 ? `Where \`parley run\`'s time goes (hot-path profile, ${profile.setup.requests} requests, self time by origin): ${origins.slice(0, 8).map((entry) => `${entry.name} ${pct(entry.share)}`).join(', ')}. ` : '') +
          'What would change it: more server cores (several `parley run` instances or workers behind one port with the Redis lock store — see "REST across instances"; on this 2-core machine the load generator needs the other core, so that cannot show here), and a turn several times cheaper (it already shares dialogue states, and what is derived from them, between conversations — see Optimisations; what remains is spread thin: fewer objects per event and per action would be next). A thinner HTTP layer could win at most the difference between the first two figures.',
      );
    }
    const gc = results.gcPauses;
    if (restTargets.p99AtHalfLoad.met === false) say(
      '- **REST p99 at half load.** Measured with an open-loop constant-rate load (bench/lib/paced-load.mjs; latency from when each request was due, as wrk2 does), so neither server is penalised by load-generator bursts. ' +
        (gc
          ? `What fills the tail is garbage collection: at ${gc.setup.rate} req/s for ${gc.setup.seconds} s after a warm-up (\`--trace-gc\`, ${gc.setup.runs} runs, median): ${f(gc.scavenges.count.median)} young-generation scavenges, median pause ${f(gc.scavenges.medianMs.median)} ms, longest ${f(gc.scavenges.maxMs.median)} ms, ${f(gc.markCompacts.count.median)} mark-compacts; p99 ${range(gc.p99Ms)} ms. Every turn's events stay alive (in-memory store and tracker cache), so each scavenge copies many survivors. `
          : '') +
        'What would change it: fewer long-lived objects per turn (events kept as compact records, or a tracker store outside the heap such as SQLite or Redis), and fewer short-lived ones (see above).',
    );
  }
  if (results.conversation?.targets.flat.met === false) {
    const top = results.conversation.profileAtLongest?.functions?.slice(0, 6).map((fn) => `\`${fn.name}\` ${pct(fn.share)}`).join(', ');
    say(
      `- **Conversation length.** Per-message time grows with the stored session: ${results.conversation.levels.map((level) => `${f(level.msPerMessage.median)} ms at event ${level.events}`).join(', ')}. Profile of messages at the longest conversation: ${top}. Every turn reads the whole session from the store (memory-tracker-store.js copies it with \`slice\`), replays it into a tracker (tracker.js \`fromEvents\`) and, per prediction and per policy, walks all of it again to build dialogue states (states.js \`#walk\`/\`apply\`) although the policies only look at the last \`max_history\` turns plus the current slots; the garbage those copies make is the GC share. What would change it: keep the replayed tracker and the state walker's position per conversation (inside the conversation lock, checked against the store's event count) so that a turn costs O(new events); or have the store keep a slot/loop snapshot every N events so that a walk starts from the latest snapshot.`,
    );
  }
  if (results.cold?.targets.coldStart.met === false) {
    say(
      `- **Cold start.** Spawn to first answer: Parley ${f(results.cold.parleyMs.median)} ms against ${f(results.cold.bareMs.median)} ms for a bare fastify + socket.io server (the machine's floor for "a Node web server answers"; ratio ${range(results.cold.ratio)}), and \`parley --version\` alone takes ${f(results.cold.parleyVersionMs?.median)} ms. Commands and store/broker drivers are already imported only when used; a CPU profile of \`parley run\` up to its first answer puts about 60 % in Node's ES module loader (resolving, reading and compiling the ~260 files of dist/ and the packages' files), not in the model. What would change it: one bundled ES module for dist/ (esbuild, packages left external, code splitting for the lazily imported commands), after checking every path computed from \`import.meta.url\`. On this machine the bare server alone takes ${f(results.cold.bareMs.median)} ms, so the 1 s target leaves Parley ~${f(1000 - results.cold.bareMs.median)} ms.`,
    );
  }
  if (results.memory?.targets.memoryPerConnection.met === false) {
    say('- **Memory per idle connection.** Parley keeps per-socket state in its socketio channel on top of socket.io\'s; see the heap figures below for the part that is JavaScript heap rather than buffers.');
  }
  say('');
}

// ── Per benchmark ──
if (results.rest) {
  say('## REST: `POST /webhooks/rest/webhook`, Parley vs bare fastify', '', `${results.rest.setup.message === 'hi' ? '"hi" from' : ''} ${results.rest.setup.sendersPerSlice} senders per slice, ${results.rest.setup.secondsPerSlice} s slices, ${results.rest.setup.runs} runs; autocannon in the benchmark process, each server in its own.`, '');
  say('| connections | Parley req/s | bare req/s | ratio | Parley p50 / p99 / p99.9 ms | bare p50 / p99 / p99.9 ms |', '| --- | --- | --- | --- | --- | --- |');
  for (const level of results.rest.levels) {
    say(`| ${level.connections} | ${range(level.parley.requestsPerSecond)} | ${range(level.bare.requestsPerSecond)} | ${range(level.ratio.throughput)} | ${ms(level.parley.p50.median)} / ${ms(level.parley.p99.median)} / ${ms(level.parley.p999.median)} | ${ms(level.bare.p50.median)} / ${ms(level.bare.p99.median)} / ${ms(level.bare.p999.median)} |`);
  }
  const half = results.rest.halfLoad;
  say('', `At ${half.targetRequestsPerSecond} req/s (half of Parley's maximum at ${half.connections} connections; open-loop constant rate, latency from each request's due time): Parley p50 ${f(half.parley.p50.median)} ms, p99 ${range(half.parley.p99)} ms, p99.9 ${f(half.parley.p999.median)} ms; bare p99 ${f(half.bare.p99.median)} ms (ratio ${range(half.ratio.p99)}).`, '', '![REST throughput](rest.svg)', '');
  writeFileSync(
    join(out, 'rest.svg'),
    groupedBarChart({
      title: 'REST requests/s by connections (median)',
      unit: 'requests/s',
      series: ['Parley (moodbot)', 'bare fastify'],
      groups: results.rest.levels.map((level) => ({ label: `${level.connections} conn.`, values: [level.parley.requestsPerSecond.median, level.bare.requestsPerSecond.median] })),
    }),
  );
}
if (results.layers) {
  const l = results.layers;
  say('## REST, layer by layer: bare fastify, Parley\'s server with a constant bot, `parley run`', '', `"hi" at ${l.setup.connections} connections, ${l.setup.sendersPerSlice} senders per slice, ${l.setup.secondsPerSlice} s slices rotating over the three servers, ${l.setup.runs} runs. CPU = the server process's user + kernel time during the slice / requests answered.`, '');
  say('| server | req/s | ratio to bare | CPU µs / request (user + kernel) | p99 ms |', '| --- | --- | --- | --- | --- |');
  for (const [name, label] of [['bare', 'bare fastify route'], ['parley-http-only', "Parley's server, constant bot (no turn)"], ['parley', '`parley run`, moodbot']]) {
    const t = l.targets[name];
    say(`| ${label} | ${range(t.requestsPerSecond)} | ${range(t.ratioToBare.throughput)} | ${range(t.cpuMicrosecondsPerRequest.total)} (${f(t.cpuMicrosecondsPerRequest.user.median)} + ${f(t.cpuMicrosecondsPerRequest.system.median)}) | ${ms(t.p99.median)} |`);
  }
  say('', `Per request: Parley's HTTP layer adds ${range(l.split.httpLayerMicroseconds)} µs to the bare route's ${range(l.split.bareMicroseconds)} µs (${range(l.split.httpOnlyCpuRatioToBare)} ×); the dialogue turn adds ${range(l.split.dialogueTurnMicroseconds)} µs.`, '');
}
if (results.socketio) {
  const s = results.socketio;
  say('## socket.io: Parley\'s socketio channel vs a bare echo', '', `${s.setup.clients} clients in closed loops (${s.setup.secondsPerSlice} s slices), then one client for ${s.setup.roundTripsPerRun} sequential round trips; ${s.setup.runs} runs.`, '');
  say('| | Parley | bare echo | ratio |', '| --- | --- | --- | --- |');
  say(`| messages/s | ${range(s.parley.messagesPerSecond)} | ${range(s.bare.messagesPerSecond)} | ${range(s.ratio.messagesPerSecond)} |`);
  say(`| round trip p50 ms | ${range(s.parley.roundTripP50)} | ${range(s.bare.roundTripP50)} | ${range(s.ratio.roundTripP50)} |`);
  say(`| round trip p99 ms | ${range(s.parley.roundTripP99)} | ${range(s.bare.roundTripP99)} | ${range(s.ratio.roundTripP99)} |`, '');
  if (s.httpOnly) say(`Parley's server and socketio channel answering with a constant bot (no dialogue turn): ${range(s.httpOnly.messagesPerSecond)} messages/s, ${range(s.httpOnly.ratio.messagesPerSecond)} × the bare echo.`, '');
}
if (results.memory) {
  say('## Memory per idle socket.io connection', '', 'Server RSS after 3 full GCs, with N idle connections (each with a confirmed session) minus before, over N; fresh server per run.', '');
  say('| connections | Parley KB (RSS) | bare KB (RSS) | ratio | Parley KB (heap+external) | bare KB (heap+external) |', '| --- | --- | --- | --- | --- | --- |');
  const kb = (stat) => f(stat.median / 1024);
  for (const level of results.memory.levels) say(`| ${level.connections} | ${kb(level.parley.rssBytesPerConnection)} | ${kb(level.bare.rssBytesPerConnection)} | ${range(level.ratio.rss)} | ${kb(level.parley.heapBytesPerConnection)} | ${kb(level.bare.heapBytesPerConnection)} |`);
  say('');
}
if (results.conversation) {
  say('## Per-message time by conversation length', '', 'Agent.handleMessage in process (moodbot, in-memory store); the lengths are measured in alternating slices; ratio to event ~10.', '');
  say('| events | ms/message | ratio to event 10 |', '| --- | --- | --- |');
  for (const level of results.conversation.levels) say(`| ${level.events} (measured at ${f(level.measuredAtEvents.median)}) | ${range(level.msPerMessage)} | ${range(level.ratioToShortest)} |`);
  say('', '![conversation length](conversation-length.svg)', '');
  writeFileSync(
    join(out, 'conversation-length.svg'),
    groupedBarChart({
      title: 'ms per message by conversation length (median)',
      unit: 'ms/message',
      series: ['Parley (moodbot)'],
      log: true,
      groups: results.conversation.levels.map((level) => ({ label: `event ${level.events}`, values: [level.msPerMessage.median] })),
    }),
  );
}
if (results.stores) {
  const st = results.stores;
  const sizes = st.setup.retrieve.sizes;
  say('## Stores: tracker stores on real servers', '', `Loading a conversation's latest session (${st.setup.retrieve.latestSessionEvents} events) with \`retrieve\`, in process, when the stored history holds ${sizes.map((size) => size.toLocaleString('en')).join(' / ')} events; median of ${st.setup.retrieve.callsPerSlice} calls per slice, ${st.setup.retrieve.runs} interleaved runs, ratio to the ${sizes[0]}-event history (must stay flat).`, '');
  say(`| store | ${sizes.map((size) => `µs at ${size.toLocaleString('en')}`).join(' | ')} | ratio ${sizes.at(-1).toLocaleString('en')} / ${sizes[0]} |`, `| --- | ${sizes.map(() => '---').join(' | ')} | --- |`);
  for (const entry of st.retrieve) say(`| ${entry.store} | ${entry.levels.map((level) => range(level.microsecondsPerRetrieve)).join(' | ')} | ${range(entry.levels.at(-1).ratioToSmallest)} |`);
  say('', `REST through \`parley run\` (moodbot, "hi", ${st.setup.rest.connections} connections, ${st.setup.rest.secondsPerSlice} s slices rotating over the stores, ${st.setup.rest.runs} runs), ratio to the in-memory store measured in the same run:`, '');
  say('| tracker store | req/s | ratio | p50 / p99 ms | p99 ratio | errors |', '| --- | --- | --- | --- | --- | --- |');
  for (const entry of st.rest.stores) say(`| ${entry.store} | ${range(entry.requestsPerSecond)} | ${range(entry.ratioToInMemory.throughput)} | ${ms(entry.p50.median)} / ${ms(entry.p99.median)} | ${f(entry.ratioToInMemory.p99.median)} | ${entry.errors} |`);
  say('');
}
if (results.cold) {
  const c = results.cold;
  say('## Cold start', '', `Spawn to first answered REST message, ${c.setup.runs} runs: Parley ${range(c.parleyMs)} ms, bare fastify + socket.io ${range(c.bareMs)} ms (ratio ${range(c.ratio)}); \`parley --version\` ${range(c.parleyVersionMs)} ms.`, '');
}
if (results.restScale) {
  const rs = results.restScale;
  say('## REST across instances: two `parley run` behind nginx', '', `Moodbot, "hi", ${rs.setup.connections} connections, ${rs.setup.sendersPerSlice} senders per slice, ${rs.setup.secondsPerSlice} s slices rotating over the targets, ${rs.setup.runs} runs; ratio to ${rs.setup.baseline}. ${rs.setup.note}`, '');
  say('| target | instances | nginx | req/s | ratio | p50 / p99 ms | errors |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const entry of rs.targets) say(`| ${entry.description} | ${entry.instances} | ${entry.nginx ? 'yes' : 'no'} | ${range(entry.requestsPerSecond)} | ${range(entry.ratioToBaseline.throughput)} | ${ms(entry.p50.median)} / ${ms(entry.p99.median)} | ${entry.errors} |`);
  say('');
}
const optimisationRows = [];
/** A before/after figure: a number, a spread, or text written as measured. */
const figure = (value, unit) => (typeof value === 'string' ? `${value} ${unit}`.trim() : typeof value === 'number' ? `${f(value)} ${unit}` : value?.max === undefined ? `${f(value?.median)} ${unit} (min ${f(value?.min)})` : `${range(value)} ${unit}`);
for (const entry of results.optimisations?.changes ?? []) {
  optimisationRows.push(`| ${entry.change} | ${entry.figure} | ${figure(entry.before, entry.unit)} | ${figure(entry.after, entry.unit)}${entry.comment ? ` (${entry.comment})` : ''} |`);
}
if (optimisationRows.length > 0) {
  say('## Optimisations (before / after, each run interleaved against its baseline)', '');
  if (results.optimisations) say(results.optimisations.setup.note, '');
  say('| change | figure | before | after |', '| --- | --- | --- | --- |', ...optimisationRows, '');
}
if (results.train) {
  say('## Training', '', '| project | NLU examples | `parley train` s | node-nlp train s | ratio |', '| --- | --- | --- | --- | --- |');
  for (const project of results.train.projects) {
    say(`| ${project.project} | ${project.nluExamples} | ${project.finished ? range(project.parleySeconds) : `> ${f(results.train.setup.snipsTimeoutSeconds)} (stopped at the bound)`} | ${range(project.nodeNlpSeconds)} | ${project.finished ? range(project.ratio) : 'n/a'} |`);
  }
  say('', 'node-nlp trains intents only; Parley trains the default pipeline (intents, entities, response selector) and, for moodbot, the dialogue policies.', '');
}
if (results.nlu?.datasets) {
  const n = results.nlu;
  const score = (value) => (value === null || value === undefined ? '—' : value.toFixed(3));
  say('## NLU: SNIPS and the Braun corpora', '', 'Parley (Rasa\'s default pipeline), node-nlp 4 and our TF-IDF + logistic regression baseline, each trained on the train split and scored on the test split; full table in [nlu.md](nlu.md).', '');
  say('| data set | system | intent accuracy | macro F1 | entity F1 | train s | parse p50 ms |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const [dataset, bySystem] of Object.entries(n.datasets ?? {})) {
    for (const [system, run] of Object.entries(bySystem)) {
      say(`| ${dataset} | ${system} | ${score(run.intentAccuracy)} | ${score(run.intentMacroF1)} | ${score(run.entityF1)} | ${f(run.trainSeconds)} | ${range(run.parseP50Ms)} |`);
    }
  }
  for (const [group, bySystem] of Object.entries(n.overall ?? {})) {
    say('', `Overall ${group} intent F1 (pooled accuracy): ${Object.entries(bySystem).map(([system, run]) => `${system} ${score(run.intentAccuracy)} (${run.intentCorrect}/${run.testExamples})`).join(', ')}.`);
  }
  say('');
}
if (results.profile) {
  const p = results.profile;
  say('## CPU profile of the REST hot path', '', `${p.setup.requests} requests at ${p.setup.connections} connections over ${p.setup.seconds} s, profiled after a warm-up (start-up excluded). Flame graph: [rest-flamegraph.svg](rest-flamegraph.svg). Top self time:`, '');
  say('| function | self ms | share |', '| --- | --- | --- |');
  for (const fn of p.topSelfTime.slice(0, 15)) say(`| \`${fn.name}\` | ${f(fn.selfMs)} | ${f(fn.share * 100)} % |`);
  say('');
}
writeFileSync(join(out, 'summary.md'), `${lines.join('\n')}\n`);
console.log(`report: wrote ${join(out, 'summary.md')}`);
