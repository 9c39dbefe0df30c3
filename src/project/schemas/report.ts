/** Runs a zod schema on parsed YAML and turns every issue into one located, readable error. */
import type { z, ZodIssue, ZodTypeAny } from 'zod';
import type { ErrorCode } from '../../errors.js';
import type { IssueCollector } from '../issues.js';
import { locate, type DataPath } from '../locations.js';
import type { YamlFile } from '../yaml.js';

/**
 * Validates `data` (read from `file`) against `schema`. On failure every issue is recorded, each
 * pointing at the offending key or value, and `null` is returned.
 */
export function checkSchema<S extends ZodTypeAny>(
  file: YamlFile,
  data: unknown,
  schema: S,
  issues: IssueCollector,
  code: ErrorCode = 'PARLEY_ERR_YAML_SCHEMA',
): z.output<S> | null {
  const result = schema.safeParse(data);
  if (result.success) return result.data as z.output<S>;
  for (const issue of result.error.issues) reportIssue(file, issue, issues, code);
  return null;
}

function reportIssue(file: YamlFile, issue: ZodIssue, issues: IssueCollector, code: ErrorCode): void {
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        const hint = issue.message.startsWith('Allowed keys') ? ` ${issue.message}` : '';
        issues.error(code, `Unknown key '${key}' ${placeOf(path)}.${hint}`, locate(file, [...path, key], 'key'));
      }
      return;
    case 'invalid_type':
      if (issue.received === 'undefined') {
        const parent = path.slice(0, -1);
        issues.error(code, `Missing required key '${String(path[path.length - 1])}' ${placeOf(parent)}.`, locate(file, parent, 'key'));
      } else {
        issues.error(
          code,
          `${nameOf(path)} must be ${typeWord(issue.expected)}, but it is ${typeWord(issue.received)}.`,
          locate(file, path),
        );
      }
      return;
    case 'invalid_union':
      reportUnion(file, issue, issues, code);
      return;
    case 'too_small':
      issues.error(code, `${nameOf(path)} ${tooSmall(issue)}.`, locate(file, path));
      return;
    case 'invalid_enum_value':
      issues.error(
        code,
        `${nameOf(path)} must be one of ${issue.options.map((option) => `'${String(option)}'`).join(', ')}, ` +
          `not '${String(issue.received)}'.`,
        locate(file, path),
      );
      return;
    case 'invalid_literal':
      issues.error(code, `${nameOf(path)} must be '${String(issue.expected)}'.`, locate(file, path));
      return;
    case 'custom': {
      const atKey = (issue.params as { atKey?: boolean } | undefined)?.atKey === true;
      issues.error(code, issue.message, locate(file, path, atKey ? 'key' : 'value'));
      return;
    }
    default:
      issues.error(code, `${nameOf(path)}: ${issue.message}.`, locate(file, path));
  }
}

function reportUnion(file: YamlFile, issue: Extract<ZodIssue, { code: 'invalid_union' }>, issues: IssueCollector, code: ErrorCode): void {
  const branches = issue.unionErrors.map((error) => error.issues);
  const samePlace = (candidate: ZodIssue): boolean =>
    candidate.code === 'invalid_type' && candidate.path.join('\0') === issue.path.join('\0');
  // Every alternative failed on the value's type itself: say which types would have been fine.
  if (branches.every((branchIssues) => branchIssues.length === 1 && samePlace(branchIssues[0]))) {
    const expected = [...new Set(branches.map((branchIssues) => (branchIssues[0] as { expected: string }).expected))];
    const received = (branches[0][0] as { received: string }).received;
    issues.error(
      code,
      `${nameOf(issue.path)} must be ${expected.map(typeWord).join(' or ')}, but it is ${typeWord(received)}.`,
      locate(file, issue.path),
    );
    return;
  }
  // Otherwise report the alternative that came closest to matching.
  const best = [...branches]
    .filter((branchIssues) => !(branchIssues.length === 1 && samePlace(branchIssues[0])))
    .sort((a, b) => a.length - b.length)[0] ?? branches[0];
  for (const branchIssue of best) reportIssue(file, branchIssue, issues, code);
}

function tooSmall(issue: Extract<ZodIssue, { code: 'too_small' }>): string {
  if (issue.type === 'string') return 'must not be empty';
  if (issue.type === 'array') return `must list at least ${String(issue.minimum)} item(s)`;
  return `must be at least ${String(issue.minimum)}`;
}

/** `slots.cuisine.mappings[0].entity` */
export function pathText(path: DataPath): string {
  let text = '';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text;
}

function placeOf(path: DataPath): string {
  return path.length === 0 ? 'at the top level of the file' : `in '${pathText(path)}'`;
}

function nameOf(path: DataPath): string {
  return path.length === 0 ? 'The file content' : `'${pathText(path)}'`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  integer: 'a whole number',
  float: 'a number',
  nan: 'not a number',
  boolean: 'true or false',
  object: 'a mapping (key: value pairs)',
  array: 'a list',
  null: 'empty (null)',
  undefined: 'missing',
  date: 'a date',
};

function typeWord(type: string): string {
  return TYPE_WORDS[type] ?? type;
}
