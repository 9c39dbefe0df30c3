/**
 * `parley test nlu`: parses NLU test data with a trained model and writes Rasa's result files
 * (see nlu-report-files.ts) into the output folder.
 */
import { relative } from 'node:path';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { loadModel } from '../model/model.js';
import { loadNlu, type NluModelData } from '../nlu/index.js';
import type { ProgressEvent } from '../train/progress.js';
import { pipelineRoles, predictNluInBatches, type NluPredictions, type PipelineRoles } from './nlu-evaluation.js';
import { evaluatePredictions, writeNluResultFiles, type NluEvaluations } from './nlu-report-files.js';
import { readNluData } from './nlu-test-data.js';

export interface NluTestOptions {
  /** A model archive (`.tar.gz`). */
  modelPath: string;
  /** Test data: YAML files or folders (or Rasa NLU JSON files). */
  nlu: readonly string[];
  /** Folder for the result files (created when missing); null writes nothing. */
  out: string | null;
  /** Paths in messages are shown relative to this folder. */
  root: string;
  /** Also write the `*_successes.json` files (Rasa's `--successes`). @default false */
  successes?: boolean;
  /** Write the `*_errors.json` files (Rasa's default; `--no-errors` turns it off). @default true */
  errors?: boolean;
  /** Write `nlu_report.html` (`--no-plot` turns it off). @default true */
  plot?: boolean;
  logger?: Logger;
  onProgress?: (event: ProgressEvent) => void;
}

export interface NluTestResult {
  evaluations: NluEvaluations;
  predictions: NluPredictions;
  roles: PipelineRoles;
  /** Test examples parsed. */
  examples: number;
  /** The files written, absolute paths. */
  files: string[];
}

/** Loads the model, parses the test data, scores it and writes the files. */
export async function runNluTest(options: NluTestOptions): Promise<NluTestResult> {
  const logger = (options.logger ?? silentLogger()).child({ module: 'evaluation' });
  const model = await loadModel(options.modelPath);
  const nluModel = model.nlu as NluModelData;
  if (!model.metadata.parts.nlu || !Array.isArray(nluModel?.components) || nluModel.components.length === 0) {
    throw new ParleyError(
      'PARLEY_ERR_MODEL_INVALID',
      `The model '${shown(options.root, options.modelPath)}' has no NLU pipeline (it was trained without NLU examples), so there is nothing to test. ` +
        'Train a model with NLU data first (`parley train` or `parley train nlu`).',
    );
  }
  const data = await readNluData(options.nlu, options.root, 'NLU test data');
  const interpreter = loadNlu(nluModel, model.domain, { logger });
  const roles = pipelineRoles(nluModel);
  const examples = data.nlu.examples.filter((example) => example.text.trim() !== '');
  logger.info({ event: 'evaluation.nlu.start', examples: examples.length }, `Evaluating ${examples.length} NLU test examples`);
  const predictions = await predictNluInBatches(interpreter, examples, roles, (done, total) => {
    options.onProgress?.({ stage: 'nlu-test:parse', fraction: (0.9 * done) / total, message: `Parsing test example ${done} of ${total}` });
  });
  const evaluations = evaluatePredictions(predictions, roles, options.out !== null);
  let files: string[] = [];
  if (options.out !== null) {
    options.onProgress?.({ stage: 'nlu-test:write', fraction: 0.95, message: `Writing the result files to ${shown(options.root, options.out)}` });
    files = await writeNluResultFiles(evaluations, {
      out: options.out,
      successes: options.successes,
      errors: options.errors,
      plot: options.plot,
      html: {
        title: 'Parley NLU evaluation',
        subtitle: `${shown(options.root, options.modelPath)} on ${options.nlu.map((path) => shown(options.root, path)).join(', ')} (${examples.length} examples)`,
      },
    });
  }
  options.onProgress?.({ stage: 'nlu-test:done', fraction: 1, message: 'NLU evaluation finished' });
  return { evaluations, predictions, roles, examples: examples.length, files };
}

function shown(root: string, path: string): string {
  const relativePath = relative(root, path);
  return relativePath === '' || relativePath.startsWith('..') ? path : relativePath;
}
