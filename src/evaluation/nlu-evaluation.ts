/**
 * Rasa's NLU evaluation (`rasa test nlu`): parse every test example with a trained pipeline, then
 * score intents, entities (per extractor, on token labels) and retrieval responses the way
 * Rasa's report files do. Nothing here touches the disk; see nlu-test.ts for the files.
 */
import type { NluModelData } from '../nlu/index.js';
import type { NluInterpreter, ParseResult } from '../shared/nlu.js';
import type { NluExample } from '../shared/training-data.js';
import {
  addConfusedLabels,
  confusionMatrix,
  evaluationMetrics,
  type ClassificationReport,
  type ConfusionMatrix,
} from './classification-report.js';
import { alignEntityResult, NO_ENTITY, whitespaceTokens, type EntityResult } from './nlu-entity-alignment.js';

const FALLBACK_INTENT = 'nlu_fallback';
const INTENT_CLASSIFIERS = new Set([
  'DIETClassifier',
  'LogisticRegressionClassifier',
  'SklearnIntentClassifier',
  'KeywordIntentClassifier',
  'FallbackClassifier',
]);
const ENTITY_EXTRACTORS = new Set(['DIETClassifier', 'CRFEntityExtractor', 'RegexEntityExtractor', 'DucklingEntityExtractor']);

/** What a trained pipeline can be scored on. */
export interface PipelineRoles {
  classifiesIntents: boolean;
  /** Names of the entity extractors, in pipeline order, each once. */
  extractors: string[];
  /** The `response_selector` keys the selectors answer under (`default` or a retrieval intent). */
  responseSelectors: string[];
}

/** Reads the roles from the component list of a trained NLU model. */
export function pipelineRoles(model: NluModelData): PipelineRoles {
  const roles: PipelineRoles = { classifiesIntents: false, extractors: [], responseSelectors: [] };
  for (const { name, options } of model.components) {
    const diet = name === 'DIETClassifier';
    if (INTENT_CLASSIFIERS.has(name) && !(diet && options.intent_classification === false)) roles.classifiesIntents = true;
    if (ENTITY_EXTRACTORS.has(name) && !(diet && options.entity_recognition === false) && !roles.extractors.includes(name)) {
      roles.extractors.push(name);
    }
    if (name === 'ResponseSelector') {
      const key = typeof options.retrieval_intent === 'string' && options.retrieval_intent !== '' ? options.retrieval_intent : 'default';
      roles.responseSelectors.push(key);
    }
  }
  return roles;
}

/** One example's intent: the annotated one, the predicted one (`''` when none) and its confidence. */
export interface IntentResult {
  text: string;
  target: string;
  prediction: string;
  confidence: number | null;
}

/** One example of a retrieval intent: the full `intent/response_key` expected and predicted. */
export interface ResponseResult {
  text: string;
  target: string;
  prediction: string;
  confidence: number | null;
}

export interface NluPredictions {
  intents: IntentResult[];
  responses: ResponseResult[];
  entities: EntityResult[];
}

/**
 * Parses every example and pairs it with its annotation. As in Rasa, intents are scored only
 * when the test data has at least two intents, responses only with two response keys, and a
 * fallback prediction is undone so the intent the classifier actually chose is scored.
 */
export function predictNlu(
  interpreter: NluInterpreter,
  examples: readonly NluExample[],
  roles: PipelineRoles,
  onExample?: (done: number, total: number) => void,
): NluPredictions {
  const plan = predictionPlan(examples, roles);
  const predictions: NluPredictions = { intents: [], responses: [], entities: [] };
  plan.usable.forEach((example, index) => {
    addPrediction(predictions, plan, interpreter.parse(example.text), example);
    onExample?.(index + 1, plan.usable.length);
  });
  return predictions;
}

/**
 * {@link predictNlu} that lets other work run between batches of examples, for a server that
 * must keep answering while it evaluates.
 */
export async function predictNluInBatches(
  interpreter: NluInterpreter,
  examples: readonly NluExample[],
  roles: PipelineRoles,
  onExample?: (done: number, total: number) => void,
  batchSize = 100,
): Promise<NluPredictions> {
  const plan = predictionPlan(examples, roles);
  const predictions: NluPredictions = { intents: [], responses: [], entities: [] };
  for (const [index, example] of plan.usable.entries()) {
    if (index > 0 && index % batchSize === 0) await new Promise((resolve) => setImmediate(resolve));
    addPrediction(predictions, plan, interpreter.parse(example.text), example);
    onExample?.(index + 1, plan.usable.length);
  }
  return predictions;
}

interface PredictionPlan {
  usable: NluExample[];
  roles: PipelineRoles;
  scoreIntents: boolean;
  scoreResponses: boolean;
  scoreEntities: boolean;
}

function predictionPlan(examples: readonly NluExample[], roles: PipelineRoles): PredictionPlan {
  const usable = examples.filter((example) => example.text.trim() !== '');
  const baseIntents = new Set(usable.map((example) => baseIntent(example.intent)).filter((intent) => intent !== ''));
  const responseKeys = new Set(usable.filter((example) => example.intent.includes('/')).map((example) => example.intent));
  return {
    usable,
    roles,
    scoreIntents: roles.classifiesIntents && baseIntents.size >= 2,
    scoreResponses: roles.responseSelectors.length > 0 && responseKeys.size >= 2,
    scoreEntities: roles.extractors.length > 0,
  };
}

function addPrediction(predictions: NluPredictions, plan: PredictionPlan, raw: ParseResult, example: NluExample): void {
  const parsed = undoFallback(raw);
  const intent = baseIntent(example.intent);
  // Examples without an intent are left out of the intent scores, as in Rasa.
  if (plan.scoreIntents && intent !== '') {
    predictions.intents.push({
      text: parsed.text,
      target: intent,
      prediction: parsed.intent?.name ?? '',
      confidence: parsed.intent?.confidence ?? null,
    });
  }
  if (plan.scoreResponses && example.intent.includes('/')) {
    const key = plan.roles.responseSelectors.includes(intent) ? intent : 'default';
    const entry = (parsed.response_selector?.[key] ?? {}) as { response?: { intent_response_key?: unknown; confidence?: unknown } };
    const predicted = entry.response?.intent_response_key;
    predictions.responses.push({
      text: parsed.text,
      target: example.intent,
      prediction: typeof predicted === 'string' ? predicted : '',
      confidence: typeof entry.response?.confidence === 'number' ? entry.response.confidence : null,
    });
  }
  if (plan.scoreEntities) {
    predictions.entities.push({
      text: parsed.text,
      targets: example.entities,
      predictions: parsed.entities ?? [],
      tokens: parsed.text_tokens ?? whitespaceTokens(parsed.text),
    });
  }
}

/** Scores shared by the intent, entity and response evaluations (Rasa's result dictionaries). */
export interface LabelEvaluation {
  report: ClassificationReport;
  precision: number;
  f1_score: number;
  accuracy: number;
  /** For the HTML report's confusion matrix. */
  matrix: ConfusionMatrix;
  /** Confidences of right and wrong predictions, for the histogram. */
  confidences: { correct: number[]; wrong: number[] };
}

export interface IntentEvaluation extends LabelEvaluation {
  predictions: Array<{ text: string; intent: string; predicted: string; confidence: number | null }>;
  errors: IntentExample[];
  successes: IntentExample[];
}

export interface IntentExample {
  text: string;
  intent: string;
  intent_prediction: { name: string; confidence: number | null };
}

export interface ResponseEvaluation extends LabelEvaluation {
  predictions: Array<{ text: string; intent_response_key_target: string; intent_response_key_prediction: string; confidence: number | null }>;
  errors: ResponseExample[];
  successes: ResponseExample[];
}

export interface ResponseExample {
  text: string;
  intent_response_key_target: string;
  intent_response_key_prediction: { name: string; confidence: number | null };
}

export interface EntityEvaluation extends LabelEvaluation {
  errors: EntityExample[];
  successes: EntityExample[];
}

export interface EntityExample {
  text: string;
  entities: EntityResult['targets'];
  predicted_entities: EntityResult['predictions'];
}

export interface EvaluateOptions {
  /** Add Rasa's `confused_with` to every label (Rasa does when it writes report files). @default true */
  confusedLabels?: boolean;
}

/** Scores intent predictions; `report` is what `intent_report.json` holds. */
export function evaluateIntents(results: readonly IntentResult[], options: EvaluateOptions = {}): IntentEvaluation {
  const scored = scoreLabels(results.map((result) => result.target), results.map((result) => result.prediction), options);
  const example = (result: IntentResult): IntentExample => ({
    text: result.text,
    intent: result.target,
    intent_prediction: { name: result.prediction, confidence: result.confidence },
  });
  return {
    ...scored,
    confidences: splitConfidences(results),
    predictions: results.map((result) => ({ text: result.text, intent: result.target, predicted: result.prediction, confidence: result.confidence })),
    errors: results.filter((result) => result.target !== result.prediction).map(example),
    successes: results.filter((result) => result.target === result.prediction).map(example),
  };
}

/** Scores response-selector predictions (`response_selection_report.json`). */
export function evaluateResponses(results: readonly ResponseResult[], options: EvaluateOptions = {}): ResponseEvaluation {
  const scored = scoreLabels(results.map((result) => result.target), results.map((result) => result.prediction), options);
  const example = (result: ResponseResult): ResponseExample => ({
    text: result.text,
    intent_response_key_target: result.target,
    intent_response_key_prediction: { name: result.prediction, confidence: result.confidence },
  });
  return {
    ...scored,
    confidences: splitConfidences(results),
    predictions: results.map((result) => ({
      text: result.text,
      intent_response_key_target: result.target,
      intent_response_key_prediction: result.prediction,
      confidence: result.confidence,
    })),
    errors: results.filter((result) => result.target !== result.prediction).map(example),
    successes: results.filter((result) => result.target === result.prediction).map(example),
  };
}

/**
 * Scores each extractor on token labels (`<Extractor>_report.json`); `no_entity` is left out of
 * the per-label scores. A message is an error when any of its tokens is labelled wrongly, and a
 * success when any entity token is labelled rightly (so a message can be both, as in Rasa).
 */
export function evaluateEntities(
  results: readonly EntityResult[],
  extractors: readonly string[],
  options: EvaluateOptions = {},
): Record<string, EntityEvaluation> {
  const aligned = results.map((result) => alignEntityResult(result, extractors));
  const targets = aligned.flatMap((entry) => entry.targetLabels);
  const evaluations: Record<string, EntityEvaluation> = {};
  for (const extractor of extractors) {
    const predictions = aligned.flatMap((entry) => entry.extractorLabels[extractor]);
    const confidences = aligned.flatMap((entry) => entry.confidences[extractor]);
    const scored = scoreLabels(targets, predictions, options, NO_ENTITY);
    const errors: EntityExample[] = [];
    const successes: EntityExample[] = [];
    let offset = 0;
    for (const result of results) {
      const span = result.tokens.length;
      const example = { text: result.text, entities: result.targets, predicted_entities: result.predictions };
      let wrong = false;
      let right = false;
      for (let index = offset; index < offset + span; index += 1) {
        if (targets[index] !== predictions[index]) wrong = true;
        else if (targets[index] !== NO_ENTITY) right = true;
      }
      if (wrong) errors.push(example);
      if (right) successes.push(example);
      offset += span;
    }
    const correct: number[] = [];
    const wrong: number[] = [];
    targets.forEach((target, index) => {
      if (target !== NO_ENTITY && target === predictions[index]) correct.push(confidences[index]);
      else if (predictions[index] !== NO_ENTITY && predictions[index] !== target) wrong.push(confidences[index]);
    });
    evaluations[extractor] = { ...scored, confidences: { correct, wrong }, errors, successes };
  }
  return evaluations;
}

/** Whether any message has annotated or predicted entities (else there is nothing to score). */
export function hasEntityLabels(results: readonly EntityResult[]): boolean {
  return results.some((result) => result.targets.length > 0 || result.predictions.length > 0);
}

function scoreLabels(
  targets: readonly string[],
  predictions: readonly string[],
  options: EvaluateOptions,
  excludeLabel?: string,
): Omit<LabelEvaluation, 'confidences'> {
  const metrics = evaluationMetrics(targets, predictions, { excludeLabel });
  const matrix = confusionMatrix(targets, predictions);
  const report = options.confusedLabels === false ? metrics.report : addConfusedLabels(metrics.report, matrix, excludeLabel);
  return { report, precision: metrics.precision, f1_score: metrics.f1, accuracy: metrics.accuracy, matrix };
}

function splitConfidences(results: ReadonlyArray<{ target: string; prediction: string; confidence: number | null }>): LabelEvaluation['confidences'] {
  const split: LabelEvaluation['confidences'] = { correct: [], wrong: [] };
  for (const result of results) (result.target === result.prediction ? split.correct : split.wrong).push(result.confidence ?? 0);
  return split;
}

function baseIntent(intent: string): string {
  const slash = intent.indexOf('/');
  return slash >= 0 ? intent.slice(0, slash) : intent;
}

/** The parse without the FallbackClassifier's `nlu_fallback`: the next intent of the ranking takes its place. */
function undoFallback(parsed: ParseResult): ParseResult {
  const ranking = parsed.intent_ranking ?? [];
  if (parsed.intent?.name !== FALLBACK_INTENT || ranking.length < 2) return parsed;
  return { ...parsed, intent: ranking[1], intent_ranking: ranking.slice(1) };
}
