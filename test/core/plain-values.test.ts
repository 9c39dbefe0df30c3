import { describe, expect, it } from 'vitest';
import { clonePlainValue } from '../../src/core/plain-values.js';

describe('clonePlainValue', () => {
  it('deep-copies plain data so that changing the copy leaves the original alone', () => {
    const original = { text: 'hi {name}', buttons: [{ title: 'a', payload: '/a' }], custom: { nested: [1, null, true] }, empty: undefined };
    const copy = clonePlainValue(original);
    expect(copy).toEqual(original);
    expect(Object.keys(copy)).toEqual(Object.keys(original));
    copy.buttons[0].title = 'changed';
    copy.custom.nested.push(2);
    expect(original.buttons[0].title).toBe('a');
    expect(original.custom.nested).toEqual([1, null, true]);
  });

  it('returns primitives as they are and leaves other objects to structuredClone', () => {
    expect(clonePlainValue('x')).toBe('x');
    expect(clonePlainValue(null)).toBeNull();
    const date = new Date(0);
    const copied = clonePlainValue({ when: date }).when;
    expect(copied).toEqual(date);
    expect(copied).not.toBe(date);
  });
});
