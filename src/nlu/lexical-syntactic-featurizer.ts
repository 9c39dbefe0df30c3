/**
 * LexicalSyntacticFeaturizer: one-hot token features (is lower-case, title, upper, digit,
 * begins/ends the sentence, prefixes and suffixes) over a sliding window of neighbours, with
 * the vocabulary of (position, feature, value) learnt from the training data.
 */
import type { ComponentDefinition, ComponentOptions } from './component.js';
import { stringOption } from './component.js';
import type { NluMessage, SparseVector, Token } from './message.js';
import { EMPTY_VECTOR } from './message.js';

export interface LexicalData {
  vocabulary: string[];
}

const DEFAULT_FEATURES = [
  ['low', 'title', 'upper'],
  ['BOS', 'EOS', 'low', 'upper', 'title', 'digit'],
  ['low', 'title', 'upper'],
];

/** Feature functions of one token; `null` means "not defined here". */
export const TOKEN_FEATURES: Readonly<Record<string, (tokens: readonly Token[], index: number) => string | null>> = {
  BOS: (_tokens, index) => String(index === 0),
  EOS: (tokens, index) => String(index === tokens.length - 1),
  low: (tokens, index) => String(isLower(tokens[index].text)),
  upper: (tokens, index) => String(isUpper(tokens[index].text)),
  title: (tokens, index) => String(isTitle(tokens[index].text)),
  digit: (tokens, index) => String(/^\p{Nd}+$/u.test(tokens[index].text)),
  prefix5: (tokens, index) => tokens[index].text.slice(0, 5),
  prefix2: (tokens, index) => tokens[index].text.slice(0, 2),
  suffix5: (tokens, index) => tokens[index].text.slice(-5),
  suffix3: (tokens, index) => tokens[index].text.slice(-3),
  suffix2: (tokens, index) => tokens[index].text.slice(-2),
  suffix1: (tokens, index) => tokens[index].text.slice(-1),
};

/** Python's str.islower(): has cased letters and none of them upper-case. */
export function isLower(text: string): boolean {
  return /\p{Ll}/u.test(text) && !/\p{Lu}|\p{Lt}/u.test(text);
}

export function isUpper(text: string): boolean {
  return /\p{Lu}/u.test(text) && !/\p{Ll}|\p{Lt}/u.test(text);
}

/** Python's str.istitle(): every cased run starts upper-case and continues lower-case. */
export function isTitle(text: string): boolean {
  return /^[^\p{L}]*(?:[\p{Lu}\p{Lt}]\p{Ll}*[^\p{L}]+)*[\p{Lu}\p{Lt}]\p{Ll}*[^\p{L}]*$/u.test(text);
}

export function lexicalFeatureConfig(options: ComponentOptions): string[][] {
  const features = options.features;
  if (!Array.isArray(features) || !features.every(Array.isArray)) return DEFAULT_FEATURES;
  return features.map((position) => (position as unknown[]).map(String));
}

/** Feature names in the configuration that Parley cannot compute (need spaCy). */
export function unsupportedLexicalFeatures(config: readonly string[][]): string[] {
  return [...new Set(config.flat().filter((name) => !(name in TOKEN_FEATURES)))];
}

/** The `position:feature:value` strings of each token. */
export function lexicalFeatureStrings(tokens: readonly Token[], config: readonly string[][]): string[][] {
  const half = Math.floor(config.length / 2);
  return tokens.map((_token, index) => {
    const strings: string[] = [];
    config.forEach((names, position) => {
      const target = index + position - half;
      if (target < 0 || target >= tokens.length) return;
      for (const name of names) {
        const feature = TOKEN_FEATURES[name];
        const value = feature ? feature(tokens, target) : null;
        if (value !== null) strings.push(`${position - half}:${name}:${value}`);
      }
    });
    return strings;
  });
}

export const lexicalSyntacticFeaturizer: ComponentDefinition<LexicalData> = {
  name: 'LexicalSyntacticFeaturizer',
  kind: 'featurizer',
  defaults: { features: DEFAULT_FEATURES, alias: null },
  train(context) {
    const config = lexicalFeatureConfig(context.options);
    const unsupported = unsupportedLexicalFeatures(config);
    if (unsupported.length > 0) {
      context.logger.warn(
        `LexicalSyntacticFeaturizer: feature(s) ${unsupported.join(', ')} need spaCy, which Parley does not use; they are skipped.`,
      );
    }
    const vocabulary = new Set<string>();
    for (const message of context.messages) {
      for (const strings of lexicalFeatureStrings(message.tokens ?? [], config)) strings.forEach((s) => vocabulary.add(s));
    }
    return { vocabulary: [...vocabulary].sort() };
  },
  load(data, context) {
    const config = lexicalFeatureConfig(context.options);
    const index = new Map(data.vocabulary.map((entry, position) => [entry, position]));
    const alias = stringOption(context.options, 'alias') ?? 'LexicalSyntacticFeaturizer';
    return {
      process(message: NluMessage) {
        if (index.size === 0 || message.tokens === null) return;
        const tokens = lexicalFeatureStrings(message.tokens, config).map((strings): SparseVector => {
          const indices = strings.map((s) => index.get(s)).filter((i): i is number => i !== undefined);
          if (indices.length === 0) return EMPTY_VECTOR;
          const sorted = Int32Array.from(new Set(indices)).sort();
          return { indices: sorted, values: new Float32Array(sorted.length).fill(1) };
        });
        message.features.push({ alias, kind: 'lexical', size: index.size, sentence: null, tokens });
      },
    };
  },
};
