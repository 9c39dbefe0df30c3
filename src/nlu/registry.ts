/** The one place that knows every NLU component Parley implements, by its Rasa name. */
import type { ComponentDefinition } from './component.js';
import { countVectorsFeaturizer } from './count-vectors-featurizer.js';
import { dietClassifier } from './diet-classifier.js';
import { ducklingEntityExtractor } from './duckling-entity-extractor.js';
import { crfEntityExtractor, entitySynonymMapper, regexEntityExtractor } from './entity-extractors.js';
import { fallbackClassifier } from './fallback-classifier.js';
import { keywordIntentClassifier, logisticRegressionClassifier, sklearnIntentClassifier } from './intent-classifiers.js';
import { lexicalSyntacticFeaturizer } from './lexical-syntactic-featurizer.js';
import { regexFeaturizer } from './regex-featurizer.js';
import { responseSelector } from './response-selector.js';
import { whitespaceTokenizer } from './tokenizer.js';

// Each definition has its own data type; the registry only hands data back to the definition
// that produced it.
const DEFINITIONS: ReadonlyArray<ComponentDefinition<unknown>> = [
  whitespaceTokenizer,
  regexFeaturizer,
  lexicalSyntacticFeaturizer,
  countVectorsFeaturizer,
  dietClassifier,
  logisticRegressionClassifier,
  sklearnIntentClassifier,
  keywordIntentClassifier,
  crfEntityExtractor,
  regexEntityExtractor,
  ducklingEntityExtractor,
  entitySynonymMapper,
  fallbackClassifier,
  responseSelector,
];

export const COMPONENTS: ReadonlyMap<string, ComponentDefinition<unknown>> = new Map(DEFINITIONS.map((definition) => [definition.name, definition]));

/** Rasa components Parley cannot run, with what to use instead. */
export const UNSUPPORTED_COMPONENTS: ReadonlyMap<string, string> = new Map([
  ['SpacyNLP', 'Remove it: Parley has no spaCy models. Use WhitespaceTokenizer and CountVectorsFeaturizer instead.'],
  ['SpacyTokenizer', 'Use WhitespaceTokenizer instead.'],
  ['SpacyFeaturizer', 'Use CountVectorsFeaturizer (word and char_wb analyzers) instead.'],
  ['SpacyEntityExtractor', 'Annotate the entities in your NLU examples and use DIETClassifier or CRFEntityExtractor; for numbers use DucklingEntityExtractor.'],
  ['MitieNLP', 'Remove it: Parley has no MITIE models. Use WhitespaceTokenizer and CountVectorsFeaturizer instead.'],
  ['MitieTokenizer', 'Use WhitespaceTokenizer instead.'],
  ['MitieFeaturizer', 'Use CountVectorsFeaturizer (word and char_wb analyzers) instead.'],
  ['MitieEntityExtractor', 'Use DIETClassifier or CRFEntityExtractor instead.'],
  ['MitieIntentClassifier', 'Use DIETClassifier or LogisticRegressionClassifier instead.'],
  ['ConveRTFeaturizer', 'Use CountVectorsFeaturizer (word and char_wb analyzers) instead; Parley has no pre-trained language models.'],
  ['LanguageModelFeaturizer', 'Use CountVectorsFeaturizer (word and char_wb analyzers) instead; Parley has no pre-trained language models.'],
  ['HFTransformersNLP', 'Remove it and use CountVectorsFeaturizer instead; Parley has no pre-trained language models.'],
  ['LanguageModelTokenizer', 'Use WhitespaceTokenizer instead.'],
  ['ConveRTTokenizer', 'Use WhitespaceTokenizer instead.'],
  ['JiebaTokenizer', 'Parley has no Chinese word segmenter; WhitespaceTokenizer only splits text at spaces.'],
]);
