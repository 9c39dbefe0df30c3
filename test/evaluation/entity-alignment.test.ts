import { describe, expect, it } from 'vitest';
import { alignEntities, cleanEntities, sameEntitySets } from '../../src/evaluation/entity-alignment.js';

describe('entity comparison', () => {
  const text = 'afghan food for 2';
  const gold = cleanEntities(text, [{ entity: 'cuisine', value: 'afghan', start: 0, end: 6 }], false);

  it('treats predicted values as strings and ignores extractor details', () => {
    const predicted = cleanEntities(text, [{ entity: 'cuisine', value: 'afghan', start: 0, end: 6, extractor: 'CRFEntityExtractor', confidence_entity: 0.9 }], true);
    expect(sameEntitySets(gold, predicted)).toBe(true);
    expect(cleanEntities(text, [{ entity: 'number', value: 2, start: 16, end: 17 }], true)[0].value).toBe('2');
  });

  it('lines up targets and predictions by position, with None for a miss', () => {
    const predicted = cleanEntities(text, [{ entity: 'number', value: 2, start: 16, end: 17 }], true);
    expect(sameEntitySets(gold, predicted)).toBe(false);
    expect(alignEntities(gold, predicted)).toEqual({
      targets: ['[afghan](cuisine)', 'None'],
      predictions: ['None', '[2](number)'],
    });
  });

  it('writes a value that differs from the text in the JSON form', () => {
    const synonym = cleanEntities('veggie', [{ entity: 'cuisine', value: 'vegetarian', start: 0, end: 6 }], false);
    expect(alignEntities(synonym, synonym).targets).toEqual(['[veggie]{"entity": "cuisine", "value": "vegetarian"}']);
  });
});
