/**
 * Scores NLU predictions and writes Rasa's result files (`intent_report.json`,
 * `intent_errors.json`, `<Extractor>_report.json`, `response_selection_report.json`, …) plus
 * Parley's `nlu_report.html`. Shared by `parley test nlu` and its cross-validation.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  evaluateEntities,
  evaluateIntents,
  evaluateResponses,
  hasEntityLabels,
  type EntityEvaluation,
  type IntentEvaluation,
  type NluPredictions,
  type PipelineRoles,
  type ResponseEvaluation,
} from './nlu-evaluation.js';
import { renderNluHtmlReport, type NluHtmlReportInput } from './nlu-html-report.js';

/** File names inside `--out`, as Rasa names them (plus the HTML report). */
export const NLU_RESULT_FILES = {
  intentReport: 'intent_report.json',
  intentErrors: 'intent_errors.json',
  intentSuccesses: 'intent_successes.json',
  responseReport: 'response_selection_report.json',
  responseErrors: 'response_selection_errors.json',
  responseSuccesses: 'response_selection_successes.json',
  entityReport: (extractor: string) => `${extractor}_report.json`,
  entityErrors: (extractor: string) => `${extractor}_errors.json`,
  entitySuccesses: (extractor: string) => `${extractor}_successes.json`,
  html: 'nlu_report.html',
} as const;

export interface NluEvaluations {
  intents: IntentEvaluation | null;
  entities: Record<string, EntityEvaluation>;
  responses: ResponseEvaluation | null;
}

export interface WriteOptions {
  /** Folder for the files; null scores without writing (the HTTP API). */
  out: string | null;
  /** Also write the `*_successes.json` files. @default false */
  successes?: boolean;
  /** Write the `*_errors.json` files. @default true */
  errors?: boolean;
  /** Write `nlu_report.html` (Rasa's plots). @default true */
  plot?: boolean;
  /** Headings of the HTML report. */
  html?: Pick<NluHtmlReportInput, 'title' | 'subtitle' | 'folds'>;
}

/**
 * Scores every part the pipeline and the data allow. Entities are scored whenever the pipeline
 * has an extractor (an empty report when nothing is annotated or found, as Rasa writes), unless
 * `requireEntityLabels` (cross-validation, where Rasa skips them then).
 */
export function evaluatePredictions(
  predictions: NluPredictions,
  roles: PipelineRoles,
  confusedLabels: boolean,
  requireEntityLabels = false,
): NluEvaluations {
  return {
    intents: predictions.intents.length > 0 ? evaluateIntents(predictions.intents, { confusedLabels }) : null,
    entities:
      roles.extractors.length > 0 && predictions.entities.length > 0 && (!requireEntityLabels || hasEntityLabels(predictions.entities))
        ? evaluateEntities(predictions.entities, roles.extractors, { confusedLabels })
        : {},
    responses: predictions.responses.length > 0 ? evaluateResponses(predictions.responses, { confusedLabels }) : null,
  };
}

/** Writes the files of `evaluations` into `options.out`; returns their absolute paths. */
export async function writeNluResultFiles(evaluations: NluEvaluations, options: WriteOptions & { out: string }): Promise<string[]> {
  await mkdir(options.out, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, value: unknown): Promise<void> => {
    const path = join(options.out, name);
    await writeFile(path, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`, 'utf8');
    files.push(path);
  };
  const errors = options.errors ?? true;
  // As Rasa: an errors or successes file only when there is something to list.
  const writeList = async (wanted: boolean, name: string, list: readonly unknown[]): Promise<void> => {
    if (wanted && list.length > 0) await write(name, list);
  };
  const { intents, entities, responses } = evaluations;
  if (intents) {
    await write(NLU_RESULT_FILES.intentReport, intents.report);
    await writeList(Boolean(options.successes), NLU_RESULT_FILES.intentSuccesses, intents.successes);
    await writeList(errors, NLU_RESULT_FILES.intentErrors, intents.errors);
  }
  if (responses) {
    await write(NLU_RESULT_FILES.responseReport, responses.report);
    await writeList(Boolean(options.successes), NLU_RESULT_FILES.responseSuccesses, responses.successes);
    await writeList(errors, NLU_RESULT_FILES.responseErrors, responses.errors);
  }
  for (const [extractor, evaluation] of Object.entries(entities)) {
    await write(NLU_RESULT_FILES.entityReport(extractor), evaluation.report);
    await writeList(Boolean(options.successes), NLU_RESULT_FILES.entitySuccesses(extractor), evaluation.successes);
    await writeList(errors, NLU_RESULT_FILES.entityErrors(extractor), evaluation.errors);
  }
  if (options.plot ?? true) {
    await write(
      NLU_RESULT_FILES.html,
      renderNluHtmlReport({ title: 'Parley NLU evaluation', subtitle: '', ...options.html, intents, entities, responses }),
    );
  }
  return files;
}

/** Rasa's result dictionaries (what `POST /model/test/intents` answers), without Parley's chart data. */
export function rasaNluResult(evaluations: NluEvaluations): Record<string, unknown> {
  const { intents, entities, responses } = evaluations;
  return {
    intent_evaluation: intents
      ? { predictions: intents.predictions, report: intents.report, precision: intents.precision, f1_score: intents.f1_score, accuracy: intents.accuracy, errors: intents.errors }
      : null,
    entity_evaluation:
      Object.keys(entities).length > 0
        ? Object.fromEntries(
            Object.entries(entities).map(([extractor, evaluation]) => [
              extractor,
              { report: evaluation.report, precision: evaluation.precision, f1_score: evaluation.f1_score, accuracy: evaluation.accuracy, errors: evaluation.errors },
            ]),
          )
        : null,
    response_selection_evaluation: responses
      ? {
          predictions: responses.predictions,
          report: responses.report,
          precision: responses.precision,
          f1_score: responses.f1_score,
          accuracy: responses.accuracy,
          errors: responses.errors,
        }
      : null,
  };
}
