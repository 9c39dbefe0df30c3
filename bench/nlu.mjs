/**
 * NLU accuracy and cost, one command: on SNIPS (full train → test) and each Braun et al. corpus
 * (train → test), Parley (Rasa's default pipeline), node-nlp 4 and our plain TF-IDF + logistic
 * regression baseline each train and answer the test split, every (system, data set) in a child
 * process of its own so its peak RSS is its own. Reports intent accuracy, macro and weighted F1,
 * entity chunk F1 (Parley, SNIPS), train seconds, parse p50/p99, model size and peak memory;
 * writes `nlu.json` and a table in `nlu.md`.
 *
 * Usage: node bench/nlu.mjs [--smoke] [--runs n] [--datasets snips,askubuntu,...]
 *        [--systems parley,node-nlp,tfidf-lr] [--per-intent n] [--out dir]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './lib/args.mjs';
import { entityScores, intentScores } from './lib/classification-metrics.mjs';
import { NLU_DATASETS } from './lib/nlu-datasets.mjs';
import { writeResult } from './lib/results.mjs';

const args = benchArgs({ datasets: { type: 'string' }, systems: { type: 'string' }, 'per-intent': { type: 'string' } });
const SYSTEMS = ['parley', 'node-nlp', 'tfidf-lr'];
const systems = args.systems ? args.systems.split(',') : SYSTEMS;
const datasetNames = args.datasets ? args.datasets.split(',') : args.smoke ? ['snips', 'webapplications'] : NLU_DATASETS.map((set) => set.name);
const datasets = NLU_DATASETS.filter((set) => datasetNames.includes(set.name));
const runs = args.runs ?? (args.smoke ? 1 : 5);
const RUNNER = fileURLToPath(new URL('./lib/nlu-system.mjs', import.meta.url));

for (const name of [...systems.filter((system) => !SYSTEMS.includes(system)), ...datasetNames.filter((set) => !NLU_DATASETS.some((known) => known.name === set))]) {
  console.error(`nlu: unknown system or data set '${name}' (systems: ${SYSTEMS.join(', ')}; data sets: ${NLU_DATASETS.map((set) => set.name).join(', ')})`);
  process.exit(2);
}

/** The smoke setting trims SNIPS to 3 examples per intent and every 70th test utterance. */
function trim(dataset) {
  if (!args.smoke) return { perIntent: args['per-intent'] ? Number(args['per-intent']) : undefined, testEvery: 1 };
  return dataset.name === 'snips' ? { perIntent: 3, testEvery: 70 } : { perIntent: undefined, testEvery: 1 };
}

function runSystem(system, dataset, work) {
  const out = join(work, `${system}-${dataset.name}.json`);
  const job = { system, dataset, ...trim(dataset), runs, out };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', RUNNER, JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`nlu: ${system} on ${dataset.name} failed (exit ${code}):\n${errors}`));
      else resolve(JSON.parse(readFileSync(out, 'utf8')));
    });
  });
}

function summarise(run) {
  const intents = intentScores(run.predictions);
  const withEntities = run.predictions.filter((prediction) => prediction.found);
  const entities = withEntities.length && withEntities.some((prediction) => prediction.gold.length) ? entityScores(withEntities) : null;
  const { predictions: _predictions, ...measured } = run;
  return {
    ...measured,
    intentAccuracy: intents.accuracy,
    intentCorrect: intents.correct,
    intentMacroF1: intents.macroF1,
    intentWeightedF1: intents.weightedF1,
    entityPrecision: entities?.precision ?? null,
    entityRecall: entities?.recall ?? null,
    entityF1: entities?.f1 ?? null,
  };
}

const work = mkdtempSync(join(tmpdir(), 'parley-bench-nlu-'));
process.once('exit', () => rmSync(work, { recursive: true, force: true }));
const results = {};
const pooled = {};
for (const [index, dataset] of datasets.entries()) {
  results[dataset.name] = {};
  // Alternate the order so no system always runs first on a cold machine.
  const order = index % 2 ? [...systems].reverse() : systems;
  for (const system of order) {
    const run = await runSystem(system, dataset, work);
    results[dataset.name][system] = summarise(run);
    if (dataset.group) {
      pooled[dataset.group] ??= {};
      (pooled[dataset.group][system] ??= []).push(...run.predictions);
    }
    const summary = results[dataset.name][system];
    console.log(
      `nlu: ${dataset.name} ${system}: accuracy ${summary.intentAccuracy.toFixed(3)}, macro F1 ${summary.intentMacroF1.toFixed(3)}` +
        `${summary.entityF1 === null ? '' : `, entity F1 ${summary.entityF1.toFixed(3)}`}, train ${summary.trainSeconds.toFixed(1)} s, ` +
        `parse p50 ${summary.parseP50Ms.median.toFixed(3)} ms`,
    );
  }
}
// Braun "overall": micro F1 over all test sentences of the three corpora (= pooled accuracy), as published.
const overall = {};
for (const [group, bySystem] of Object.entries(pooled)) {
  overall[group] = {};
  for (const [system, predictions] of Object.entries(bySystem)) {
    const scores = intentScores(predictions);
    overall[group][system] = { intentAccuracy: scores.accuracy, intentCorrect: scores.correct, testExamples: scores.total };
  }
}

const document = writeResult(args.out, 'nlu', {
  setup: {
    data: 'SNIPS (Goo et al. 2018 split) and Braun et al. 2017 AskUbuntu, Chatbot, WebApplications (official splits), /work/shared/fixtures/nlu',
    smoke: args.smoke,
    systems: {
      parley: "Rasa's default pipeline (config.yml without pipeline:), trainNlu in process; intent = top of intent_ranking other than nlu_fallback",
      'node-nlp': 'node-nlp 4 NlpManager (language en, built-in NER off); intent only',
      'tfidf-lr': 'ours: TF-IDF word 1-2-grams + char_wb 2-5-grams (scikit-learn defaults), multinomial logistic regression C=1',
    },
    memory: 'each system and data set in its own process: peak RSS (getrusage maxRSS), its rise over the RSS before training, heap retained after training (after gc)',
    latency: `per utterance over the test split, ${runs} pass(es) after a warm-up pass; figures are min/median/max over passes`,
    runs,
  },
  datasets: results,
  overall,
});
writeFileSync(join(args.out, 'nlu.md'), markdown(document));
console.log(`nlu: wrote ${join(args.out, 'nlu.md')}`);

function markdown(doc) {
  const fixed = (value, digits = 3) => (value === null || value === undefined ? '–' : Number(value).toFixed(digits));
  const lines = [
    '# NLU benchmark',
    '',
    `${doc.machine.cpuModel}, ${doc.machine.cores} cores, Node ${doc.machine.node}, ${doc.machine.date}${doc.setup.smoke ? ' (smoke setting: tiny subsets, figures meaningless)' : ''}.`,
    '',
    '| data set | system | intent acc. | macro F1 | weighted F1 | entity F1 | train s (CPU s) | parse p50 ms | parse p99 ms | model KiB (gzip) | peak RSS MiB (Δ) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [dataset, bySystem] of Object.entries(doc.datasets)) {
    for (const [system, run] of Object.entries(bySystem)) {
      lines.push(
        `| ${dataset} (${run.trainExamples}→${run.testExamples}) | ${system} | ${fixed(run.intentAccuracy)} | ${fixed(run.intentMacroF1)} | ${fixed(run.intentWeightedF1)} | ${fixed(run.entityF1)} | ` +
          `${fixed(run.trainSeconds, 2)} (${fixed(run.trainCpuSeconds, 2)}) | ${fixed(run.parseP50Ms.median)} | ${fixed(run.parseP99Ms.median)} | ${fixed(run.modelBytes / 1024, 0)} (${fixed(run.modelGzipBytes / 1024, 0)}) | ` +
          `${fixed(run.peakRssMiB, 0)} (${fixed(run.peakRssDeltaMiB, 0)}) |`,
      );
    }
  }
  for (const [group, bySystem] of Object.entries(doc.overall)) {
    lines.push('', `Overall ${group} intent F1 (micro over all test sentences = pooled accuracy): ` +
      Object.entries(bySystem).map(([system, run]) => `${system} ${fixed(run.intentAccuracy)} (${run.intentCorrect}/${run.testExamples})`).join(', ') + '.');
  }
  const stages = Object.entries(doc.datasets).flatMap(([dataset, bySystem]) =>
    bySystem.parley?.stageSeconds
      ? [`${dataset}: ${Object.entries(bySystem.parley.stageSeconds).filter(([, seconds]) => seconds >= 0.005).map(([stage, seconds]) => `${stage} ${fixed(seconds, 2)} s (CPU ${fixed(bySystem.parley.stageCpuSeconds?.[stage], 2)} s)`).join(', ')}`]
      : [],
  );
  if (stages.length) lines.push('', 'Parley training time by pipeline stage (wall, CPU):', '', ...stages.map((line) => `- ${line}`));
  return `${lines.join('\n')}\n`;
}
