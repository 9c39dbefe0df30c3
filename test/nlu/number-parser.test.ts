import { describe, expect, it } from 'vitest';
import { numberEntities } from '../../src/nlu/duckling-entity-extractor.js';
import { findNumbers } from '../../src/nlu/number-parser.js';

const values = (text: string) => findNumbers(text).map((match) => [match.text, match.value]);

describe('findNumbers', () => {
  it('reads digits, decimals, thousands separators and signs', () => {
    expect(values('4')).toEqual([['4', 4]]);
    expect(values('3.5 stars and 1,200 people, -3 or .5')).toEqual([
      ['3.5', 3.5],
      ['1,200', 1200],
      ['-3', -3],
      ['.5', 0.5],
    ]);
  });

  it('reads English number words', () => {
    expect(values('for two people')).toEqual([['two', 2]]);
    expect(values('twenty one guests, twenty-one seats')).toEqual([
      ['twenty one', 21],
      ['twenty-one', 21],
    ]);
    expect(values('one hundred and five')).toEqual([['one hundred and five', 105]]);
    expect(values('two thousand three hundred and forty five')).toEqual([['two thousand three hundred and forty five', 2345]]);
  });

  it('reads dozens, couples and multiplied digits', () => {
    expect(values('a dozen eggs')).toEqual([['a dozen', 12]]);
    expect(values('two dozen')).toEqual([['two dozen', 24]]);
    expect(values('a couple of days')).toEqual([['a couple', 2]]);
    expect(values('5 thousand')).toEqual([['5 thousand', 5000]]);
  });

  it('keeps separate numbers apart and ignores words that are no numbers', () => {
    expect(values('one two three')).toEqual([
      ['one', 1],
      ['two', 2],
      ['three', 3],
    ]);
    expect(values('a table and a chair')).toEqual([]);
    expect(values('version 1.2.3')).toEqual([]);
  });
});

describe('numberEntities', () => {
  it("gives Duckling's entity shape", () => {
    expect(numberEntities('for two people')).toEqual([
      {
        start: 4,
        end: 7,
        text: 'two',
        value: 2,
        confidence: 1,
        additional_info: { value: 2, type: 'value' },
        entity: 'number',
        extractor: 'DucklingEntityExtractor',
      },
    ]);
  });
});
