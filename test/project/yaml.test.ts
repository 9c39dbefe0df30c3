import { describe, expect, it } from 'vitest';
import { IssueCollector } from '../../src/project/issues.js';
import { lineLocator, locate } from '../../src/project/locations.js';
import { parseYamlText, type ReadYamlOptions } from '../../src/project/yaml.js';

function parse(text: string, options: ReadYamlOptions = {}) {
  const issues = new IssueCollector();
  const file = parseYamlText(text, { absPath: '/tmp/x.yml', path: 'x.yml' }, issues, { env: {}, ...options });
  return { file, issues };
}

describe('parseYamlText', () => {
  it('parses YAML 1.2: True is a boolean, yes/no and on/off stay text', () => {
    const { file } = parse('a: True\nb: yes\nc: off\nd: 0o10\n');
    expect(file?.data).toEqual({ a: true, b: 'yes', c: 'off', d: 8 });
  });

  it('gives an empty file null data', () => {
    expect(parse('# only a comment\n').file?.data).toBeNull();
  });

  it('reports a syntax error once, located, and returns null', () => {
    const { file, issues } = parse('a:\n  - b\n - c\n');
    expect(file).toBeNull();
    expect(issues.errors).toHaveLength(1);
    expect(issues.errors[0].code).toBe('PARLEY_ERR_YAML_SYNTAX');
    expect(issues.errors[0].location).toMatchObject({ file: 'x.yml', line: 3 });
  });

  it('reports every duplicate key with its position', () => {
    const { issues } = parse('a: 1\nb:\n  c: 1\n  c: 2\na: 3\n');
    expect(issues.errors.map((error) => [error.location?.line, error.location?.column])).toEqual([
      [4, 3],
      [5, 1],
    ]);
    expect(issues.errors[1].message).toContain("'a' appears twice");
  });

  it('expands only plain scalars by default, as Rasa does', () => {
    const { file } = parse('a: ${X}\nb: "${X}"\nc: |\n  ${X}\n', { env: { X: 'v' } });
    expect(file?.data).toEqual({ a: 'v', b: '${X}', c: '${X}\n' });
  });

  it("expands every string scalar with envScope 'all' and none with 'none'", () => {
    const text = 'a: ${X}\nb: "${X}"\nc: |\n  ${X}\n';
    expect(parse(text, { env: { X: 'v' }, envScope: 'all' }).file?.data).toEqual({ a: 'v', b: 'v', c: 'v\n' });
    expect(parse(text, { envScope: 'none' }).file?.data).toEqual({ a: '${X}', b: '${X}', c: '${X}\n' });
  });

  it('names all unset variables of one value in one error', () => {
    const { file, issues } = parse('url: http://${HOST}:${PORT}\n');
    expect(file).toBeNull();
    expect(issues.errors[0].message).toContain("variables 'HOST', 'PORT' are not set");
    expect(issues.errors[0].location).toEqual({ file: 'x.yml', line: 1, column: 6 });
  });
});

describe('locate', () => {
  const { file } = parse('slots:\n  cuisine:\n    type: text\n    mappings:\n    - type: from_entity\n      entity: cuisine\nempty:\n');

  it('points at a value, or at its key', () => {
    expect(locate(file!, ['slots', 'cuisine', 'mappings', 0, 'entity'])).toEqual({ file: 'x.yml', line: 6, column: 15 });
    expect(locate(file!, ['slots', 'cuisine', 'mappings', 0, 'entity'], 'key')).toEqual({ file: 'x.yml', line: 6, column: 7 });
  });

  it('falls back to the deepest existing node for a missing path', () => {
    expect(locate(file!, ['slots', 'cuisine', 'initial_value'])).toEqual({ file: 'x.yml', line: 3, column: 5 });
  });

  it('points at the key of a key without value', () => {
    expect(locate(file!, ['empty'])).toEqual({ file: 'x.yml', line: 7, column: 1 });
  });
});

describe('lineLocator', () => {
  it('maps the lines of a literal block to their lines in the file', () => {
    const { file } = parse('nlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello\n');
    const at = lineLocator(file!, ['nlu', 0, 'examples']);
    expect([at(0), at(1)]).toEqual([
      { file: 'x.yml', line: 4, column: 5 },
      { file: 'x.yml', line: 5, column: 5 },
    ]);
  });
});
