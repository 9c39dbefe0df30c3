/**
 * `parley test core`: loads a trained model, replays the test stories against its NLU and
 * policies, and writes Rasa's result files into the output folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { ParleyError } from '../errors.js';
import { loadPolicies } from '../core/policies/index.js';
import { loadModel } from '../model/model.js';
import { loadNlu } from '../nlu/index.js';
import { evaluationMetrics, type ClassificationReport } from './classification-report.js';
import { renderHtmlReport } from './html-report.js';
import { evaluateStories, type StoryEvaluation } from './story-evaluation.js';
import { storiesToYaml } from './story-writer.js';
import { readTestStories } from './test-stories.js';

/** File names inside `--out`, as Rasa names them. */
export const CORE_RESULT_FILES = {
  report: 'story_report.json',
  html: 'story_report.html',
  failed: 'failed_test_stories.yml',
  successful: 'successful_test_stories.yml',
  warnings: 'stories_with_warnings.yml',
} as const;

/** Policies whose predictions come straight from the training data (Rasa's "in-data fraction"). */
const MEMORIZING_POLICIES = ['RulePolicy', 'MemoizationPolicy', 'AugmentedMemoizationPolicy'];

export interface CoreTestOptions {
  /** A model archive (`.tar.gz`). */
  modelPath: string;
  /** Test stories: a file, or a folder of `test_*.yml`. */
  stories: string;
  /** Folder for the result files; created when missing. */
  out: string;
  /** Paths in messages and story names are shown relative to this folder. */
  root: string;
  /** Also write `successful_test_stories.yml` (Rasa's `--successes`). @default false */
  successes?: boolean;
  logger?: Logger;
}

export interface CoreTestResult {
  evaluation: StoryEvaluation;
  /** What `story_report.json` holds. */
  report: ClassificationReport;
  precision: number;
  f1: number;
  /** Accuracy over actions, intents and entities together, as Rasa computes it. */
  accuracy: number;
  /** Accuracy over the action predictions alone. */
  actionAccuracy: number;
  /** Share of actions predicted by rule or memoization policies. */
  inTrainingDataFraction: number;
  storiesTotal: number;
  storiesFailed: number;
  /** The files written, absolute paths. */
  files: string[];
}

/** Runs the evaluation and writes the result files. */
export async function runCoreTest(options: CoreTestOptions): Promise<CoreTestResult> {
  const logger = (options.logger ?? silentLogger()).child({ module: 'evaluation' });
  const model = await loadModel(options.modelPath);
  if (!model.metadata.parts.core) {
    throw new ParleyError(
      'PARLEY_ERR_MODEL_INVALID',
      `The model '${options.modelPath}' has no dialogue part (it was trained with \`train nlu\`), so its stories cannot be tested. Train a full model with \`parley train\`.`,
    );
  }
  const interpreter = loadNlu(model.nlu as Parameters<typeof loadNlu>[0], model.domain, { logger });
  const policies = loadPolicies(model.core as Parameters<typeof loadPolicies>[0], model.domain);
  const stories = await readTestStories(options.stories, model.domain, options.root);
  logger.info({ event: 'evaluation.core.start', stories: stories.length }, `Evaluating ${stories.length} test stories`);
  const evaluation = evaluateStories({ domain: model.domain, interpreter, policies, stories });

  const targets = [...evaluation.actionTargets, ...evaluation.intentTargets, ...evaluation.entityTargets];
  const predictions = [...evaluation.actionPredictions, ...evaluation.intentPredictions, ...evaluation.entityPredictions];
  const metrics = evaluationMetrics(targets, predictions);
  const storiesTotal = evaluation.stories.length;
  const failedStories = evaluation.stories.filter((story) => story.failed);
  const report: ClassificationReport & Record<string, unknown> = { ...metrics.report };
  if (storiesTotal > 0) {
    (report as Record<string, unknown>).conversation_accuracy = {
      accuracy: (storiesTotal - failedStories.length) / storiesTotal,
      correct: storiesTotal - failedStories.length,
      with_warnings: 0,
      total: storiesTotal,
    };
  }
  const actionAccuracy = evaluationMetrics(evaluation.actionTargets, evaluation.actionPredictions).accuracy;
  const memorized = evaluation.actions.filter((action) => action.policy !== null && isMemorizing(action.policy)).length;

  await mkdir(options.out, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, text: string): Promise<void> => {
    const path = join(options.out, name);
    await writeFile(path, text, 'utf8');
    files.push(path);
  };
  await write(CORE_RESULT_FILES.report, `${JSON.stringify(report, null, 2)}\n`);
  await write(CORE_RESULT_FILES.failed, storiesToYaml(failedStories, 'None of the test stories failed - all good!'));
  if (options.successes) {
    await write(CORE_RESULT_FILES.successful, storiesToYaml(evaluation.stories.filter((story) => !story.failed), 'None of the test stories succeeded :('));
  }
  // Warnings come from `action_unlikely_intent`, which Parley's policies never predict.
  await write(CORE_RESULT_FILES.warnings, '# No warnings for test stories\n');
  await write(
    CORE_RESULT_FILES.html,
    renderHtmlReport({
      title: 'Parley test story report',
      report: metrics.report,
      stories: {
        total: storiesTotal,
        failed: failedStories.map((story) => ({ name: story.name, where: story.source ? `${story.source.file}:${story.source.line}` : null })),
      },
      actionAccuracy,
      actionTargets: evaluation.actionTargets,
      actionPredictions: evaluation.actionPredictions,
    }),
  );
  return {
    evaluation,
    report,
    precision: metrics.precision,
    f1: metrics.f1,
    accuracy: metrics.accuracy,
    actionAccuracy,
    inTrainingDataFraction: evaluation.actions.length === 0 ? 0 : memorized / evaluation.actions.length,
    storiesTotal,
    storiesFailed: failedStories.length,
    files,
  };
}

function isMemorizing(policy: string): boolean {
  return MEMORIZING_POLICIES.some((name) => policy === name || policy.endsWith(`_${name}`));
}
