/**
 * CountVectorsFeaturizer: bag of word or character n-grams over a vocabulary learnt from the
 * training texts (scikit-learn's CountVectorizer semantics, which Rasa wraps). Adds a sentence
 * vector (n-grams of the whole text) and one vector per token (n-grams of that token).
 */
import type { ComponentDefinition, ComponentOptions } from './component.js';
import { booleanOption, numberOption, stringOption } from './component.js';
import type { FeatureBlock, NluMessage, SparseVector, Token } from './message.js';
import { vectorFromCounts } from './message.js';

export type Analyzer = 'word' | 'char' | 'char_wb';

export interface CountVectorsSettings {
  analyzer: Analyzer;
  minNgram: number;
  maxNgram: number;
  lowercase: boolean;
  stripAccents: boolean;
  stopWords: ReadonlySet<string>;
  oovToken: string | null;
  oovWords: ReadonlySet<string>;
}

export interface CountVectorsData {
  vocabulary: string[];
}

const SUBWORD = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}]+/gu;

export function countVectorsSettings(options: ComponentOptions): CountVectorsSettings {
  const analyzer = stringOption(options, 'analyzer');
  const minNgram = Math.max(1, Math.floor(numberOption(options, 'min_ngram', 1)));
  const lowercase = booleanOption(options, 'lowercase', true);
  const normalise = (word: string): string => (lowercase ? word.toLowerCase() : word);
  return {
    analyzer: analyzer === 'char' || analyzer === 'char_wb' ? analyzer : 'word',
    minNgram,
    maxNgram: Math.max(minNgram, Math.floor(numberOption(options, 'max_ngram', 1))),
    lowercase,
    stripAccents: options.strip_accents === 'ascii' || options.strip_accents === 'unicode',
    stopWords: new Set(Array.isArray(options.stop_words) ? options.stop_words.map(String).map(normalise) : []),
    oovToken: stringOption(options, 'OOV_token'),
    oovWords: new Set(Array.isArray(options.OOV_words) ? options.OOV_words.map(String).map(normalise) : []),
  };
}

/** Token texts after lower-casing and accent stripping, before any OOV replacement. */
function normaliseTokens(tokens: readonly Token[], settings: CountVectorsSettings): string[] {
  return tokens.map((token) => {
    let text = settings.lowercase ? token.text.toLowerCase() : token.text;
    if (settings.stripAccents) text = text.normalize('NFKD').replace(/\p{M}/gu, '');
    return text;
  });
}

function subwords(text: string, settings: CountVectorsSettings): string[] {
  const words = text.match(SUBWORD) ?? [];
  return settings.stopWords.size === 0 ? words : words.filter((word) => !settings.stopWords.has(word));
}

function wordNgrams(words: readonly string[], settings: CountVectorsSettings, out: string[]): void {
  for (let n = settings.minNgram; n <= settings.maxNgram; n++) {
    for (let i = 0; i + n <= words.length; i++) out.push(n === 1 ? words[i] : words.slice(i, i + n).join(' '));
  }
}

/** Character n-grams inside each word padded with one space, as scikit-learn's char_wb. */
function charWbNgrams(text: string, settings: CountVectorsSettings, out: string[]): void {
  for (const word of text.split(/\s+/u)) {
    if (word === '') continue;
    const padded = ` ${word} `;
    for (let n = settings.minNgram; n <= settings.maxNgram; n++) {
      if (padded.length <= n) {
        out.push(padded);
        break;
      }
      for (let i = 0; i + n <= padded.length; i++) out.push(padded.slice(i, i + n));
    }
  }
}

function charNgrams(text: string, settings: CountVectorsSettings, out: string[]): void {
  const normalised = text.replace(/\s+/gu, ' ');
  for (let n = settings.minNgram; n <= settings.maxNgram; n++) {
    for (let i = 0; i + n <= normalised.length; i++) out.push(normalised.slice(i, i + n));
  }
}

/** The n-grams of a piece of text (a token, or tokens joined by spaces). */
export function ngramsOf(text: string, settings: CountVectorsSettings): string[] {
  const out: string[] = [];
  if (settings.analyzer === 'word') wordNgrams(subwords(text, settings), settings, out);
  else if (settings.analyzer === 'char_wb') charWbNgrams(text, settings, out);
  else charNgrams(text, settings, out);
  return out;
}

/** Replaces out-of-vocabulary tokens by the OOV token (word analyzer only, as Rasa does). */
function withOov(
  words: string[],
  settings: CountVectorsSettings,
  isKnown: ((word: string) => boolean) | null,
): string[] {
  const oov = settings.oovToken;
  if (oov === null || settings.analyzer !== 'word') return words;
  const token = settings.lowercase ? oov.toLowerCase() : oov;
  return words.map((word) => {
    if (settings.oovWords.has(word)) return token;
    if (isKnown !== null && !isKnown(word)) return token;
    return word;
  });
}

export function learnVocabulary(
  messages: readonly NluMessage[],
  settings: CountVectorsSettings,
  options: ComponentOptions,
): string[] {
  const documentFrequency = new Map<string, number>();
  const termFrequency = new Map<string, number>();
  let documents = 0;
  for (const message of messages) {
    if (message.tokens === null || message.tokens.length === 0) continue;
    documents++;
    const words = withOov(normaliseTokens(message.tokens, settings), settings, null);
    const grams = ngramsOf(words.join(' '), settings);
    for (const gram of grams) termFrequency.set(gram, (termFrequency.get(gram) ?? 0) + 1);
    for (const gram of new Set(grams)) documentFrequency.set(gram, (documentFrequency.get(gram) ?? 0) + 1);
  }
  // scikit-learn reads an integer as a document count and a float as a proportion; YAML loses
  // that difference, so a min_df below 1 and a max_df up to 1 are read as proportions.
  const minDfOption = numberOption(options, 'min_df', 1);
  const maxDfOption = numberOption(options, 'max_df', 1);
  const minDf = minDfOption < 1 ? minDfOption * documents : minDfOption;
  const maxDf = maxDfOption <= 1 ? maxDfOption * documents : maxDfOption;
  let vocabulary = [...documentFrequency.entries()]
    .filter(([, count]) => count >= minDf && count <= maxDf)
    .map(([gram]) => gram);
  const maxFeatures = options.max_features;
  if (typeof maxFeatures === 'number' && maxFeatures > 0 && vocabulary.length > maxFeatures) {
    vocabulary = vocabulary
      .sort((a, b) => (termFrequency.get(b) ?? 0) - (termFrequency.get(a) ?? 0) || compareStrings(a, b))
      .slice(0, maxFeatures);
  }
  if (settings.oovToken !== null && settings.analyzer === 'word') {
    const token = settings.lowercase ? settings.oovToken.toLowerCase() : settings.oovToken;
    if (!vocabulary.includes(token)) vocabulary.push(token);
  }
  return vocabulary.sort(compareStrings);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class CountVectorizer {
  readonly size: number;
  readonly #settings: CountVectorsSettings;
  readonly #index: Map<string, number>;

  constructor(vocabulary: readonly string[], settings: CountVectorsSettings) {
    this.size = vocabulary.length;
    this.#settings = settings;
    this.#index = new Map(vocabulary.map((gram, index) => [gram, index]));
  }

  /** Sentence and per-token count vectors for the given tokens. */
  featurize(tokens: readonly Token[]): { sentence: SparseVector; tokens: SparseVector[] } {
    const settings = this.#settings;
    const isKnown = (word: string): boolean => subwords(word, settings).every((part) => this.#index.has(part));
    const words = withOov(normaliseTokens(tokens, settings), settings, isKnown);
    if (settings.analyzer === 'char_wb' && !words.some((word) => /\s/u.test(word))) {
      // char_wb n-grams never cross a space, so the sentence's n-grams are exactly its tokens':
      // count each token's once and add them up instead of generating every n-gram twice.
      const sentence = new Map<number, number>();
      const vectors = words.map((word) => {
        const counts = this.#count(ngramsOf(word, settings), new Map());
        for (const [index, count] of counts) sentence.set(index, (sentence.get(index) ?? 0) + count);
        return vectorFromCounts(counts);
      });
      return { sentence: vectorFromCounts(sentence), tokens: vectors };
    }
    return {
      sentence: vectorFromCounts(this.#count(ngramsOf(words.join(' '), settings), new Map())),
      tokens: words.map((word) => vectorFromCounts(this.#count(ngramsOf(word, settings), new Map()))),
    };
  }

  #count(grams: readonly string[], counts: Map<number, number>): Map<number, number> {
    for (const gram of grams) {
      const index = this.#index.get(gram);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    return counts;
  }
}

function aliasOf(options: ComponentOptions, fallback: string): string {
  return stringOption(options, 'alias') ?? fallback;
}

export const countVectorsFeaturizer: ComponentDefinition<CountVectorsData> = {
  name: 'CountVectorsFeaturizer',
  kind: 'featurizer',
  defaults: {
    analyzer: 'word',
    min_ngram: 1,
    max_ngram: 1,
    lowercase: true,
    min_df: 1,
    max_df: 1.0,
    max_features: null,
    stop_words: null,
    strip_accents: null,
    OOV_token: null,
    OOV_words: [],
    use_shared_vocab: false,
    use_lemma: true,
    additional_vocabulary_size: null,
    alias: null,
  },
  train(context) {
    const settings = countVectorsSettings(context.options);
    if (context.options.stop_words === 'english') {
      context.logger.warn(
        "CountVectorsFeaturizer: `stop_words: english` needs scikit-learn's word list, which Parley does not ship; " +
          'list the stop words explicitly instead. No stop words are removed.',
      );
    }
    const vocabulary = learnVocabulary(context.messages, settings, context.options);
    context.logger.debug({ analyzer: settings.analyzer, size: vocabulary.length }, 'nlu.count_vectors.vocabulary');
    return { vocabulary };
  },
  load(data, context) {
    const vectorizer = new CountVectorizer(data.vocabulary, countVectorsSettings(context.options));
    const alias = aliasOf(context.options, 'CountVectorsFeaturizer');
    return {
      process(message: NluMessage) {
        if (vectorizer.size === 0 || message.tokens === null) return;
        const features = vectorizer.featurize(message.tokens);
        const block: FeatureBlock = {
          alias,
          kind: 'count-vectors',
          size: vectorizer.size,
          sentence: features.sentence,
          tokens: features.tokens,
        };
        message.features.push(block);
      },
    };
  },
};
