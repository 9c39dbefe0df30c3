import { describe, expect, it } from 'vitest';
import { assignOwn, clonePlainValue } from '../../src/core/plain-values.js';
import { userUttered } from '../../src/core/events.js';
import { botMessageFromEvent } from '../../src/core/nlg.js';

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

describe('assignOwn', () => {
  it('copies own properties as a spread does, `__proto__` from JSON as a plain key, and skips undefined when asked', () => {
    const source = JSON.parse('{"a": 1, "__proto__": {"polluted": true}, "b": null}') as Record<string, unknown>;
    const target: Record<string, unknown> = { a: 0, c: 3 };
    assignOwn(target, source);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(target).toEqual({ ...{ a: 0, c: 3 }, ...source });
    expect(Object.keys(target)).toEqual(['a', 'c', '__proto__', 'b']);
    expect((target as { polluted?: unknown }).polluted).toBeUndefined();
    const skipping: Record<string, unknown> = { a: 0 };
    assignOwn(skipping, { a: undefined, b: 2 }, true);
    expect(skipping).toEqual({ a: 0, b: 2 });
  });

  it('keeps `__proto__` keys of parse data and bot metadata as plain keys on the events and messages built per turn', () => {
    const parseData = JSON.parse('{"intent": {"name": "greet", "confidence": 1}, "__proto__": {"x": 1}}') as Record<string, unknown>;
    const event = userUttered({ text: 'hi', parseData });
    expect(Object.getPrototypeOf(event.parse_data)).toBe(Object.prototype);
    expect(Object.keys(event.parse_data)).toContain('__proto__');
    const message = botMessageFromEvent({ event: 'bot', timestamp: 1, text: 'hey', data: {}, metadata: JSON.parse('{"__proto__": {"y": 2}}') } as never);
    expect(Object.getPrototypeOf(message)).toBe(Object.prototype);
    expect((message as { y?: unknown }).y).toBeUndefined();
  });
});

