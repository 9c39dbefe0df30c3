/** Reads Rasa YAML files keeping source positions, with `${VAR}` expansion and located errors. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isScalar, LineCounter, parseDocument, visit, type Document, type YAMLError } from 'yaml';
import { expandEnvVariables, hasEnvReference } from './env.js';
import type { IssueCollector } from './issues.js';
import { findAliasProblem } from './yaml-aliases.js';

/**
 * Which scalars get `${VAR}` expansion:
 * - `plain`: unquoted scalars only. This is what Rasa does (its resolver only sees plain
 *   scalars), so a quoted response text such as `"costs ${price}"` stays as written.
 * - `all`: every string scalar, quoted or block. Used for config, credentials and endpoints,
 *   where users quote `"${SECRET}"` and expect it to be expanded.
 * - `none`: no expansion.
 */
export type EnvScope = 'plain' | 'all' | 'none';

export interface ReadYamlOptions {
  /** Variables for `${VAR}` expansion. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** @default 'plain' */
  envScope?: EnvScope;
}

/** A parsed YAML file: its data plus what is needed to point back into the text. */
export interface YamlFile {
  absPath: string;
  /** The path shown in messages: relative to the project root, with `/` separators. */
  path: string;
  sha256: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data (after `${VAR}` expansion); `null` for an empty file. */
  data: unknown;
}

/** The yaml library's own alias guard (see also yaml-aliases.ts, which runs first). */
const MAX_ALIAS_COUNT = 10_000;

/** A mapping as produced by the YAML parser (not an array, not null). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads and parses one file. Problems (missing file, syntax, unset variables) go to `issues`,
 * and `null` is returned when the file cannot be used at all.
 */
export async function readYamlFile(
  absPath: string,
  displayPath: string,
  issues: IssueCollector,
  options: ReadYamlOptions = {},
): Promise<YamlFile | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(absPath);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    issues.error('PARLEY_ERR_FILE_NOT_FOUND', `The file '${displayPath}' ${reason}.`, {
      file: displayPath,
    });
    return null;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return parseYamlText(bytes.toString('utf8'), { absPath, path: displayPath, sha256 }, issues, options);
}

/** Parses YAML text already in memory (the same rules as {@link readYamlFile}). */
export function parseYamlText(
  text: string,
  identity: { absPath: string; path: string; sha256?: string },
  issues: IssueCollector,
  options: ReadYamlOptions = {},
): YamlFile | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
    version: '1.2',
  });
  const sha256 = identity.sha256 ?? createHash('sha256').update(text).digest('hex');
  const file: YamlFile = { ...identity, sha256, text, doc, lineCounter, data: null };

  if (doc.errors.length > 0) {
    reportSyntaxErrors(file, doc.errors, issues);
    return null;
  }
  const errorsBefore = issues.errorCount;
  expandEnvironment(file, options, issues);
  if (issues.errorCount > errorsBefore) return null;

  const aliasProblem = findAliasProblem(doc);
  if (aliasProblem) {
    issues.error('PARLEY_ERR_YAML_SYNTAX', `The YAML in '${file.path}' cannot be read: ${aliasProblem.message}.`, {
      file: file.path,
      ...positionOf(file, aliasProblem.offset),
    });
    return null;
  }
  try {
    file.data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? null;
  } catch (error) {
    const message = (error as Error).message;
    const reason = /excessive alias count/i.test(message)
      ? `its aliases expand to too many nodes (Parley stops at ${MAX_ALIAS_COUNT.toLocaleString('en-US')} to protect the server from "billion laughs" documents)`
      : lowerFirst(message);
    issues.error('PARLEY_ERR_YAML_SYNTAX', `The YAML in '${file.path}' cannot be read: ${reason}.`, {
      file: file.path,
      ...positionOf(file, conversionErrorOffset(file, message)),
    });
    return null;
  }
  return file;
}

/**
 * Where building the data failed, for the message: the alias the error names (an unresolved
 * one), the first merge key (bad merge sources), else the first alias (too many expansions).
 */
function conversionErrorOffset(file: YamlFile, message: string): number {
  const named = /alias[^:]*:\s*(\S+)\s*$/i.exec(message)?.[1];
  let firstAlias: number | undefined;
  let namedAlias: number | undefined;
  let firstMerge: number | undefined;
  visit(file.doc, {
    Alias(_key, node) {
      const start = node.range?.[0];
      if (start === undefined) return;
      firstAlias ??= start;
      if (named !== undefined && node.source === named) namedAlias ??= start;
    },
    Pair(_key, pair) {
      // With `merge: true` the parser keeps a merge key as a scalar whose source is `<<`.
      if (isScalar(pair.key) && (pair.key as { source?: unknown }).source === '<<') firstMerge ??= pair.key.range?.[0];
    },
  });
  if (/merge/i.test(message)) return firstMerge ?? firstAlias ?? 0;
  return namedAlias ?? firstAlias ?? 0;
}

/** 1-based line and column of a character offset. */
export function positionOf(file: YamlFile, offset: number): { line: number; column: number } {
  const { line, col } = file.lineCounter.linePos(Math.max(0, offset));
  return { line, column: col };
}

function reportSyntaxErrors(file: YamlFile, errors: readonly YAMLError[], issues: IssueCollector): void {
  // The parser often cascades one mistake into several errors: keep every duplicate key (each is
  // independent) but only the first structural error.
  const duplicates = errors.filter((error) => error.code === 'DUPLICATE_KEY');
  const structural = errors.find((error) => error.code !== 'DUPLICATE_KEY');
  for (const error of [...(structural ? [structural] : []), ...duplicates]) {
    const { line, column } = positionOf(file, error.pos[0]);
    issues.error('PARLEY_ERR_YAML_SYNTAX', describeSyntaxError(file, error), {
      file: file.path,
      line,
      column,
    });
  }
}

function describeSyntaxError(file: YamlFile, error: YAMLError): string {
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = /^("[^"]*"|'[^']*'|[^:\n]+?)\s*:/.exec(file.text.slice(error.pos[0]))?.[1];
      const name = key ? `'${key.replace(/^["']|["']$/g, '')}'` : 'A key';
      return `Invalid YAML: ${name} appears twice in the same mapping; each key may be written only once.`;
    }
    case 'TAB_AS_INDENT':
      return 'Invalid YAML: a tab is used for indentation; YAML only allows spaces.';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return `Invalid YAML: ${lowerFirst(error.message)}. Check the indentation and that every line is either 'key: value' or '- item'.`;
    default:
      return `Invalid YAML: ${lowerFirst(error.message)}.`;
  }
}

function lowerFirst(message: string): string {
  const trimmed = message.replace(/[.\s]+$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

function expandEnvironment(file: YamlFile, options: ReadYamlOptions, issues: IssueCollector): void {
  const scope = options.envScope ?? 'plain';
  if (scope === 'none') return;
  const env = options.env ?? process.env;
  visit(file.doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !hasEnvReference(node.value)) return;
      if (scope === 'plain' && node.type !== 'PLAIN') return;
      const { value, missing } = expandEnvVariables(node.value, env);
      if (missing.length > 0) {
        const { line, column } = positionOf(file, node.range?.[0] ?? 0);
        const names = missing.map((name) => `'${name}'`).join(', ');
        const [noun, verb, pronoun] = missing.length === 1 ? ['variable', 'is', 'it'] : ['variables', 'are', 'them'];
        issues.error(
          'PARLEY_ERR_ENV_VAR_MISSING',
          `The environment ${noun} ${names} ${verb} not set, but '${node.value}' refers to ${pronoun}. ` +
            'Set it before starting Parley, or write the value directly.',
          { file: file.path, line, column },
        );
        return;
      }
      node.value = value;
    },
  });
}
