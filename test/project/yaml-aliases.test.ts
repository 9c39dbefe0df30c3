import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findAliasProblem, MAX_EXPANDED_NODES } from '../../src/project/yaml-aliases.js';

const problemOf = (text: string) => findAliasProblem(parseDocument(text, { version: '1.2', merge: true }));

describe('findAliasProblem', () => {
  it('accepts documents without aliases and ordinary reuse of an anchor', () => {
    expect(problemOf('a: 1\nb: [1, 2]\n')).toBeNull();
    expect(problemOf('base: &base {x: 1}\none: *base\ntwo:\n  <<: *base\n  y: 2\n')).toBeNull();
  });

  it('points at an alias inside the node its own anchor names', () => {
    const text = 'outer: &o\n  inner: [1, *o]\n';
    expect(problemOf(text)).toEqual({ offset: text.indexOf('*o'), message: expect.stringMatching(/'\*o' sits inside .* '&o'/) });
  });

  it('refuses aliases that expand past the node limit without expanding them', () => {
    const levels = ['l0: &l0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]'];
    for (let level = 1; level <= 6; level += 1) levels.push(`l${level}: &l${level} [${Array.from({ length: 10 }, () => `*l${level - 1}`).join(', ')}]`);
    const problem = problemOf(`${levels.join('\n')}\n`);
    expect(problem?.message).toMatch(new RegExp(`more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes`));
    expect(problem?.offset).toBeGreaterThan(0);
  });

  it('leaves an alias to an unknown anchor to the YAML library’s own message', () => {
    expect(problemOf('a: *nowhere\n')).toBeNull();
  });
});
