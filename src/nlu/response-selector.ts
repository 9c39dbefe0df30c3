/**
 * ResponseSelector: for retrieval intents (`chitchat/ask_name`), predicts which response key fits
 * the message and fills `response_selector` as Rasa 3.x does. Without retrieval intents in the
 * training data it adds nothing.
 */
import type { ResponseVariation } from '../shared/domain.js';
import type { ComponentDefinition } from './component.js';
import { booleanOption, numberOption, stringOption } from './component.js';
import { featurizerAliases, NEURAL_OPTIONS } from './diet-classifier.js';
import type { IntentModelData } from './intent-model.js';
import { INTENT_MODEL_DEFAULTS, IntentModel, rankLabels, trainIntentModel } from './intent-model.js';
import type { NluMessage } from './message.js';

interface ResponseSelectorData {
  /** Every retrieval intent in the data (before `retrieval_intent` filtering). */
  retrievalIntents: string[];
  /** The response keys (`base/key`) it chooses from. */
  keys: string[];
  /** null when there are fewer than two keys to choose from. */
  model: IntentModelData | null;
  /** `utter_<base>/<key>` → its responses, for the keys the model can predict. */
  responses: Record<string, ResponseVariation[]>;
}

export const responseSelector: ComponentDefinition<ResponseSelectorData> = {
  name: 'ResponseSelector',
  kind: 'response-selector',
  defaults: {
    retrieval_intent: null,
    use_text_as_label: false,
    ranking_length: 10,
    renormalize_confidences: false,
    random_seed: null,
    featurizers: [],
    ...Object.fromEntries(NEURAL_OPTIONS.map((option) => [option, null])),
  },
  inertOptions: [...NEURAL_OPTIONS, 'use_text_as_label'],
  train(context) {
    const retrievalIntents = [
      ...new Set(
        context.messages.flatMap((message) => (message.training?.responseKey ? [message.training.intent] : [])),
      ),
    ].sort();
    const only = stringOption(context.options, 'retrieval_intent');
    const labelOf = (message: NluMessage): string | null => {
      const training = message.training;
      if (!training?.responseKey) return null;
      return only === null || training.intent === only ? training.responseKey : null;
    };
    const keys = [...new Set(context.messages.map(labelOf).filter((key): key is string => key !== null))].sort();
    if (keys.length === 0) return { retrievalIntents, keys, model: null, responses: {} };
    const model = trainIntentModel(context.messages, labelOf, {
      ...INTENT_MODEL_DEFAULTS,
      featurizers: featurizerAliases(context.options),
      onIteration: (iteration) =>
        context.progress(Math.min(iteration / INTENT_MODEL_DEFAULTS.maxIterations, 1), `ResponseSelector: iteration ${iteration}`),
    });
    const responses: Record<string, ResponseVariation[]> = {};
    for (const key of keys) {
      const name = `utter_${key}`;
      const found = context.nlu.responses[name] ?? context.domain.responses[name];
      if (found) responses[name] = found;
      else context.logger.warn(`ResponseSelector: no response '${name}' is defined for the retrieval intent '${key}'.`);
    }
    return { retrievalIntents, keys, model, responses };
  },
  load(data, context) {
    const selectorKey = stringOption(context.options, 'retrieval_intent') ?? 'default';
    const rankingLength = numberOption(context.options, 'ranking_length', 10);
    const renormalize = booleanOption(context.options, 'renormalize_confidences', false);
    const keys = data.keys;
    const model = data.model ? new IntentModel(data.model) : null;
    return {
      process(message: NluMessage) {
        if (keys.length === 0) return;
        let top: { name: string | null; confidence: number } = { name: null, confidence: 0 };
        let ranking: Array<{ name: string; confidence: number }> = [];
        if (model) {
          const ranked = rankLabels(model.labels, model.probabilities(message), rankingLength, renormalize);
          top = ranked.top;
          ranking = ranked.ranking as Array<{ name: string; confidence: number }>;
        } else if (keys.length === 1) {
          // A single response key needs no model: it is always the answer.
          top = { name: keys[0], confidence: 1 };
          ranking = [{ name: top.name as string, confidence: 1 }];
        }
        const key = top.name;
        const responses = key === null ? null : (data.responses[`utter_${key}`] ?? [{ text: key }]);
        const selector = message.responseSelector ?? {};
        selector.all_retrieval_intents = data.retrievalIntents;
        selector[selectorKey] = {
          response: {
            responses,
            confidence: top.confidence,
            intent_response_key: key,
            utter_action: `utter_${key}`,
          },
          ranking: ranking.map((entry) => ({ confidence: entry.confidence, intent_response_key: entry.name })),
        };
        message.responseSelector = selector;
      },
    };
  },
};
