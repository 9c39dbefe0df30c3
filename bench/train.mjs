/**
 * `parley train` time (whole process, `--force`) for moodbot and for SNIPS (Rasa's default
 * pipeline), next to a whole-process node-nlp training on the same NLU examples (node-nlp trains an
 * intent classifier only; Parley also trains entities and, for moodbot, the dialogue policies).
 * SNIPS is also trained on a 100-examples-per-intent subset, and the full set is bounded by
 * `--snips-timeout` seconds: when it runs out, the bound is reported as a lower limit.
 *
 * Usage: node bench/train.mjs [--smoke] [--runs n] [--snips-timeout s] [--out dir]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { benchArgs } from './lib/args.mjs';
import { copyMoodbot, snipsProject, tempDir } from './lib/projects.mjs';
import { PARLEY_BIN, runToCompletion } from './lib/processes.mjs';
import { writeResult } from './lib/results.mjs';
import { pairedRatio, spread } from './lib/stats.mjs';

const NODE_NLP_TRAIN = fileURLToPath(new URL('./peers/nodenlp-train.mjs', import.meta.url));
const args = benchArgs({ 'snips-timeout': { type: 'string', default: '180' } });
const runs = args.runs ?? (args.smoke ? 1 : 3);
const snipsTimeoutMs = Number(args['snips-timeout']) * 1000;

/** Plain `{ text, intent }` examples of a Rasa NLU file (entity markup removed). */
function nluExamples(path) {
  const document = parse(readFileSync(path, 'utf8'));
  return (document.nlu ?? [])
    .filter((block) => block.intent && typeof block.examples === 'string')
    .flatMap((block) =>
      block.examples
        .split('\n')
        .map((line) => line.replace(/^\s*-\s*/, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/\[([^\]]+)\]\{[^}]*\}/g, '$1').trim())
        .filter((text) => text.length > 0)
        .map((text) => ({ text, intent: block.intent })),
    );
}

async function parleyTrain(root, timeoutMs) {
  const result = await runToCompletion(process.execPath, [PARLEY_BIN, 'train', '--project', root, '--force'], { timeoutMs });
  if (result.signal) return { seconds: result.seconds, finished: false };
  if (result.code !== 0) throw new Error(`parley train failed:\n${result.output}`);
  return { seconds: result.seconds, finished: true };
}

async function nodeNlpTrain(examplesPath) {
  const result = await runToCompletion(process.execPath, [NODE_NLP_TRAIN, examplesPath]);
  if (result.code !== 0) throw new Error(`node-nlp training failed:\n${result.output}`);
  return result.seconds;
}

/** Alternate Parley and node-nlp training `count` times. */
async function compare(label, root, count, timeoutMs) {
  const examplesPath = join(tempDir('parley-bench-'), 'examples.json');
  const examples = nluExamples(join(root, 'data', 'nlu.yml'));
  writeFileSync(examplesPath, JSON.stringify(examples));
  const parley = [];
  const peer = [];
  let finished = true;
  for (let run = 0; run < count; run += 1) {
    const parleyFirst = run % 2 === 0;
    if (!parleyFirst) peer.push(await nodeNlpTrain(examplesPath));
    const timed = await parleyTrain(root, timeoutMs);
    finished &&= timed.finished;
    parley.push(timed.seconds);
    if (parleyFirst) peer.push(await nodeNlpTrain(examplesPath));
    if (!timed.finished) break;
  }
  console.log(`train: ${label}: parley ${spread(parley).median.toFixed(1)} s${finished ? '' : ' (stopped at the bound)'}, node-nlp ${spread(peer).median.toFixed(1)} s`);
  return {
    project: label,
    nluExamples: examples.length,
    finished,
    parleySeconds: spread(parley),
    nodeNlpSeconds: spread(peer),
    ratio: pairedRatio(parley.slice(0, peer.length), peer.slice(0, parley.length)),
  };
}

const results = [];
if (!args.smoke) results.push(await compare('moodbot', copyMoodbot(), runs, 600_000));
const subset = snipsProject({ limitPerIntent: args.smoke ? 3 : 100 });
results.push(await compare(`snips-${args.smoke ? 3 : 100}-per-intent`, subset.root, runs, snipsTimeoutMs));
if (!args.smoke) results.push(await compare('snips-full', snipsProject().root, 1, snipsTimeoutMs));
writeResult(args.out, 'train', {
  setup: {
    target: '`parley train --force` (whole process; moodbot: NLU + policies; SNIPS: NLU only, default pipeline)',
    baseline: 'node-nlp 4 NlpManager.train on the same examples (whole process; intents only)',
    snipsTimeoutSeconds: snipsTimeoutMs / 1000,
    runs,
  },
  projects: results,
});
