/**
 * Intent-only classifiers: LogisticRegressionClassifier and SklearnIntentClassifier (both
 * softmax regression over sentence features here) and KeywordIntentClassifier.
 */
import type { ComponentDefinition } from './component.js';
import { booleanOption } from './component.js';
import { predictIntent, trainIntentPart } from './diet-classifier.js';
import type { IntentModelData } from './intent-model.js';
import { IntentModel } from './intent-model.js';
import type { NluMessage } from './message.js';
import { escapeRegex } from './python-regex.js';

export const logisticRegressionClassifier: ComponentDefinition<IntentModelData | null> = {
  name: 'LogisticRegressionClassifier',
  kind: 'intent-classifier',
  defaults: { max_iter: 100, solver: 'lbfgs', tol: 1e-4, random_state: 42, ranking_length: 10 },
  inertOptions: ['solver', 'random_state', 'max_iter', 'tol'],
  train: (context) => trainIntentPart(context, 'LogisticRegressionClassifier', 0, 1),
  load(data, context) {
    const model = data ? new IntentModel(data) : null;
    return { process: (message: NluMessage) => predictIntent(message, model, context.options) };
  },
};

/** Rasa's SVM with a grid search; a linear softmax model gives the same kind of answer. */
export const sklearnIntentClassifier: ComponentDefinition<IntentModelData | null> = {
  name: 'SklearnIntentClassifier',
  kind: 'intent-classifier',
  defaults: {
    C: [1, 2, 5, 10, 20, 100],
    gamma: [0.1],
    kernels: ['linear'],
    max_cross_validation_folds: 5,
    scoring_function: 'f1_weighted',
  },
  inertOptions: ['C', 'gamma', 'kernels', 'max_cross_validation_folds', 'scoring_function'],
  train: (context) => trainIntentPart(context, 'SklearnIntentClassifier', 0, 1),
  load(data, context) {
    const model = data ? new IntentModel(data) : null;
    return { process: (message: NluMessage) => predictIntent(message, model, context.options) };
  },
};

interface KeywordData {
  /** [keyword, intent] in training order. */
  keywords: Array<[string, string]>;
}

export const keywordIntentClassifier: ComponentDefinition<KeywordData> = {
  name: 'KeywordIntentClassifier',
  kind: 'intent-classifier',
  defaults: { case_sensitive: true },
  train(context) {
    const intentOf = new Map<string, string>();
    const ambiguous = new Set<string>();
    for (const message of context.messages) {
      const intent = message.training?.intent;
      if (!intent) continue;
      const known = intentOf.get(message.text);
      if (known !== undefined && known !== intent) ambiguous.add(message.text);
      else intentOf.set(message.text, intent);
    }
    for (const keyword of ambiguous) {
      context.logger.warn(
        `KeywordIntentClassifier: the example '${keyword}' belongs to more than one intent, so it is not used as a keyword.`,
      );
      intentOf.delete(keyword);
    }
    return { keywords: [...intentOf.entries()] };
  },
  load(data, context) {
    const caseSensitive = booleanOption(context.options, 'case_sensitive', true);
    const matchers = data.keywords.map(([keyword, intent]) => ({
      intent,
      regex: new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegex(keyword)}(?![\\p{L}\\p{N}_])`, caseSensitive ? 'u' : 'iu'),
    }));
    return {
      process(message: NluMessage) {
        const found = matchers.find((matcher) => matcher.regex.test(message.text));
        // A miss only sets "no intent" when no earlier classifier gave one, as in Rasa.
        if (found) message.intent = { name: found.intent, confidence: 1 };
        else if (message.intent === null) message.intent = { name: null, confidence: 0 };
      },
    };
  },
};
