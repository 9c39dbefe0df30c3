import { describe, expect, it } from 'vitest';
import { overlapping, segmentText, trimSpan, wordSpans } from '../../review-ui/src/entity-spans.js';

describe('segmentText', () => {
  it('gives the whole text as one plain part when there are no entities', () => {
    expect(segmentText('hello', [])).toEqual([{ text: 'hello', entity: null }]);
    expect(segmentText('', [])).toEqual([{ text: '', entity: null }]);
  });

  it('skips entities without offsets, outside the text, or overlapping an earlier one', () => {
    const segments = segmentText('from Oslo to Rome', [
      { entity: 'city', value: 'Rome', start: 13, end: 17 },
      { entity: 'city', value: 'Oslo', start: 5, end: 9 },
      { entity: 'place', value: 'Oslo to', start: 5, end: 12 },
      { entity: 'time', value: 'now' },
      { entity: 'city', value: 'x', start: 15, end: 40 },
    ]);
    expect(segments).toEqual([
      { text: 'from ', entity: null },
      { text: 'Oslo to', entity: { name: 'place', role: null, group: null } },
      { text: ' ', entity: null },
      { text: 'Rome', entity: { name: 'city', role: null, group: null } },
    ]);
  });
});

describe('trimSpan and overlapping', () => {
  it('trims white space off a selection made backwards', () => {
    expect(trimSpan('fly to  Rome ', 13, 6)).toEqual({ start: 8, end: 12 });
    expect(trimSpan('a  b', 1, 3)).toBeNull();
  });

  it('finds an annotation sharing any character, not one that only touches', () => {
    const marked = [{ start: 4, end: 8, entity: 'city' }];
    expect(overlapping(marked, 7, 10)).toBe(marked[0]);
    expect(overlapping(marked, 8, 10)).toBeUndefined();
  });
});

describe('wordSpans', () => {
  it("keeps inner apostrophes, hyphens and dots in a word and splits off other punctuation", () => {
    expect(wordSpans("I don't feel so-so, über 3.5!").map((word) => word.text)).toEqual(['I', "don't", 'feel', 'so-so', ',', 'über', '3.5', '!']);
    expect(wordSpans('  hi there')).toEqual([
      { start: 2, end: 4, text: 'hi' },
      { start: 5, end: 10, text: 'there' },
    ]);
  });
});
