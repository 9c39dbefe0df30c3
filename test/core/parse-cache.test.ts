import { describe, expect, it } from 'vitest';
import { ParseCache } from '../../src/core/parse-cache.js';
import type { NluInterpreter, ParseResult } from '../../src/shared/nlu.js';

/** An interpreter that counts its calls and answers `greet` with the text's length as confidence. */
function countingInterpreter(): NluInterpreter & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    parse(text: string): ParseResult {
      calls.push(text);
      return {
        text,
        intent: { name: 'greet', confidence: text.length / 100 },
        entities: [{ entity: 'name', value: 'Ann', start: 0, end: 3 }],
        intent_ranking: [{ name: 'greet', confidence: text.length / 100 }],
      } as ParseResult;
    },
  };
}

describe('ParseCache', () => {
  it('parses an exact repeat once and gives equal, independent results', () => {
    const interpreter = countingInterpreter();
    const cache = new ParseCache(interpreter, 10);
    const first = cache.parse('hi');
    const second = cache.parse('hi');
    expect(second).toEqual(first);
    expect(interpreter.calls).toEqual(['hi']);
    second.entities.push({ entity: 'x', value: 1, start: 0, end: 1 });
    (second.intent as { name: string }).name = 'changed';
    expect(cache.parse('hi')).toEqual(first);
    expect(first.intent.name).toBe('greet');
  });

  it('drops the least recently used text beyond its capacity', () => {
    const interpreter = countingInterpreter();
    const cache = new ParseCache(interpreter, 2);
    cache.parse('a');
    cache.parse('b');
    cache.parse('a');
    cache.parse('c');
    expect(cache.size).toBe(2);
    cache.parse('a');
    cache.parse('b');
    expect(interpreter.calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('parses intent shortcuts, long texts and everything when turned off every time', () => {
    const interpreter = countingInterpreter();
    const cache = new ParseCache(interpreter, 10);
    const long = 'x'.repeat(201);
    for (let round = 0; round < 2; round++) {
      cache.parse('/greet');
      cache.parse(long);
    }
    expect(interpreter.calls).toEqual(['/greet', long, '/greet', long]);
    const off = new ParseCache(interpreter, 0);
    off.parse('hi');
    off.parse('hi');
    expect(interpreter.calls.filter((text) => text === 'hi')).toHaveLength(2);
    expect(() => new ParseCache(interpreter, -1)).toThrow(RangeError);
  });
});
