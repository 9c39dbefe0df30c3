import { describe, expect, it } from 'vitest';
import { alignEntityResult, NO_ENTITY, whitespaceTokens } from '../../src/evaluation/nlu-entity-alignment.js';

const text = 'fly from new york to berlin';
const tokens = whitespaceTokens(text);

describe('whitespaceTokens', () => {
  it('gives the character span of every word', () => {
    expect(tokens).toEqual([[0, 3], [4, 8], [9, 12], [13, 17], [18, 20], [21, 27]]);
  });
});

describe('alignEntityResult', () => {
  it('labels every token with the entity covering it, per extractor, and no_entity elsewhere', () => {
    const aligned = alignEntityResult(
      {
        text,
        tokens,
        targets: [
          { entity: 'city', value: 'new york', start: 9, end: 17, role: 'from' },
          { entity: 'city', value: 'berlin', start: 21, end: 27, role: 'to' },
        ],
        predictions: [
          { entity: 'city', value: 'new york', start: 9, end: 17, role: 'from', extractor: 'DIETClassifier', confidence_entity: 0.9, confidence_role: 0.6 },
          { entity: 'city', value: 'berlin', start: 21, end: 27, extractor: 'RegexEntityExtractor' },
        ],
      },
      ['DIETClassifier', 'RegexEntityExtractor'],
    );
    expect(aligned.targetLabels).toEqual([NO_ENTITY, NO_ENTITY, 'city.from', 'city.from', NO_ENTITY, 'city.to']);
    expect(aligned.extractorLabels.DIETClassifier).toEqual([NO_ENTITY, NO_ENTITY, 'city.from', 'city.from', NO_ENTITY, NO_ENTITY]);
    expect(aligned.extractorLabels.RegexEntityExtractor).toEqual([NO_ENTITY, NO_ENTITY, NO_ENTITY, NO_ENTITY, NO_ENTITY, 'city']);
    // The lowest of type and role confidence; extractors without confidences count 0.
    expect(aligned.confidences.DIETClassifier.slice(2, 4)).toEqual([0.6, 0.6]);
    expect(aligned.confidences.RegexEntityExtractor[5]).toBe(0);
  });

  it('joins type, group and role with dots in Rasa\'s order', () => {
    const aligned = alignEntityResult(
      { text: 'two pizzas', tokens: whitespaceTokens('two pizzas'), targets: [{ entity: 'food', value: 'pizzas', start: 4, end: 10, group: '1', role: 'main' }], predictions: [] },
      [],
    );
    expect(aligned.targetLabels).toEqual([NO_ENTITY, 'food.1.main']);
  });

  it('gives a token that crosses two entities the one it shares most characters with', () => {
    const aligned = alignEntityResult(
      {
        text: 'abcdef',
        tokens: [[0, 6]],
        targets: [
          { entity: 'short', value: 'ab', start: 0, end: 2 },
          { entity: 'long', value: 'cdef', start: 2, end: 6 },
        ],
        predictions: [],
      },
      [],
    );
    expect(aligned.targetLabels).toEqual(['long']);
  });

  it('ignores entities of components that are not scored', () => {
    const aligned = alignEntityResult(
      { text: 'hi', tokens: [[0, 2]], targets: [], predictions: [{ entity: 'x', value: 'hi', start: 0, end: 2, extractor: 'RegexMessageHandler' }] },
      ['DIETClassifier'],
    );
    expect(aligned.extractorLabels).toEqual({ DIETClassifier: [NO_ENTITY] });
  });
});
