/**
 * NLU entities on SNIPS: trains Rasa's default pipeline in process on the whole training split
 * (or a sample with --smoke), then measures entity precision / recall / F1 (exact type and
 * character span) on the validation and test splits, the tagger's share of training time (from
 * the DIETClassifier progress events) and parse latency over the test texts.
 *
 * Usage: node bench/nlu-entities.mjs [--smoke] [--out dir]   (run `npx tsc -p tsconfig.build.json` first)
 */
import { loadNlu, trainNlu } from '../dist/nlu/index.js';
import { benchArgs } from './lib/args.mjs';
import { readSnips } from './lib/projects.mjs';
import { writeResult } from './lib/results.mjs';
import { quantile } from './lib/stats.mjs';

const args = benchArgs();
const sample = (examples, every) => (every > 1 ? examples.filter((_, index) => index % every === 0) : examples);
const train = sample(readSnips('train'), args.smoke ? 20 : 1);
const splits = { val: sample(readSnips('val'), args.smoke ? 10 : 1), test: sample(readSnips('test'), args.smoke ? 10 : 1) };

const intents = [...new Set(train.map((example) => example.intent))].sort();
const entityTypes = [...new Set(train.flatMap((example) => example.entities.map((entity) => entity.entity)))].sort();
const domain = {
  intents: intents.map((name) => ({ name, usedEntities: entityTypes, useEntities: null, ignoreEntities: [], isRetrievalIntent: false })),
  entities: entityTypes.map((name) => ({ name, roles: [], groups: [], influenceConversation: true })),
  slots: [],
  responses: {},
  customActions: [],
  actionsSendingDomain: [],
  forms: {},
  sessionConfig: { sessionExpirationTime: 60, carryOverSlots: true },
  storeEntitiesAsSlots: true,
  actionTexts: [],
  actionNames: [],
  serialized: {},
};
const nlu = { examples: train, synonyms: {}, regexes: [], lookups: [], responses: {} };
const config = { recipe: 'default.v1', language: 'en', assistantId: 'bench', pipeline: null, policies: null, raw: {} };

const seconds = (from, to) => Number(to - from) / 1e9;
let taggerStarted = null;
let taggerEnded = null;
// CPU time too: the machine is shared, and wall-clock time includes waiting for a core.
let taggerCpuStarted = null;
let taggerCpuSeconds = null;
const trainStarted = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const model = await trainNlu(
  { nlu, domain, config },
  {
    onProgress: (event) => {
      if (taggerStarted === null && event.message.startsWith('DIETClassifier: entity tagger')) {
        taggerStarted = process.hrtime.bigint();
        taggerCpuStarted = process.cpuUsage();
      }
      if (taggerStarted !== null && taggerEnded === null && event.message === 'Trained DIETClassifier') {
        taggerEnded = process.hrtime.bigint();
        const used = process.cpuUsage(taggerCpuStarted);
        taggerCpuSeconds = (used.user + used.system) / 1e6;
      }
    },
  },
);
const trainEnded = process.hrtime.bigint();
const cpu = process.cpuUsage(cpuStarted);
// The archive must survive JSON, as in a model file.
const modelJson = JSON.stringify(model);
const interpreter = loadNlu(JSON.parse(modelJson), domain);

const key = (entity) => `${entity.entity}:${entity.start}:${entity.end}`;
function evaluate(examples) {
  let truePositives = 0;
  let predicted = 0;
  let expected = 0;
  let intentCorrect = 0;
  for (const example of examples) {
    const parsed = interpreter.parse(example.text);
    if (parsed.intent.name === example.intent) intentCorrect += 1;
    const gold = new Set(example.entities.map(key));
    const found = new Set(parsed.entities.map(key));
    expected += gold.size;
    predicted += found.size;
    for (const item of found) if (gold.has(item)) truePositives += 1;
  }
  const precision = predicted ? truePositives / predicted : 0;
  const recall = expected ? truePositives / expected : 0;
  return {
    examples: examples.length,
    entities: expected,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    intentAccuracy: intentCorrect / examples.length,
  };
}
const val = evaluate(splits.val);
const test = evaluate(splits.test);

// Latency: every test text once as warm-up, then timed.
const times = [];
for (const example of splits.test) interpreter.parse(example.text);
for (const example of splits.test) {
  const began = process.hrtime.bigint();
  interpreter.parse(example.text);
  times.push(Number(process.hrtime.bigint() - began) / 1e6);
}

const taggerSeconds = taggerStarted !== null && taggerEnded !== null ? seconds(taggerStarted, taggerEnded) : null;
console.log(
  `nlu-entities: tagger ${taggerSeconds?.toFixed(1)} s (${taggerCpuSeconds?.toFixed(1)} s CPU) of ${seconds(trainStarted, trainEnded).toFixed(1)} s training; ` +
    `entity F1 val ${val.f1.toFixed(3)}, test ${test.f1.toFixed(3)}; parse p50 ${quantile(times, 0.5).toFixed(3)} ms`,
);
writeResult(args.out, 'nlu-entities', {
  setup: {
    data: 'SNIPS (Goo et al. 2018 split) from /work/shared/fixtures/nlu/snips',
    trainExamples: train.length,
    pipeline: "Rasa's default (config.yml without pipeline), trained in process with trainNlu",
    metric: 'entity chunk precision/recall/F1: type and character span must match exactly',
  },
  training: {
    nluSeconds: seconds(trainStarted, trainEnded),
    nluCpuSeconds: (cpu.user + cpu.system) / 1e6,
    taggerSeconds,
    taggerCpuSeconds,
  },
  val,
  test,
  modelMegabytes: Buffer.byteLength(modelJson) / 1e6,
  parseMs: { p50: quantile(times, 0.5), p90: quantile(times, 0.9), p99: quantile(times, 0.99) },
});
