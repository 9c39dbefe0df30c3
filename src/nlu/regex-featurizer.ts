/**
 * RegexFeaturizer: one feature per `regex:` pattern and `lookup:` table. A token gets 1 when a
 * match overlaps it; the sentence gets 1 when any token matched.
 */
import type { ComponentDefinition, ComponentOptions } from './component.js';
import { booleanOption, stringOption } from './component.js';
import type { NluMessage, SparseVector } from './message.js';
import { EMPTY_VECTOR } from './message.js';
import type { NamedPattern, PatternSettings, PatternSpec } from './python-regex.js';
import { collectPatterns, compilePatterns, matchSpans } from './python-regex.js';

export interface RegexFeaturizerData {
  patterns: PatternSpec[];
}

/** Reads the pattern options shared by RegexFeaturizer and RegexEntityExtractor. */
export function patternSettings(options: ComponentOptions, caseSensitiveDefault: boolean): PatternSettings {
  return {
    useRegexes: booleanOption(options, 'use_regexes', true),
    useLookupTables: booleanOption(options, 'use_lookup_tables', true),
    useWordBoundaries: booleanOption(options, 'use_word_boundaries', true),
    caseSensitive: booleanOption(options, 'case_sensitive', caseSensitiveDefault),
  };
}

/** Per-token pattern hits of a message, as sparse 0/1 vectors over the pattern list. */
export function patternFeatures(
  patterns: readonly NamedPattern[],
  message: NluMessage,
): { sentence: SparseVector; tokens: SparseVector[] } {
  const tokens = message.tokens ?? [];
  const hits: number[][] = tokens.map(() => []);
  const sentence = new Set<number>();
  patterns.forEach((pattern, index) => {
    for (const [start, end] of matchSpans(pattern.regex, message.text)) {
      tokens.forEach((token, t) => {
        if (token.start < end && token.end > start && hits[t][hits[t].length - 1] !== index) {
          hits[t].push(index);
          sentence.add(index);
        }
      });
    }
  });
  const toVector = (indices: Iterable<number>): SparseVector => {
    const sorted = Int32Array.from(indices).sort();
    return sorted.length === 0 ? EMPTY_VECTOR : { indices: sorted, values: new Float32Array(sorted.length).fill(1) };
  };
  return { sentence: toVector(sentence), tokens: hits.map(toVector) };
}

export const regexFeaturizer: ComponentDefinition<RegexFeaturizerData> = {
  name: 'RegexFeaturizer',
  kind: 'featurizer',
  defaults: {
    case_sensitive: true,
    use_lookup_tables: true,
    use_regexes: true,
    use_word_boundaries: true,
    number_additional_patterns: null,
    alias: null,
  },
  train(context) {
    const patterns = collectPatterns(context.nlu, patternSettings(context.options, true));
    compilePatterns(patterns);
    if (patterns.length === 0) {
      context.logger.debug('nlu.regex_featurizer.no_patterns');
    }
    return { patterns };
  },
  load(data, context) {
    const patterns = compilePatterns(data.patterns);
    const alias = stringOption(context.options, 'alias') ?? 'RegexFeaturizer';
    return {
      process(message: NluMessage) {
        if (patterns.length === 0 || message.tokens === null) return;
        const features = patternFeatures(patterns, message);
        message.features.push({ alias, kind: 'regex', size: patterns.length, ...features });
      },
    };
  },
};
