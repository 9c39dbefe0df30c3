/**
 * NLU on SNIPS: intent accuracy (and, for Parley, entity F1) on the official test split, and
 * parse latency, Parley (Rasa's default pipeline, trained with `parley train`) vs node-nlp 4
 * trained on the same examples. Both are called in this process; latency is timed per utterance
 * in alternating slices. `--per-intent n` trains on the first n examples of each intent (default
 * 100, so the run stays bounded; `all` uses the whole training split).
 *
 * Usage: node bench/nlu.mjs [--smoke] [--runs n] [--per-intent n|all] [--out dir]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../dist/model/model.js';
import { loadNlu } from '../dist/nlu/index.js';
import { benchArgs } from './lib/args.mjs';
import { readSnips, snipsProject, trainProject } from './lib/projects.mjs';
import { writeResult } from './lib/results.mjs';
import { median, pairedRatio, quantile, spread } from './lib/stats.mjs';
import { classifyNodeNlp, trainNodeNlp } from './peers/nodenlp.mjs';

const args = benchArgs({ 'per-intent': { type: 'string' } });
const perIntentFlag = args['per-intent'] ?? (args.smoke ? '3' : '100');
const perIntent = perIntentFlag === 'all' ? undefined : Number(perIntentFlag);
const runs = args.runs ?? (args.smoke ? 1 : 5);
const sliceSize = args.smoke ? 5 : 50;

const { root, examples } = snipsProject({ limitPerIntent: perIntent });
const parleyTrainStarted = process.hrtime.bigint();
await trainProject(root);
const parleyTrainSeconds = Number(process.hrtime.bigint() - parleyTrainStarted) / 1e9;
const modelDir = join(root, 'models');
const model = await loadModel(join(modelDir, readdirSync(modelDir).find((name) => name.endsWith('.tar.gz'))));
const interpreter = loadNlu(model.nlu, model.domain);
const nodeNlpStarted = process.hrtime.bigint();
const manager = await trainNodeNlp(examples);
const nodeNlpTrainSeconds = Number(process.hrtime.bigint() - nodeNlpStarted) / 1e9;

const test = readSnips('test');
const testSet = args.smoke ? test.filter((_, index) => index % 70 === 0) : test;

// Accuracy over the whole test set.
let parleyCorrect = 0;
let peerCorrect = 0;
let truePositives = 0;
let predicted = 0;
let expected = 0;
const key = (entity) => `${entity.entity}:${entity.start}:${entity.end}`;
for (const example of testSet) {
  const parsed = interpreter.parse(example.text);
  if (parsed.intent.name === example.intent) parleyCorrect += 1;
  const gold = new Set(example.entities.map(key));
  const found = new Set(parsed.entities.map(key));
  expected += gold.size;
  predicted += found.size;
  for (const item of found) if (gold.has(item)) truePositives += 1;
  if ((await classifyNodeNlp(manager, example.text)).intent === example.intent) peerCorrect += 1;
}
const precision = predicted ? truePositives / predicted : 0;
const recall = expected ? truePositives / expected : 0;

// Latency: alternating slices of the test set.
async function timeSlice(parse, start) {
  const times = [];
  for (let index = 0; index < sliceSize; index += 1) {
    const text = testSet[(start + index) % testSet.length].text;
    const began = process.hrtime.bigint();
    await parse(text);
    times.push(Number(process.hrtime.bigint() - began) / 1e6);
  }
  return times;
}
const parleyParse = (text) => interpreter.parse(text);
const peerParse = (text) => classifyNodeNlp(manager, text);
const latency = { parley: [], peer: [] };
for (let run = 0; run < runs; run += 1) {
  const start = run * sliceSize;
  const order = run % 2 ? [['parley', parleyParse], ['peer', peerParse]] : [['peer', peerParse], ['parley', parleyParse]];
  for (const [name, parse] of order) {
    const times = await timeSlice(parse, start);
    latency[name].push({ p50: quantile(times, 0.5), p99: quantile(times, 0.99) });
  }
}
const pick = (name, field) => latency[name].map((run) => run[field]);
console.log(
  `nlu: parley accuracy ${(parleyCorrect / testSet.length).toFixed(3)}, node-nlp ${(peerCorrect / testSet.length).toFixed(3)}; ` +
    `parse p50 parley ${median(pick('parley', 'p50')).toFixed(3)} ms, node-nlp ${median(pick('peer', 'p50')).toFixed(3)} ms`,
);
writeResult(args.out, 'nlu', {
  setup: {
    data: 'SNIPS (Goo et al. 2018 split) from /work/shared/fixtures/nlu/snips',
    trainExamples: examples.length,
    perIntent: perIntent ?? 'all',
    testExamples: testSet.length,
    target: "Parley, Rasa's default pipeline (config.yml without pipeline), parley train; parse in process",
    baseline: 'node-nlp 4 NlpManager (intents only, built-in NER off); process() in process',
    runs,
    utterancesPerSlice: sliceSize,
  },
  parley: {
    intentAccuracy: parleyCorrect / testSet.length,
    entityPrecision: precision,
    entityRecall: recall,
    entityF1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    trainSeconds: parleyTrainSeconds,
    parseP50Ms: spread(pick('parley', 'p50')),
    parseP99Ms: spread(pick('parley', 'p99')),
  },
  nodeNlp: {
    intentAccuracy: peerCorrect / testSet.length,
    trainSeconds: nodeNlpTrainSeconds,
    parseP50Ms: spread(pick('peer', 'p50')),
    parseP99Ms: spread(pick('peer', 'p99')),
  },
  ratio: {
    intentAccuracy: parleyCorrect / Math.max(1, peerCorrect),
    parseP50: pairedRatio(pick('parley', 'p50'), pick('peer', 'p50')),
    parseP99: pairedRatio(pick('parley', 'p99'), pick('peer', 'p99')),
  },
});
