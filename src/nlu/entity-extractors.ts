/**
 * Entity components besides DIET: CRFEntityExtractor (our CRF with Rasa's window features),
 * RegexEntityExtractor (regexes and lookup tables named like an entity) and
 * EntitySynonymMapper (maps extracted values to their canonical synonym).
 */
import type { Entity } from '../shared/nlu.js';
import type { ComponentDefinition, ComponentOptions } from './component.js';
import { booleanOption, numberOption } from './component.js';
import { splitByCommaOption } from './diet-classifier.js';
import type { EntityTaggerData, TaggerSettings } from './entity-tagger.js';
import { EntityTagger, trainEntityTagger, WINDOW_FEATURES } from './entity-tagger.js';
import type { NluMessage } from './message.js';
import type { PatternSpec } from './python-regex.js';
import { collectPatterns, compilePatterns, matchSpans } from './python-regex.js';
import { patternSettings } from './regex-featurizer.js';

const CRF_DEFAULT_FEATURES = [
  ['low', 'title', 'upper'],
  ['bias', 'low', 'prefix5', 'prefix2', 'suffix5', 'suffix3', 'suffix2', 'upper', 'title', 'digit', 'pattern'],
  ['low', 'title', 'upper'],
];

function crfFeatures(options: ComponentOptions): string[][] {
  const features = options.features;
  if (!Array.isArray(features) || !features.every(Array.isArray)) return CRF_DEFAULT_FEATURES;
  return features.map((names) => (names as unknown[]).map(String));
}

function crfTaggerSettings(options: ComponentOptions): TaggerSettings {
  return {
    extractor: 'CRFEntityExtractor',
    bilou: booleanOption(options, 'BILOU_flag', true),
    splitByComma: splitByCommaOption(options),
    template: { kind: 'window', features: crfFeatures(options) },
    // Rasa's `featurizers` here selects dense featurizers, which Parley does not have.
    featurizers: [],
    // CRFsuite penalises c2·‖w‖²; our penalty is l2/2·‖w‖², hence the factor 2.
    l2: 2 * numberOption(options, 'L2_c', 0.1),
    maxIterations: Math.max(1, Math.floor(numberOption(options, 'max_iterations', 50))),
  };
}

export const crfEntityExtractor: ComponentDefinition<EntityTaggerData | null> = {
  name: 'CRFEntityExtractor',
  kind: 'entity-extractor',
  defaults: {
    BILOU_flag: true,
    split_entities_by_comma: true,
    features: CRF_DEFAULT_FEATURES,
    max_iterations: 50,
    L1_c: 0.1,
    L2_c: 0.1,
    featurizers: [],
  },
  inertOptions: ['L1_c', 'featurizers'],
  train(context) {
    const settings = crfTaggerSettings(context.options);
    const unsupported = [...new Set(crfFeatures(context.options).flat().filter((name) => !WINDOW_FEATURES.has(name)))];
    if (unsupported.length > 0) {
      context.logger.warn(
        `CRFEntityExtractor: feature(s) ${unsupported.join(', ')} need spaCy or dense featurizers, which Parley does not use; they are skipped.`,
      );
    }
    const trained = trainEntityTagger(context.messages, settings, (iteration) =>
      context.progress(Math.min(iteration / settings.maxIterations, 1), `CRFEntityExtractor: iteration ${iteration}`),
    );
    if (trained && trained.skippedAnnotations > 0) {
      context.logger.warn(
        `CRFEntityExtractor: ${trained.skippedAnnotations} entity annotation(s) do not line up with a token or overlap another one and were not learnt.`,
      );
    }
    return trained?.data ?? null;
  },
  load(data, context) {
    const tagger = data ? new EntityTagger(data, crfTaggerSettings(context.options)) : null;
    return {
      process(message: NluMessage) {
        if (tagger) message.entities.push(...tagger.extract(message));
      },
    };
  },
};

interface RegexExtractorData {
  patterns: PatternSpec[];
}

export const regexEntityExtractor: ComponentDefinition<RegexExtractorData> = {
  name: 'RegexEntityExtractor',
  kind: 'entity-extractor',
  defaults: { case_sensitive: false, use_lookup_tables: true, use_regexes: true, use_word_boundaries: true },
  train(context) {
    // Only patterns named like an entity annotated in the examples, as in Rasa.
    const entities = new Set(context.nlu.examples.flatMap((example) => example.entities.map((entity) => entity.entity)));
    const patterns = collectPatterns(context.nlu, patternSettings(context.options, false)).filter((pattern) =>
      entities.has(pattern.name),
    );
    if (patterns.length === 0) {
      context.logger.warn(
        'RegexEntityExtractor: no regex or lookup table has the name of an entity annotated in the training examples, so it will extract nothing.',
      );
    }
    compilePatterns(patterns);
    return { patterns };
  },
  load(data) {
    const patterns = compilePatterns(data.patterns);
    return {
      process(message: NluMessage) {
        for (const pattern of patterns) {
          for (const [start, end] of matchSpans(pattern.regex, message.text)) {
            message.entities.push({
              entity: pattern.name,
              start,
              end,
              value: message.text.slice(start, end),
              extractor: 'RegexEntityExtractor',
            });
          }
        }
      },
    };
  },
};

interface SynonymData {
  synonyms: Record<string, string>;
}

/** Every synonym: `synonym:` blocks plus annotations whose value differs from their text. */
export function collectSynonyms(context: {
  nlu: { synonyms: Record<string, string>; examples: ReadonlyArray<{ text: string; entities: ReadonlyArray<{ start: number; end: number; value: string }> }> };
}): Record<string, string> {
  const synonyms: Record<string, string> = {};
  for (const [text, value] of Object.entries(context.nlu.synonyms)) synonyms[text.toLowerCase()] = value;
  for (const example of context.nlu.examples) {
    for (const entity of example.entities) {
      const original = example.text.slice(entity.start, entity.end);
      if (typeof entity.value === 'string' && original !== entity.value) synonyms[original.toLowerCase()] = entity.value;
    }
  }
  return synonyms;
}

export function applySynonyms(entities: Entity[], synonyms: ReadonlyMap<string, string>): void {
  for (const entity of entities) {
    const replacement = synonyms.get(String(entity.value).toLowerCase());
    if (replacement === undefined) continue;
    entity.value = replacement;
    entity.processors = [...(entity.processors ?? []), 'EntitySynonymMapper'];
  }
}

export const entitySynonymMapper: ComponentDefinition<SynonymData> = {
  name: 'EntitySynonymMapper',
  kind: 'post-processor',
  defaults: {},
  train: (context) => ({ synonyms: collectSynonyms(context) }),
  load(data) {
    const synonyms = new Map(Object.entries(data.synonyms));
    return { process: (message: NluMessage) => applySynonyms(message.entities, synonyms) };
  },
};
