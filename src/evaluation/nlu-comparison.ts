/**
 * `parley test nlu --config a.yml b.yml`: Rasa's comparison mode. Each run holds out a test split;
 * each config is trained on the rest minus 0%, 25%, 50%, 75%… of it and scored on the held-out
 * split, so intent F1 can be compared across configs and amounts of training data.
 * Writes Rasa's layout (`run_1/test.yml`, `run_1/25%_exclusion/<config>_report/…`, `results.json`)
 * plus `nlu_model_comparison.html`, a chart of the mean F1 (Rasa draws a PDF).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { seededRandom, shuffleInPlace } from '../ml/random.js';
import { newModelMetadata, saveModel } from '../model/model.js';
import { loadNlu, trainNlu } from '../nlu/index.js';
import type { Domain } from '../shared/domain.js';
import type { TrainingEntity } from '../shared/nlu.js';
import type { ModelConfig } from '../shared/project.js';
import type { NluData, NluExample } from '../shared/training-data.js';
import type { ProgressEvent } from '../train/progress.js';
import { escapeHtml } from './html-report.js';
import { meanAndStd } from './nlu-cross-validation.js';
import { pipelineRoles, predictNlu } from './nlu-evaluation.js';
import { evaluatePredictions, writeNluResultFiles } from './nlu-report-files.js';

/** Rasa leaves out intents with fewer examples than this before comparing. */
const MIN_EXAMPLES_PER_INTENT = 5;
/** Share of each run's data held out for testing (Rasa's default split). */
const TEST_FRACTION = 0.2;

export interface ComparisonOptions {
  /** Config files (their names, without extension, name the models) and their contents. */
  configs: Array<{ path: string; config: ModelConfig }>;
  nlu: NluData;
  domain: Domain;
  out: string;
  /** @default 3 */
  runs?: number;
  /** Percentages of the training split left out. @default [0, 25, 50, 75] */
  percentages?: number[];
  seed?: number;
  logger?: Logger;
  onProgress?: (event: ProgressEvent) => void;
}

export interface ComparisonResult {
  /** Model name → one list per run of intent F1 scores, one per percentage (`results.json`). */
  f1: Record<string, number[][]>;
  /** Training examples used at each percentage (in the first run). */
  trainingExamples: number[];
  percentages: number[];
  files: string[];
}

export async function compareNluConfigs(options: ComparisonOptions): Promise<ComparisonResult> {
  const logger = (options.logger ?? silentLogger()).child({ module: 'evaluation' });
  const runs = options.runs ?? 3;
  const percentages = options.percentages ?? [0, 25, 50, 75];
  const names = options.configs.map((entry) => basename(entry.path, extname(entry.path)));
  const examples = dropRareIntents(options.nlu.examples.filter((example) => example.text.trim() !== ''));
  const f1: Record<string, number[][]> = Object.fromEntries(names.map((name) => [name, Array.from({ length: runs }, () => [] as number[])]));
  const trainingExamples: number[] = [];
  const files: string[] = [];
  const steps = runs * percentages.length * options.configs.length;
  let step = 0;
  for (let run = 0; run < runs; run += 1) {
    const random = seededRandom((options.seed ?? 42) + run);
    const runPath = join(options.out, `run_${run + 1}`);
    const { kept: train, taken: test } = stratifiedSplit(examples, TEST_FRACTION, random);
    await mkdir(runPath, { recursive: true });
    const testPath = join(runPath, 'test.yml');
    await writeFile(testPath, nluYaml(test), 'utf8');
    for (const percentage of percentages) {
      const included = stratifiedSplit(train, percentage / 100, random).kept;
      if (run === 0) trainingExamples.push(included.length);
      const percentPath = join(runPath, `${percentage}%_exclusion`);
      await mkdir(join(percentPath, 'train'), { recursive: true });
      await writeFile(join(percentPath, 'train', 'train.yml'), nluYaml(included), 'utf8');
      for (const [index, { config }] of options.configs.entries()) {
        const name = names[index];
        options.onProgress?.({
          stage: 'comparison:train',
          fraction: step / steps,
          message: `Run ${run + 1} of ${runs}: training '${name}' with ${percentage}% of the training data left out`,
        });
        step += 1;
        try {
          const model = await trainNlu({ nlu: { ...options.nlu, examples: included }, domain: options.domain, config }, { logger });
          const metadata = newModelMetadata({ assistantId: config.assistantId, fingerprint: 'comparison', language: config.language, parts: { nlu: true, core: false } });
          await saveModel(join(percentPath, `${name}.tar.gz`), { metadata, domain: options.domain, nlu: model, core: null });
          const roles = pipelineRoles(model);
          const evaluations = evaluatePredictions(predictNlu(loadNlu(model, options.domain, { logger }), test, roles), roles, true);
          files.push(...(await writeNluResultFiles(evaluations, { out: join(percentPath, `${name}_report`), errors: true, plot: false })));
          f1[name][run].push(evaluations.intents?.f1_score ?? 0);
        } catch (error) {
          // As Rasa: one config failing does not stop the comparison of the others.
          logger.warn({ err: error, config: name }, `Training model '${name}' failed. Error: ${(error as Error).message}`);
          f1[name][run].push(0);
        }
      }
    }
  }
  const resultsPath = join(options.out, 'results.json');
  await writeFile(resultsPath, `${JSON.stringify(f1, null, 2)}\n`, 'utf8');
  const chartPath = join(options.out, 'nlu_model_comparison.html');
  await writeFile(chartPath, comparisonHtml(f1, trainingExamples, percentages), 'utf8');
  files.push(resultsPath, chartPath);
  options.onProgress?.({ stage: 'comparison:done', fraction: 1, message: 'Comparison finished' });
  return { f1, trainingExamples, percentages, files };
}

function dropRareIntents(examples: readonly NluExample[]): NluExample[] {
  const counts = new Map<string, number>();
  for (const example of examples) counts.set(example.intent, (counts.get(example.intent) ?? 0) + 1);
  return examples.filter((example) => (counts.get(example.intent) ?? 0) >= MIN_EXAMPLES_PER_INTENT);
}

/** Takes `fraction` of every intent's examples (shuffled); the rest is kept. */
function stratifiedSplit(examples: readonly NluExample[], fraction: number, random: () => number): { kept: NluExample[]; taken: NluExample[] } {
  const byIntent = new Map<string, number[]>();
  examples.forEach((example, index) => {
    const members = byIntent.get(example.intent) ?? [];
    members.push(index);
    byIntent.set(example.intent, members);
  });
  const taken = new Set<number>();
  for (const intent of [...byIntent.keys()].sort()) {
    const members = byIntent.get(intent)!;
    shuffleInPlace(members, random);
    members.slice(0, Math.round(members.length * fraction)).forEach((index) => taken.add(index));
  }
  return { kept: examples.filter((_, index) => !taken.has(index)), taken: examples.filter((_, index) => taken.has(index)) };
}

/** NLU examples as a Rasa 3.x YAML training-data file, entities annotated inline. */
export function nluYaml(examples: readonly NluExample[]): string {
  const byIntent = new Map<string, string[]>();
  for (const example of examples) {
    const texts = byIntent.get(example.intent) ?? [];
    texts.push(annotate(example.text, example.entities).replace(/\s*\n\s*/g, ' '));
    byIntent.set(example.intent, texts);
  }
  const nlu = [...byIntent].map(([intent, texts]) => ({ intent, examples: texts.map((text) => `- ${text}\n`).join('') }));
  return stringify({ version: '3.1', nlu }, { lineWidth: 0, blockQuote: 'literal' });
}

function annotate(text: string, entities: readonly TrainingEntity[]): string {
  let result = '';
  let position = 0;
  for (const entity of [...entities].sort((a, b) => a.start - b.start)) {
    if (entity.start < position || entity.end > text.length) continue;
    const surface = text.slice(entity.start, entity.end);
    const extra: Record<string, string> = {};
    if (entity.role) extra.role = entity.role;
    if (entity.group) extra.group = entity.group;
    if (entity.value !== surface) extra.value = entity.value;
    result += text.slice(position, entity.start);
    result += Object.keys(extra).length === 0 ? `[${surface}](${entity.entity})` : `[${surface}]${JSON.stringify({ entity: entity.entity, ...extra })}`;
    position = entity.end;
  }
  return result + text.slice(position);
}

/** A line per model: mean intent F1 over the runs against training examples, with ±1 std bars. */
function comparisonHtml(f1: Record<string, number[][]>, trainingExamples: readonly number[], percentages: readonly number[]): string {
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf'];
  const width = 640;
  const height = 360;
  const left = 56;
  const right = 44;
  const top = 20;
  const bottom = 48;
  const xs = trainingExamples.length > 0 ? trainingExamples : percentages.map(() => 0);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const x = (value: number): number => left + (maxX === minX ? 0.5 : (value - minX) / (maxX - minX)) * (width - left - right);
  const y = (value: number): number => top + (1 - value) * (height - top - bottom);
  const parts: string[] = [];
  for (let tick = 0; tick <= 10; tick += 2) {
    const value = tick / 10;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(value)}" y2="${y(value)}" stroke="#e3e3e8"/><text x="${left - 8}" y="${y(value) + 4}" text-anchor="end">${value.toFixed(1)}</text>`);
  }
  xs.forEach((value, index) => parts.push(`<text x="${x(value)}" y="${height - bottom + 18}" text-anchor="middle">${value} (${percentages[index]}%)</text>`));
  parts.push(`<text x="${(left + width - right) / 2}" y="${height - 6}" text-anchor="middle">training examples (left out)</text>`);
  const rows: string[] = [];
  Object.entries(f1).forEach(([name, runs], modelIndex) => {
    const colour = colours[modelIndex % colours.length];
    const stats = percentages.map((_, index) => meanAndStd(runs.map((scores) => scores[index]).filter((score) => score !== undefined)));
    const points = stats.map((stat, index) => `${x(xs[index]).toFixed(1)},${y(stat.mean).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    stats.forEach((stat, index) => {
      parts.push(`<line x1="${x(xs[index])}" x2="${x(xs[index])}" y1="${y(Math.min(1, stat.mean + stat.std))}" y2="${y(Math.max(0, stat.mean - stat.std))}" stroke="${colour}"/>`);
      parts.push(`<circle cx="${x(xs[index])}" cy="${y(stat.mean)}" r="3.5" fill="${colour}"><title>${escapeHtml(name)}: ${stat.mean.toFixed(3)} ± ${stat.std.toFixed(3)}</title></circle>`);
    });
    parts.push(`<rect x="${left + 10}" y="${top + 8 + 16 * modelIndex}" width="10" height="10" fill="${colour}"/><text x="${left + 26}" y="${top + 17 + 16 * modelIndex}">${escapeHtml(name)}</text>`);
    rows.push(`<tr><th scope="row">${escapeHtml(name)}</th>${stats.map((stat) => `<td>${stat.mean.toFixed(3)} ± ${stat.std.toFixed(3)}</td>`).join('')}</tr>`);
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NLU model comparison</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:900px;padding:0 1rem;color:#1d1d1f}svg text{font:11px ui-monospace,monospace}table{border-collapse:collapse}th,td{padding:.3rem .75rem;border-bottom:1px solid #e3e3e8;text-align:right}th[scope=row]{text-align:left;font-family:ui-monospace,monospace;font-weight:normal}</style>
</head><body>
<h1>NLU model comparison</h1>
<p>Intent F1 (weighted) on each run's held-out test split: mean over ${Object.values(f1)[0]?.length ?? 0} runs, bars ±1 standard deviation.</p>
<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Intent F1 by training examples" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
${parts.join('\n')}
</svg>
<table><thead><tr><th scope="col">config</th>${percentages.map((percentage, index) => `<th scope="col">${trainingExamples[index] ?? '?'} examples (${percentage}% left out)</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
</body></html>
`;
}
