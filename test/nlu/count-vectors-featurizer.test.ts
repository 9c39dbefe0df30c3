import { describe, expect, it } from 'vitest';
import { CountVectorizer, countVectorsSettings, learnVocabulary, ngramsOf } from '../../src/nlu/count-vectors-featurizer.js';
import { createMessage } from '../../src/nlu/message.js';
import { tokenize } from '../../src/nlu/tokenizer.js';

function messages(...texts: string[]) {
  return texts.map((text) => {
    const message = createMessage(text);
    message.tokens = tokenize(text);
    return message;
  });
}

describe('ngramsOf', () => {
  it('makes word n-grams from the words inside tokens', () => {
    const settings = countVectorsSettings({ analyzer: 'word', min_ngram: 1, max_ngram: 2 });
    expect(ngramsOf('bye-bye now', settings)).toEqual(['bye', 'bye', 'now', 'bye bye', 'bye now']);
  });

  it('pads each word with spaces for char_wb and counts a short word once', () => {
    const settings = countVectorsSettings({ analyzer: 'char_wb', min_ngram: 2, max_ngram: 3 });
    expect(ngramsOf('hi a', settings)).toEqual([' h', 'hi', 'i ', ' hi', 'hi ', ' a', 'a ', ' a ']);
  });

  it('runs char n-grams across word boundaries for the char analyzer', () => {
    const settings = countVectorsSettings({ analyzer: 'char', min_ngram: 3, max_ngram: 3 });
    expect(ngramsOf('ab  cd', settings)).toEqual(['ab ', 'b c', ' cd']);
  });
});

describe('learnVocabulary', () => {
  it('lower-cases and sorts the vocabulary', () => {
    const settings = countVectorsSettings({});
    expect(learnVocabulary(messages('Hello there', 'hello World'), settings, {})).toEqual(['hello', 'there', 'world']);
  });

  it('applies min_df as a document count and max_df as a proportion', () => {
    const data = messages('a b', 'a c', 'a b d');
    const settings = countVectorsSettings({});
    expect(learnVocabulary(data, settings, { min_df: 2 })).toEqual(['a', 'b']);
    expect(learnVocabulary(data, settings, { max_df: 0.9 })).toEqual(['b', 'c', 'd']);
  });

  it('keeps the most frequent terms under max_features', () => {
    const settings = countVectorsSettings({});
    expect(learnVocabulary(messages('x y y z z z'), settings, { max_features: 2 })).toEqual(['y', 'z']);
  });
});

describe('CountVectorizer', () => {
  it('counts sentence n-grams and each token\'s own n-grams', () => {
    const settings = countVectorsSettings({ analyzer: 'word', max_ngram: 2 });
    const vocabulary = learnVocabulary(messages('good morning', 'good night'), settings, {});
    const vectorizer = new CountVectorizer(vocabulary, settings);
    const features = vectorizer.featurize(tokenize('Good good morning'));
    const index = (gram: string) => vocabulary.indexOf(gram);
    expect([...features.sentence.indices]).toEqual([index('good'), index('good morning'), index('morning')].sort((a, b) => a - b));
    expect(features.sentence.values[[...features.sentence.indices].indexOf(index('good'))]).toBe(2);
    expect(features.tokens.map((token) => [...token.indices])).toEqual([[index('good')], [index('good')], [index('morning')]]);
  });

  it('gives char_wb sentence vectors equal to the n-gram counts of the whole text, also for repeated and accented words', () => {
    const settings = countVectorsSettings({ analyzer: 'char_wb', min_ngram: 1, max_ngram: 4, strip_accents: 'unicode' });
    const train = messages('Café au lait au café', 'ab ab ab', 'a¨b');
    const vocabulary = learnVocabulary(train, settings, {});
    const vectorizer = new CountVectorizer(vocabulary, settings);
    for (const message of [...train, ...messages('lait lait café', 'zz au')]) {
      const { sentence } = vectorizer.featurize(message.tokens ?? []);
      const expected = new Map<number, number>();
      const text = (message.tokens ?? []).map((token) => token.text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')).join(' ');
      for (const gram of ngramsOf(text, settings)) {
        const index = vocabulary.indexOf(gram);
        if (index >= 0) expected.set(index, (expected.get(index) ?? 0) + 1);
      }
      const entries = [...expected.entries()].sort((a, b) => a[0] - b[0]);
      expect([...sentence.indices]).toEqual(entries.map(([index]) => index));
      expect([...sentence.values]).toEqual(entries.map(([, count]) => count));
    }
  });

  it('maps unknown words to the OOV token', () => {
    const settings = countVectorsSettings({ OOV_token: 'oov', OOV_words: ['dude'] });
    const vocabulary = learnVocabulary(messages('hey dude', 'hello'), settings, {});
    expect(vocabulary).toEqual(['hello', 'hey', 'oov']);
    const features = new CountVectorizer(vocabulary, settings).featurize(tokenize('hey stranger'));
    expect([...features.tokens[1].indices]).toEqual([vocabulary.indexOf('oov')]);
  });
});
