/**
 * DIETClassifier: Rasa's joint intent + entity transformer. Parley trains the same two outputs
 * with its own models: softmax regression over the sentence features for the intent (averaged
 * with a small hidden-layer network on larger data sets) and a linear-chain CRF over BILOU tags
 * for entities. `hidden_layers_sizes.text` sizes (or removes) the hidden layer; Rasa's other
 * neural-network options are accepted and ignored.
 */
import { ParleyError } from '../errors.js';
import type { ComponentDefinition, ComponentOptions, TrainContext } from './component.js';
import { booleanOption, numberOption } from './component.js';
import type { EntityTaggerData, TaggerSettings } from './entity-tagger.js';
import { EntityTagger, trainEntityTagger } from './entity-tagger.js';
import type { IntentModelData } from './intent-model.js';
import { DIET_HIDDEN_LAYER, INTENT_MODEL_DEFAULTS, IntentModel, rankLabels, trainIntentModel, type HiddenLayerOptions } from './intent-model.js';
import type { NluMessage } from './message.js';
import { sentenceLayout } from './sentence-features.js';

export interface DietData {
  intent: IntentModelData | null;
  entities: EntityTaggerData | null;
}

/** The options of Rasa's DIET that only shape its neural network (all but `hidden_layers_sizes`, see {@link intentHiddenLayer}). */
export const NEURAL_OPTIONS = [
  'share_hidden_layers',
  'transformer_size',
  'number_of_transformer_layers',
  'number_of_attention_heads',
  'use_key_relative_attention',
  'use_value_relative_attention',
  'max_relative_position',
  'unidirectional_encoder',
  'batch_size',
  'batch_strategy',
  'epochs',
  'learning_rate',
  'embedding_dimension',
  'dense_dimension',
  'concat_dimension',
  'number_of_negative_examples',
  'similarity_type',
  'loss_type',
  'maximum_positive_similarity',
  'maximum_negative_similarity',
  'use_maximum_negative_similarity',
  'scale_loss',
  'regularization_constant',
  'negative_margin_scale',
  'drop_rate',
  'drop_rate_attention',
  'connection_density',
  'use_sparse_input_dropout',
  'use_dense_input_dropout',
  'evaluate_every_number_of_epochs',
  'evaluate_on_number_of_examples',
  'use_masked_language_model',
  'tensorboard_log_directory',
  'tensorboard_log_level',
  'checkpoint_model',
  'constrain_similarities',
  'model_confidence',
  'run_eagerly',
] as const;

/**
 * The tagger's trainer settings: L-BFGS (L2 strength, iteration budget) on small data, else 10
 * epochs of the averaged perceptron; chosen on the formbot data and SNIPS's validation split.
 */
export const TAGGER_DEFAULTS = { l2: 0.5, maxIterations: 60, trainer: 'auto', epochs: 10 } as const;

export function featurizerAliases(options: ComponentOptions): string[] {
  return Array.isArray(options.featurizers) ? options.featurizers.map(String) : [];
}

export function splitByCommaOption(options: ComponentOptions): TaggerSettings['splitByComma'] {
  const value = options.split_entities_by_comma;
  if (typeof value === 'boolean') return value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([entity, split]) => [entity, split !== false]));
  }
  return true;
}

/** `withIntent`: this DIET predicts intents, so the tagger can read the intent it predicted. */
function dietTaggerSettings(options: ComponentOptions, withIntent: boolean): TaggerSettings {
  return {
    extractor: 'DIETClassifier',
    bilou: booleanOption(options, 'BILOU_flag', true),
    splitByComma: splitByCommaOption(options),
    template: { kind: 'context' },
    featurizers: featurizerAliases(options),
    ...TAGGER_DEFAULTS,
    seed: numberOption(options, 'random_seed', 1),
    gazetteer: true,
    intentFeature: withIntent,
  };
}

/**
 * Shared by DIET and the other softmax-based classifiers: train the intent part. Only DIET adds
 * the hidden-layer network (`neural`); the others stay linear models, as their names promise.
 */
/**
 * The intent network from Rasa's `hidden_layers_sizes` (`{text: [...], label: [...]}`): absent →
 * Parley's default ({@link DIET_HIDDEN_LAYER}); `text: []` → none (a linear model, faster to
 * train); `text: [n, …]` → one hidden layer of `n` units (Parley's network has one layer; the
 * further sizes and `label` are not used).
 * @throws ParleyError PARLEY_ERR_CONFIG_INVALID for sizes that are not whole numbers of 1 or more
 */
export function intentHiddenLayer(options: ComponentOptions): HiddenLayerOptions | null {
  const sizes = options.hidden_layers_sizes;
  if (sizes === null || sizes === undefined) return DIET_HIDDEN_LAYER;
  const text = typeof sizes === 'object' && !Array.isArray(sizes) ? (sizes as Record<string, unknown>).text : undefined;
  if (text === undefined || text === null) return DIET_HIDDEN_LAYER;
  const valid = Array.isArray(text) && text.every((size) => Number.isInteger(size) && (size as number) >= 1);
  if (!valid) {
    throw new ParleyError(
      'PARLEY_ERR_CONFIG_INVALID',
      `DIETClassifier: hidden_layers_sizes.text must be a list of whole numbers of 1 or more (for example [64], or [] for no hidden layer), not ${JSON.stringify(text)}.`,
    );
  }
  return text.length === 0 ? null : { ...DIET_HIDDEN_LAYER, hidden: text[0] as number };
}

export function trainIntentPart(context: TrainContext, name: string, from: number, to: number, neural = false): IntentModelData | null {
  const featurizers = featurizerAliases(context.options);
  if (sentenceLayout(context.messages, featurizers).columns === 0) {
    context.logger.warn(
      `${name}: no featurizer before it gives sentence features${featurizers.length > 0 ? ` (featurizers: ${featurizers.join(', ')})` : ''}, ` +
        'so it can only learn how frequent each intent is. Add a CountVectorsFeaturizer (words and char_wb n-grams) before it.',
    );
  }
  const intentModel = trainIntentModel(context.messages, (message) => message.training?.intent ?? null, {
    ...INTENT_MODEL_DEFAULTS,
    featurizers,
    hiddenLayer: neural ? intentHiddenLayer(context.options) : null,
    seed: numberOption(context.options, 'random_seed', 1),
    onIteration: (iteration) =>
      context.progress(from + (to - from) * Math.min(iteration / INTENT_MODEL_DEFAULTS.maxIterations, 1), `${name}: intent classifier, iteration ${iteration}`),
    onNetworkEpoch: (epoch, epochs) => context.progress(to, `${name}: intent network, epoch ${epoch} of ${epochs}`),
  });
  if (intentModel === null) {
    context.logger.warn(
      `${name}: intent classification needs examples of at least two different intents; this model will predict no intent.`,
    );
  }
  return intentModel;
}

/** Sets `intent` and `intent_ranking` on a message from an intent model (or none). */
export function predictIntent(message: NluMessage, model: IntentModel | null, options: ComponentOptions): void {
  if (model === null) {
    message.intent = { name: null, confidence: 0 };
    message.intentRanking = [];
    return;
  }
  const ranked = rankLabels(
    model.labels,
    model.probabilities(message),
    numberOption(options, 'ranking_length', 10),
    booleanOption(options, 'renormalize_confidences', false),
  );
  message.intent = ranked.top;
  message.intentRanking = ranked.ranking;
}

export const dietClassifier: ComponentDefinition<DietData> = {
  name: 'DIETClassifier',
  kind: 'classifier-and-extractor',
  defaults: {
    intent_classification: true,
    entity_recognition: true,
    ranking_length: 10,
    renormalize_confidences: false,
    BILOU_flag: true,
    split_entities_by_comma: true,
    random_seed: null,
    featurizers: [],
    hidden_layers_sizes: null,
    ...Object.fromEntries(NEURAL_OPTIONS.map((option) => [option, null])),
  },
  inertOptions: NEURAL_OPTIONS,
  train(context) {
    const classify = booleanOption(context.options, 'intent_classification', true);
    const recognise = booleanOption(context.options, 'entity_recognition', true);
    const intent = classify ? trainIntentPart(context, 'DIETClassifier', 0, 0.5, true) : null;
    let entities: EntityTaggerData | null = null;
    if (recognise) {
      context.progress(0.5, 'DIETClassifier: entity tagger');
      const trained = trainEntityTagger(context.messages, dietTaggerSettings(context.options, intent !== null), (iteration, _loss, iterations) =>
        context.progress(0.5 + 0.5 * Math.min(iteration / iterations, 1), `DIETClassifier: entity tagger, iteration ${iteration}`),
      );
      if (trained && trained.skippedAnnotations > 0) {
        context.logger.warn(
          `DIETClassifier: ${trained.skippedAnnotations} entity annotation(s) do not line up with a token or overlap another one and were not learnt.`,
        );
      }
      entities = trained?.data ?? null;
    }
    return { intent, entities };
  },
  load(data, context) {
    const classify = booleanOption(context.options, 'intent_classification', true);
    const intentModel = data.intent ? new IntentModel(data.intent) : null;
    const tagger = data.entities ? new EntityTagger(data.entities, dietTaggerSettings(context.options, classify && intentModel !== null)) : null;
    return {
      process(message: NluMessage) {
        if (classify) predictIntent(message, intentModel, context.options);
        if (tagger) message.entities.push(...tagger.extract(message));
      },
    };
  },
};
