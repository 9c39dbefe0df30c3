import { describe, expect, it } from 'vitest';
import { jsonTextNestsDeeperThan, MAX_JSON_NESTING, valueNestsDeeperThan } from '../../src/channels/json-nesting.js';

describe('json nesting limits', () => {
  it('counts nested arrays and objects in JSON text, up to and past the limit', () => {
    expect(jsonTextNestsDeeperThan(`${'['.repeat(MAX_JSON_NESTING)}${']'.repeat(MAX_JSON_NESTING)}`)).toBe(false);
    expect(jsonTextNestsDeeperThan(`${'['.repeat(MAX_JSON_NESTING + 1)}${']'.repeat(MAX_JSON_NESTING + 1)}`)).toBe(true);
    expect(jsonTextNestsDeeperThan('{"a":{"b":[1,{"c":2}]}}', 4)).toBe(false);
    expect(jsonTextNestsDeeperThan('{"a":{"b":[1,{"c":2}]}}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, including after escaped quotes', () => {
    expect(jsonTextNestsDeeperThan(JSON.stringify({ text: '[[[[{{{{' }), 1)).toBe(false);
    expect(jsonTextNestsDeeperThan(JSON.stringify({ text: 'say \\"[[[[\\"' }), 1)).toBe(false);
    expect(jsonTextNestsDeeperThan(`["\\"", [[1]]]`, 2)).toBe(true);
  });

  it('measures decoded values without recursion, and treats binary data as flat', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 10_000; level += 1) deep = [deep];
    expect(valueNestsDeeperThan(deep)).toBe(true);
    expect(valueNestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(valueNestsDeeperThan({ a: [{ b: 1 }] }, 2)).toBe(true);
    expect(valueNestsDeeperThan({ file: Buffer.alloc(100_000) }, 2)).toBe(false);
    expect(valueNestsDeeperThan('text', 0)).toBe(false);
  });
});
