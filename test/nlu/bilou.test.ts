import { describe, expect, it } from 'vitest';
import type { TagScheme } from '../../src/nlu/bilou.js';
import { labelKey, spansFromTags, tagConstraints, tagCount, tagsForEntities } from '../../src/nlu/bilou.js';
import { tokenize } from '../../src/nlu/tokenizer.js';

const scheme: TagScheme = { labels: [{ entity: 'city' }, { entity: 'city', role: 'to' }], bilou: true };
const labelIndex = new Map(scheme.labels.map((label, index) => [labelKey(label), index]));

describe('tagsForEntities', () => {
  it('tags one-token entities U and longer ones B, I…, L, with the role as part of the label', () => {
    const text = 'from new york city to rome';
    const tokens = tokenize(text);
    const { tags, skipped } = tagsForEntities(
      tokens,
      [
        { entity: 'city', value: 'new york city', start: 5, end: 18 },
        { entity: 'city', role: 'to', value: 'rome', start: 22, end: 26 },
      ],
      scheme,
      labelIndex,
    );
    // tags: 0 = O; label 0 → 1..4 (B, I, L, U); label 1 → 5..8.
    expect([...tags]).toEqual([0, 1, 2, 3, 0, 8]);
    expect(skipped).toBe(0);
  });

  it('skips an annotation that covers no token or overlaps an earlier one', () => {
    const tokens = tokenize('to rome');
    const { tags, skipped } = tagsForEntities(
      tokens,
      [
        { entity: 'city', value: 'rome', start: 3, end: 7 },
        { entity: 'city', role: 'to', value: 'rome', start: 3, end: 7 },
        { entity: 'city', value: 'x', start: 20, end: 21 },
      ],
      scheme,
      labelIndex,
    );
    expect([...tags]).toEqual([0, 4]);
    expect(skipped).toBe(2);
  });
});

describe('spansFromTags', () => {
  it('turns BILOU tags back into token ranges', () => {
    const text = 'new york and rome';
    const spans = spansFromTags(Int32Array.from([1, 3, 0, 8]), tokenize(text), text, scheme, () => true);
    expect(spans).toEqual([
      { label: 0, first: 0, last: 1 },
      { label: 1, first: 3, last: 3 },
    ]);
  });

  it('splits an entity at a comma when split_entities_by_comma is on', () => {
    const text = 'paris, rome, oslo';
    const tags = Int32Array.from([1, 2, 3]);
    expect(spansFromTags(tags, tokenize(text), text, scheme, () => true)).toHaveLength(3);
    expect(spansFromTags(tags, tokenize(text), text, scheme, () => false)).toEqual([{ label: 0, first: 0, last: 2 }]);
  });
});

describe('tagConstraints', () => {
  it('only allows I/L after B/I of the same label and forbids ending inside an entity', () => {
    const constraints = tagConstraints(scheme);
    const count = tagCount(scheme);
    const allowed = (from: number, to: number) => constraints.allowed[from * count + to] === 1;
    expect(allowed(1, 2)).toBe(true); // B-city → I-city
    expect(allowed(1, 7)).toBe(false); // B-city → L-city#to
    expect(allowed(0, 2)).toBe(false); // O → I-city
    expect(allowed(4, 5)).toBe(true); // U-city → B-city#to
    expect(constraints.allowedStart[3]).toBe(0); // L cannot start
    expect(constraints.allowedEnd[1]).toBe(0); // B cannot end
  });

  it('allows one entity to follow another directly only when the training data shows it', () => {
    const count = tagCount(scheme);
    const constraints = tagConstraints(scheme, [Int32Array.from([0, 4, 8])]);
    expect(constraints.allowed[4 * count + 8]).toBe(1); // U-city → U-city#to was seen
    expect(constraints.allowed[8 * count + 4]).toBe(0); // U-city#to → U-city was not
    expect(constraints.allowed[4 * count + 0]).toBe(1); // entity → O always
  });
});
