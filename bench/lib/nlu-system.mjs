/**
 * One system on one NLU data set, in a process of its own so that its peak memory is its own:
 * trains on the train split, classifies the test split, times parses, and writes what it
 * measured as JSON. Run by bench/nlu.mjs with `--expose-gc`:
 *
 *   node --expose-gc bench/lib/nlu-system.mjs '<job JSON>'
 *
 * job: `{ system: 'parley' | 'node-nlp' | 'tfidf-lr', dataset: { name, train, test },
 * perIntent?: number, testEvery: number, runs: number, out: string }`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { limitPerIntent, readNluExamples } from './nlu-datasets.mjs';
import { writeNluOnlyProject } from './nlu-examples.mjs';
import { quantile, spread } from './stats.mjs';
import { tempDir } from './projects.mjs';

const job = JSON.parse(process.argv[2]);
const train = limitPerIntent(readNluExamples(job.dataset.train), job.perIntent);
const test = readNluExamples(job.dataset.test).filter((_, index) => index % job.testEvery === 0);

const MiB = 2 ** 20;
const collect = () => globalThis.gc?.();
let before = null;
let cpuBefore = null;

/** Called by each system right before it trains: the memory baseline, then the clock. */
function startTraining() {
  collect();
  before = process.memoryUsage();
  cpuBefore = process.cpuUsage();
  return process.hrtime.bigint();
}

/** Parley: Rasa's default pipeline (config.yml without `pipeline:`), trained in this process. */
async function parleySystem() {
  // Each system loads only its own code, so the RSS before training is its own too.
  const { loadNlu, trainNlu } = await import('../../dist/nlu/index.js');
  const { loadProject } = await import('../../dist/project/index.js');
  const root = writeProject(train);
  const { project } = await loadProject(root);
  const stageStarts = [];
  let lastLabel = null;
  const started = startTraining();
  const model = await trainNlu(
    { nlu: project.training.nlu, domain: project.domain, config: project.config },
    {
      onProgress(event) {
        // DIET trains the intent model, then the entity tagger: time the two apart.
        const label = event.stage === 'nlu.DIETClassifier' && /entity tagger/.test(event.message) ? 'DIETClassifier (entities)'
          : event.stage === 'nlu.DIETClassifier' ? 'DIETClassifier (intents)'
          : event.stage.replace(/^nlu\./, '');
        if (label !== lastLabel) stageStarts.push({ label, at: process.hrtime.bigint(), cpu: process.cpuUsage() });
        lastLabel = label;
      },
    },
  );
  const finished = process.hrtime.bigint();
  const finishedCpu = process.cpuUsage();
  const stageSeconds = {};
  const stageCpuSeconds = {};
  const cpuSeconds = (usage) => (usage.user + usage.system) / 1e6;
  stageStarts.forEach((stage, index) => {
    const end = stageStarts[index + 1] ?? { at: finished, cpu: finishedCpu };
    stageSeconds[stage.label] = (stageSeconds[stage.label] ?? 0) + Number(end.at - stage.at) / 1e9;
    stageCpuSeconds[stage.label] = (stageCpuSeconds[stage.label] ?? 0) + cpuSeconds(end.cpu) - cpuSeconds(stage.cpu);
  });
  for (const stages of [stageSeconds, stageCpuSeconds]) {
    delete stages.done;
    delete stages.pipeline;
  }
  const serialized = JSON.stringify(model);
  const interpreter = loadNlu(JSON.parse(serialized), project.domain);
  return {
    trainSeconds: Number(finished - started) / 1e9,
    stageSeconds,
    stageCpuSeconds,
    serialized,
    classify(text) {
      const parsed = interpreter.parse(text);
      // The classifier's own answer: FallbackClassifier's nlu_fallback is not an intent of the data.
      const top = parsed.intent_ranking?.find((intent) => intent.name !== 'nlu_fallback') ?? parsed.intent;
      return { intent: top?.name ?? null, entities: parsed.entities };
    },
  };
}

function writeProject(examples) {
  return writeNluOnlyProject(join(tempDir('parley-bench-nlu-'), 'project'), examples);
}

async function nodeNlpSystem() {
  const { classifyNodeNlp, trainNodeNlp } = await import('../peers/nodenlp.mjs');
  const started = startTraining();
  const manager = await trainNodeNlp(train);
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    trainSeconds,
    serialized: manager.export(true),
    classify: async (text) => ({ intent: (await classifyNodeNlp(manager, text)).intent, entities: null }),
  };
}

async function baselineSystem() {
  const { classifyTfidfBaseline, exportTfidfBaseline, trainTfidfBaseline } = await import('./tfidf-baseline.mjs');
  const started = startTraining();
  const baseline = trainTfidfBaseline(train);
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    trainSeconds,
    serialized: exportTfidfBaseline(baseline),
    classify: (text) => ({ intent: classifyTfidfBaseline(baseline, text).intent, entities: null }),
  };
}

const SYSTEMS = { parley: parleySystem, 'node-nlp': nodeNlpSystem, 'tfidf-lr': baselineSystem };

const system = await SYSTEMS[job.system]();
const cpu = process.cpuUsage(cpuBefore);
const peakRss = process.resourceUsage().maxRSS * 1024;
collect();
const after = process.memoryUsage();

const predictions = [];
for (const example of test) {
  const answer = await system.classify(example.text);
  predictions.push({ expected: example.intent, predicted: answer.intent ?? 'None', gold: example.entities, found: answer.entities });
}

// Latency: whole passes over the test texts (the pass above warmed the code up).
const passes = [];
for (let run = 0; run < job.runs; run += 1) {
  const times = [];
  for (const example of test) {
    const began = process.hrtime.bigint();
    await system.classify(example.text);
    times.push(Number(process.hrtime.bigint() - began) / 1e6);
  }
  passes.push({ p50: quantile(times, 0.5), p99: quantile(times, 0.99) });
}

const result = {
  system: job.system,
  dataset: job.dataset.name,
  trainExamples: train.length,
  testExamples: test.length,
  trainSeconds: system.trainSeconds,
  // CPU time is steadier than wall time on a shared machine (it includes the GC's helper threads).
  trainCpuSeconds: (cpu.user + cpu.system) / 1e6,
  stageSeconds: system.stageSeconds ?? null,
  stageCpuSeconds: system.stageCpuSeconds ?? null,
  modelBytes: Buffer.byteLength(system.serialized),
  modelGzipBytes: gzipSync(system.serialized).length,
  peakRssMiB: peakRss / MiB,
  rssBeforeTrainingMiB: before.rss / MiB,
  peakRssDeltaMiB: (peakRss - before.rss) / MiB,
  retainedHeapMiB: (after.heapUsed - before.heapUsed) / MiB,
  parseP50Ms: spread(passes.map((pass) => pass.p50)),
  parseP99Ms: spread(passes.map((pass) => pass.p99)),
  predictions: predictions.map(({ expected, predicted, gold, found }) =>
    found === null ? { expected, predicted } : { expected, predicted, gold, found: found.map(({ entity, start, end }) => ({ entity, start, end })) },
  ),
};
writeFileSync(job.out, JSON.stringify(result));
