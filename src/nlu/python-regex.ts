/**
 * Regexes in Rasa projects are written for Python's `re`. This turns the common Python-only
 * syntax into JavaScript (`(?P<n>…)`, `(?P=n)`, leading inline flags like `(?i)`, `\A`, `\Z`)
 * and builds the lookup-table patterns Rasa generates.
 */
import { ParleyError } from '../errors.js';

export interface PythonRegexOptions {
  ignoreCase?: boolean;
  global?: boolean;
}

/** Compiles a Python-style pattern; throws PARLEY_ERR_TRAINING_DATA_INVALID if it cannot. */
export function compilePythonRegex(pattern: string, options: PythonRegexOptions = {}): RegExp {
  let source = pattern;
  let flags = options.global ? 'g' : '';
  let ignoreCase = options.ignoreCase ?? false;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1].includes('i')) ignoreCase = true;
    if (inline[1].includes('m')) flags += 'm';
    if (inline[1].includes('s')) flags += 's';
    if (inline[1].includes('x')) source = stripVerbose(source);
  }
  if (ignoreCase) flags += 'i';
  source = source
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    // Unicode mode rejects some escapes Python allows (e.g. `\-` outside a class); retry without.
    try {
      return new RegExp(source, flags);
    } catch (error) {
      throw new ParleyError(
        'PARLEY_ERR_TRAINING_DATA_INVALID',
        `The regular expression '${pattern}' cannot be used: ${(error as Error).message}.`,
        { cause: error },
      );
    }
  }
}

function stripVerbose(source: string): string {
  return source.replace(/\\#/g, '\u0000').replace(/#.*$/gm, '').replace(/\s+/g, '').replace(/\u0000/g, '\\#');
}

export function escapeRegex(text: string): string {
  // Only syntax characters: unicode-mode regexes reject needless escapes such as `\-`.
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const WORD_CHAR = String.raw`[\p{L}\p{N}\p{M}_]`;

/**
 * The pattern for a lookup table: any element, case-insensitive, optionally only as a whole word.
 * Longer elements are tried first so "new york" wins over "new".
 */
export function lookupPattern(elements: readonly string[], useWordBoundaries: boolean): string {
  const alternatives = [...new Set(elements.map((element) => element.trim()).filter((element) => element !== ''))]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegex);
  if (alternatives.length === 0) return '(?!)';
  const body = alternatives.join('|');
  return useWordBoundaries ? `(?<!${WORD_CHAR})(?:${body})(?!${WORD_CHAR})` : `(?:${body})`;
}

/** A named pattern from the training data (a `regex:` block or a `lookup:` table). */
export interface NamedPattern {
  name: string;
  regex: RegExp;
}

export interface PatternSources {
  regexes: ReadonlyArray<{ name: string; pattern: string }>;
  lookups: ReadonlyArray<{ name: string; elements: readonly string[] }>;
}

export interface PatternSettings {
  useRegexes: boolean;
  useLookupTables: boolean;
  useWordBoundaries: boolean;
  caseSensitive: boolean;
}

/** The serialisable form of the patterns a component uses (compiled again at load). */
export interface PatternSpec {
  name: string;
  source: string;
  /** Lookup tables are case-insensitive whatever the component's `case_sensitive` says. */
  ignoreCase: boolean;
}

export function collectPatterns(sources: PatternSources, settings: PatternSettings): PatternSpec[] {
  const specs: PatternSpec[] = [];
  if (settings.useRegexes) {
    for (const regex of sources.regexes) {
      specs.push({ name: regex.name, source: regex.pattern, ignoreCase: !settings.caseSensitive });
    }
  }
  if (settings.useLookupTables) {
    for (const lookup of sources.lookups) {
      specs.push({ name: lookup.name, source: lookupPattern(lookup.elements, settings.useWordBoundaries), ignoreCase: true });
    }
  }
  return specs;
}

export function compilePatterns(specs: readonly PatternSpec[]): NamedPattern[] {
  return specs.map((spec) => ({
    name: spec.name,
    regex: compilePythonRegex(spec.source, { ignoreCase: spec.ignoreCase, global: true }),
  }));
}

/** All non-empty matches of a global regex as [start, end) spans. */
export function matchSpans(regex: RegExp, text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  regex.lastIndex = 0;
  for (const match of text.matchAll(regex)) {
    const start = match.index ?? 0;
    if (match[0].length > 0) spans.push([start, start + match[0].length]);
  }
  return spans;
}
