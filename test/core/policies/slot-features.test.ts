import { describe, expect, it } from 'vitest';
import { slotFeatureDimension, slotFeatures } from '../../../src/core/policies/slot-features.js';
import type { SlotDefinition } from '../../../src/shared/domain.js';

const slot = (type: SlotDefinition['type'], extra: Partial<SlotDefinition> = {}): SlotDefinition => ({
  name: 'x',
  type,
  influenceConversation: true,
  initialValue: null,
  mappings: [],
  ...extra,
});

describe('slotFeatures', () => {
  it('featurises a text slot as set or not', () => {
    expect(slotFeatures(slot('text'), 'anything')).toEqual([1]);
    expect(slotFeatures(slot('text'), '')).toEqual([1]);
    expect(slotFeatures(slot('text'), null)).toEqual([0]);
  });

  it('tells an unset bool slot apart from false', () => {
    expect(slotFeatures(slot('bool'), true)).toEqual([1, 1]);
    expect(slotFeatures(slot('bool'), false)).toEqual([1, 0]);
    expect(slotFeatures(slot('bool'), 'TRUE')).toEqual([1, 1]);
    expect(slotFeatures(slot('bool'), null)).toEqual([0, 0]);
    expect(slotFeatures(slot('bool'), 'maybe')).toEqual([0, 0]);
  });

  it('one-hot encodes categorical values case-insensitively, unknown ones as __other__', () => {
    const size = slot('categorical', { values: ['small', 'large'] });
    expect(slotFeatures(size, 'Large')).toEqual([0, 1, 0]);
    expect(slotFeatures(size, 'medium')).toEqual([0, 0, 1]);
    expect(slotFeatures(size, null)).toEqual([0, 0, 0]);
    expect(slotFeatures(slot('categorical', { values: ['true'] }), true)).toEqual([1, 0]);
  });

  it('scales a float slot into its range and clamps it', () => {
    const people = slot('float', { minValue: 0, maxValue: 10 });
    expect(slotFeatures(people, 5)).toEqual([1, 0.5]);
    expect(slotFeatures(people, 50)).toEqual([1, 1]);
    expect(slotFeatures(people, '2.5')).toEqual([1, 0.25]);
    expect(slotFeatures(slot('float'), 0.3)).toEqual([1, 0.3]);
    expect(slotFeatures(people, 'lots')).toEqual([0, 0]);
  });

  it('featurises a list slot as non-empty or not', () => {
    expect(slotFeatures(slot('list'), ['a'])).toEqual([1]);
    expect(slotFeatures(slot('list'), [])).toEqual([0]);
  });

  it('gives no features to any slots and to slots that do not influence the conversation', () => {
    expect(slotFeatureDimension(slot('any'))).toBe(0);
    expect(slotFeatureDimension(slot('text', { influenceConversation: false }))).toBe(0);
    expect(slotFeatures(slot('text', { influenceConversation: false }), 'x')).toEqual([]);
  });
});
