import { describe, expect, it } from 'vitest';
import { isLower, isTitle, isUpper, lexicalFeatureStrings } from '../../src/nlu/lexical-syntactic-featurizer.js';
import { tokenize } from '../../src/nlu/tokenizer.js';

describe('case tests', () => {
  it("follow Python's str.islower, isupper and istitle", () => {
    expect([isLower('hello'), isLower('Hello'), isLower('123')]).toEqual([true, false, false]);
    expect([isUpper('NASA'), isUpper('NaSA'), isUpper('42')]).toEqual([true, false, false]);
    expect(['Hello', 'Hello World', '1St', 'HELLO', 'HelloWorld', 'hello'].map(isTitle)).toEqual([true, true, true, false, false, false]);
  });
});

describe('lexicalFeatureStrings', () => {
  it('describes each token and its neighbours by window position', () => {
    const strings = lexicalFeatureStrings(tokenize('Hi BOB 42'), [['upper'], ['BOS', 'digit'], ['title']]);
    expect(strings[0]).toEqual(['0:BOS:true', '0:digit:false', '1:title:false']);
    expect(strings[1]).toEqual(['-1:upper:false', '0:BOS:false', '0:digit:false', '1:title:false']);
    expect(strings[2]).toEqual(['-1:upper:true', '0:BOS:false', '0:digit:true']);
  });
});
