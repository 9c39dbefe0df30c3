/**
 * `parley test`, `parley test core` and `parley test nlu`: play the test stories through a trained
 * model and score the NLU on test data, writing Rasa's result files (`story_report.json`,
 * `failed_test_stories.yml`, `intent_report.json`, `<Extractor>_report.json`, …) and HTML reports.
 */
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { isParleyError, ParleyError, type ErrorCode } from '../../errors.js';
import type { CliOutput } from '../output.js';

interface TestFlags {
  project: string;
  model?: string;
  stories: string;
  out: string;
  endpoints?: string;
  failOnPredictionErrors?: boolean;
  successes?: boolean;
  /** NLU flags (`parley test` and `parley test nlu`). */
  nlu?: string[];
  config?: string[];
  domain?: string;
  crossValidation?: boolean;
  folds?: string;
  runs?: string;
  percentages?: string[];
  /** `--no-errors` sets false. */
  errors?: boolean;
  /** `--no-plot` sets false. */
  plot?: boolean;
  /** Set when `parley test` runs every suite: a project without NLU data then skips the NLU suite. */
  allSuites?: boolean;
}

/**
 * One part of `parley test`. `parley test` runs every suite in {@link TEST_SUITES} in order.
 */
export interface TestSuite {
  name: string;
  /** Runs the suite; resolves false when predictions were wrong and the flags ask to fail. */
  run(flags: TestFlags, output: CliOutput): Promise<boolean>;
}

/** What makes `parley test` skip its NLU part instead of failing: no NLU data, or a model without NLU. */
const SKIPPABLE_NLU_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['PARLEY_ERR_TRAINING_DATA_INVALID', 'PARLEY_ERR_MODEL_INVALID']);

const coreSuite: TestSuite = { name: 'core', run: runCoreSuite };
const nluSuite: TestSuite = { name: 'nlu', run: runNluSuite };

/** The suites `parley test` runs, in order (core, then NLU, as Rasa). */
export const TEST_SUITES: readonly TestSuite[] = [coreSuite, nluSuite];

export function registerTest(program: Command, output: CliOutput): void {
  const test = withNluOptions(withCoreOptions(withCommonOptions(program.command('test'))))
    .description('Test a trained model: the test stories (core), then the NLU on NLU data.')
    // Flags after `core`/`nlu` belong to the subcommand, not to `test`, which has the same flags.
    .enablePositionalOptions()
    .action(async (flags: TestFlags) => {
      let ok = true;
      for (const suite of TEST_SUITES) ok = (await suite.run({ ...flags, allSuites: true }, output)) && ok;
      if (!ok) process.exitCode = 1;
    });
  withCoreOptions(withCommonOptions(test.command('core')))
    .description('Play the test stories through the model and compare every intent and action.')
    .action(async (flags: TestFlags) => {
      if (!(await coreSuite.run(flags, output))) process.exitCode = 1;
    });
  withNluOptions(withCommonOptions(test.command('nlu')))
    .description('Score the model\'s intents, entities and responses on NLU test data (or cross-validate a config).')
    .action(async (flags: TestFlags) => {
      if (!(await nluSuite.run(flags, output))) process.exitCode = 1;
    });
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--project <dir>', 'project folder (Parley extension; default: the current directory)', '.')
    .option('-m, --model <path>', 'model archive or folder of archives (default: models/)')
    .option('--out <dir>', 'folder for the result files', 'results')
    .option('--successes', 'also write the correct predictions (successful_test_stories.yml, *_successes.json)');
}

function withCoreOptions(command: Command): Command {
  return command
    .option('-s, --stories <path>', 'test stories: a file or a folder of test_*.yml files', 'tests')
    .option('--endpoints <path>', 'endpoints configuration file (read for compatibility; actions are not run during tests, as in Rasa)')
    .option('--fail-on-prediction-errors', 'exit with an error when any test story fails');
}

function withNluOptions(command: Command): Command {
  return command
    .option('-u, --nlu <paths...>', 'NLU test data: files or folders (default: data/)')
    .option('-c, --config <paths...>', 'model configuration for --cross-validation (default: config.yml); several files or a folder compare the configs')
    .option('-d, --domain <path>', 'domain for --cross-validation (default: domain.yml if present)')
    .option('--cross-validation', 'cross-validate the config on the NLU data instead of testing a trained model')
    .option('-f, --folds <number>', 'number of cross-validation folds', '5')
    .option('-r, --runs <number>', 'comparison runs (with several --config files or a folder of them)', '3')
    .option('-p, --percentages <numbers...>', 'percentages of the training data to leave out in comparison mode (default: 0 25 50 75)')
    .option('--no-errors', 'do not write the *_errors.json files')
    .option('--no-plot', 'do not write the HTML report with the charts (nlu_report.html)');
}

async function runCoreSuite(flags: TestFlags, output: CliOutput): Promise<boolean> {
  // Loaded when the suite runs, so that registering `parley test` costs nothing at start-up.
  const [{ runCoreTest }, { resolveModelPath }, { loadEndpoints }, { humanLogger }] = await Promise.all([
    import('../../evaluation/core-test.js'),
    import('../../model/model-files.js'),
    import('../../project/index.js'),
    import('../human-logger.js'),
  ]);
  const root = resolve(flags.project);
  const modelOption = flags.model ?? resolve(root, 'models');
  const modelPath = resolveModelPath(modelOption);
  if (!modelPath) {
    throw new ParleyError('PARLEY_ERR_MODEL_NOT_FOUND', `No model archive found in '${modelOption}'. Train one with \`parley train\` first.`);
  }
  // Read so that a broken endpoints file is reported as it would be by `parley run`.
  if (flags.endpoints) await loadEndpoints(resolve(flags.endpoints));
  const out = resolve(root, flags.out);
  const result = await runCoreTest({
    modelPath,
    stories: resolve(root, flags.stories),
    out,
    root,
    successes: flags.successes,
    logger: humanLogger(output),
  });
  const passed = result.storiesTotal - result.storiesFailed;
  const actions = result.evaluation.actionTargets.length;
  const correctActions = Math.round(result.actionAccuracy * actions);
  output.info(`Evaluated ${result.storiesTotal} test stories with the model ${relative(root, modelPath) || modelPath}.`);
  output.info('Evaluation results on CONVERSATION level:');
  output.info(`\tCorrect:          ${passed} / ${result.storiesTotal}`);
  output.info(`\tAccuracy:         ${(result.storiesTotal === 0 ? 0 : passed / result.storiesTotal).toFixed(3)}`);
  output.info('Evaluation results on ACTION level:');
  output.info(`\tCorrect:          ${correctActions} / ${actions}`);
  output.info(`\tF1-Score:         ${result.f1.toFixed(3)}`);
  output.info(`\tPrecision:        ${result.precision.toFixed(3)}`);
  output.info(`\tAccuracy:         ${result.actionAccuracy.toFixed(3)}`);
  output.info(`\tIn-data fraction: ${result.inTrainingDataFraction.toPrecision(3)}`);
  output.info(`Stories passed: ${passed} of ${result.storiesTotal}; action accuracy ${result.actionAccuracy.toFixed(3)}. Results in ${relative(process.cwd(), out) || '.'}/`);
  if (result.storiesFailed > 0 && flags.failOnPredictionErrors) {
    output.error(`${result.storiesFailed} of ${result.storiesTotal} test stories failed; the wrong predictions are marked in ${relative(process.cwd(), resolve(out, 'failed_test_stories.yml'))}.`);
    return false;
  }
  return true;
}

async function runNluSuite(flags: TestFlags, output: CliOutput): Promise<boolean> {
  const [{ runNluTest }, { resolveModelPath }, { humanLogger }, { printNluEvaluations }] = await Promise.all([
    import('../../evaluation/nlu-test.js'),
    import('../../model/model-files.js'),
    import('../human-logger.js'),
    import('./test-nlu-output.js'),
  ]);
  const root = resolve(flags.project);
  const out = resolve(root, flags.out);
  const nlu = (flags.nlu ?? ['data']).map((path) => resolve(root, path));
  const configs = await configFiles((flags.config ?? []).map((path) => resolve(root, path)));
  const files = { out, successes: flags.successes, errors: flags.errors ?? true, plot: flags.plot ?? true };
  if (configs.length > 1) {
    // Several configs (or a folder of them): Rasa's comparison mode.
    const runs = Number(flags.runs ?? '3');
    if (!Number.isInteger(runs) || runs < 1) throw new ParleyError('PARLEY_ERR_CLI_USAGE', `--runs must be a whole number of at least 1, not '${flags.runs}'.`);
    const percentages = (flags.percentages ?? ['0', '25', '50', '75']).map((value) => {
      const percentage = Number(value);
      if (!Number.isInteger(percentage) || percentage < 0 || percentage > 99) {
        throw new ParleyError('PARLEY_ERR_CLI_USAGE', `--percentages takes whole numbers from 0 to 99, not '${value}'.`);
      }
      return percentage;
    });
    const [{ compareNluConfigs }, { readNluInputs, readConfigFile }] = await Promise.all([
      import('../../evaluation/nlu-comparison.js'),
      import('../../train/train-nlu.js'),
    ]);
    const inputs = await readNluInputs({ root, config: configs[0], domain: flags.domain ? resolve(root, flags.domain) : undefined, nlu });
    const loaded = await Promise.all(configs.map(async (path) => ({ path, config: (await readConfigFile(root, path)).config })));
    const result = await compareNluConfigs({ ...inputs, configs: loaded, out, runs, percentages, logger: humanLogger(output), onProgress: (event) => output.progress(event) });
    output.info(`Compared ${configs.length} configs over ${runs} runs; intent F1 per run and left-out percentage in ${relative(process.cwd(), resolve(out, 'results.json'))}.`);
    for (const [name, scores] of Object.entries(result.f1)) {
      const means = result.percentages.map((_, index) => scores.reduce((sum, run) => sum + (run[index] ?? 0), 0) / scores.length);
      output.info(`\t${name}: ${means.map((mean, index) => `${result.percentages[index]}% left out ${mean.toFixed(3)}`).join(', ')}`);
    }
    return true;
  }
  if (flags.crossValidation) {
    const folds = Number(flags.folds ?? '5');
    if (!Number.isInteger(folds) || folds < 2) {
      throw new ParleyError('PARLEY_ERR_CLI_USAGE', `--folds must be a whole number of at least 2, not '${flags.folds}'.`);
    }
    const [{ crossValidateNlu }, { readNluInputs }, { printCrossValidation }] = await Promise.all([
      import('../../evaluation/nlu-cross-validation.js'),
      import('../../train/train-nlu.js'),
      import('./test-nlu-output.js'),
    ]);
    if (flags.model) output.warn('--model is ignored with --cross-validation: a model is trained for every fold.');
    const inputs = await readNluInputs({ root, config: configs[0], domain: flags.domain ? resolve(root, flags.domain) : undefined, nlu });
    const result = await crossValidateNlu({
      ...inputs,
      folds,
      ...files,
      logger: humanLogger(output),
      onProgress: (event) => output.progress(event),
    });
    printCrossValidation(result, output);
    output.info(`Results in ${relative(process.cwd(), out) || '.'}/`);
    return true;
  }
  const modelOption = flags.model ?? resolve(root, 'models');
  const modelPath = resolveModelPath(modelOption);
  if (!modelPath) {
    throw new ParleyError('PARLEY_ERR_MODEL_NOT_FOUND', `No model archive found in '${modelOption}'. Train one with \`parley train\` or \`parley train nlu\` first.`);
  }
  let result;
  try {
    result = await runNluTest({
      modelPath,
      nlu,
      root,
      ...files,
      logger: humanLogger(output),
      onProgress: (event) => output.progress(event),
    });
  } catch (error) {
    // `parley test` on a project without NLU (data or pipeline) tests its stories only.
    if (flags.allSuites && isParleyError(error) && SKIPPABLE_NLU_ERRORS.has(error.code)) {
      output.info(`Skipping the NLU evaluation: ${error.message}`);
      return true;
    }
    throw error;
  }
  output.info(`Evaluated ${result.examples} NLU examples with the model ${relative(root, modelPath) || modelPath}.`);
  printNluEvaluations(result.evaluations, output);
  output.info(`Results in ${relative(process.cwd(), out) || '.'}/`);
  return true;
}

/** The config files named by `--config`: files as given, folders replaced by their YAML files. */
async function configFiles(paths: readonly string[]): Promise<string[]> {
  const { isDirectory, listYamlFiles } = await import('../../project/discovery.js');
  const files: string[] = [];
  for (const path of paths) files.push(...((await isDirectory(path)) ? await listYamlFiles(path) : [path]));
  return files;
}
