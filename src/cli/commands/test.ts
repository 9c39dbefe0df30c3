/**
 * `parley test` and `parley test core`: play the test stories through a trained model and write
 * Rasa's result files (`story_report.json`, `failed_test_stories.yml`, an HTML report).
 */
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { ParleyError } from '../../errors.js';
import type { CliOutput } from '../output.js';

interface TestFlags {
  project: string;
  model?: string;
  stories: string;
  out: string;
  endpoints?: string;
  failOnPredictionErrors?: boolean;
  successes?: boolean;
}

/**
 * One part of `parley test`. `parley test` runs every suite in {@link TEST_SUITES} in order; the
 * NLU evaluation (`parley test nlu`) joins by adding its suite there.
 */
export interface TestSuite {
  name: string;
  /** Runs the suite; resolves false when predictions were wrong and the flags ask to fail. */
  run(flags: TestFlags, output: CliOutput): Promise<boolean>;
}

const coreSuite: TestSuite = { name: 'core', run: runCoreSuite };

/** The suites `parley test` runs, in order. */
export const TEST_SUITES: readonly TestSuite[] = [coreSuite];

export function registerTest(program: Command, output: CliOutput): void {
  const test = withTestOptions(program.command('test'))
    .description('Test a trained model on test stories (core; NLU once `test nlu` exists).')
    // Flags after `core` belong to `test core`, not to `test`, which has the same flags.
    .enablePositionalOptions()
    .action(async (flags: TestFlags) => {
      let ok = true;
      for (const suite of TEST_SUITES) ok = (await suite.run(flags, output)) && ok;
      if (!ok) process.exitCode = 1;
    });
  withTestOptions(test.command('core'))
    .description('Play the test stories through the model and compare every intent and action.')
    .action(async (flags: TestFlags) => {
      if (!(await coreSuite.run(flags, output))) process.exitCode = 1;
    });
}

function withTestOptions(command: Command): Command {
  return command
    .option('--project <dir>', 'project folder (Parley extension; default: the current directory)', '.')
    .option('-m, --model <path>', 'model archive or folder of archives (default: models/)')
    .option('-s, --stories <path>', 'test stories: a file or a folder of test_*.yml files', 'tests')
    .option('--out <dir>', 'folder for the result files', 'results')
    .option('--endpoints <path>', 'endpoints configuration file (read for compatibility; actions are not run during tests, as in Rasa)')
    .option('--fail-on-prediction-errors', 'exit with an error when any test story fails')
    .option('--successes', 'also write the stories that passed (successful_test_stories.yml)');
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
