import { describe, expect, it } from 'vitest';
import { tokenize, tokenizerSettings } from '../../src/nlu/tokenizer.js';

const spans = (text: string, pattern: string | null = null) =>
  tokenize(text, tokenizerSettings({ token_pattern: pattern })).map((token) => [token.text, token.start, token.end]);

describe('tokenize', () => {
  it('splits at whitespace with character offsets into the original text', () => {
    expect(spans('  hello   there ')).toEqual([
      ['hello', 2, 7],
      ['there', 10, 15],
    ]);
  });

  it('drops punctuation at word edges and splits at apostrophes between letters', () => {
    expect(spans("I'm here, ok?!")).toEqual([
      ['I', 0, 1],
      ['m', 2, 3],
      ['here', 4, 8],
      ['ok', 10, 12],
    ]);
  });

  it('keeps numbers, e-mail addresses, URLs and hyphenated words whole', () => {
    expect(spans("10'000.00 to blabla@gmail.com via http://x.com/a?b=1 bye-bye")).toEqual([
      ["10'000.00", 0, 9],
      ['to', 10, 12],
      ['blabla@gmail.com', 13, 29],
      ['via', 30, 33],
      ['http://x.com/a?b=1', 34, 52],
      ['bye-bye', 53, 60],
    ]);
  });

  it('removes emoji-only tokens but keeps a text made only of punctuation as one token', () => {
    expect(spans('hi 😀 there')).toEqual([
      ['hi', 0, 2],
      ['there', 6, 11],
    ]);
    expect(spans(':)')).toEqual([[':)', 0, 2]]);
  });

  it('keeps non-ASCII words intact', () => {
    expect(spans('über straße')).toEqual([
      ['über', 0, 4],
      ['straße', 5, 11],
    ]);
  });

  it('gives no tokens for empty or blank text', () => {
    expect(spans('')).toEqual([]);
    expect(spans('   ')).toEqual([]);
  });

  it('splits tokens further by token_pattern, keeping offsets', () => {
    expect(spans('ab-cd ef', '[a-z]+')).toEqual([
      ['ab', 0, 2],
      ['cd', 3, 5],
      ['ef', 6, 8],
    ]);
  });
});
