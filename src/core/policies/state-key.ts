/**
 * Text keys for lists of dialogue states, written exactly as Python's
 * `json.dumps(states, sort_keys=True)` writes them (`", "` / `": "` separators, floats as `1.0`,
 * non-ASCII escaped). RulePolicy picks the longest matching key, so key lengths must agree with
 * Rasa's for the same rules to win.
 */
import { createHash } from 'node:crypto';
import { pythonFloatRepr } from '../python-values.js';
import type { DialogueState } from './states.js';

/** Python-style sorted JSON of any JSON-like value; numbers are written as Python floats. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return pythonFloatRepr(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return asciiJsonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${asciiJsonString(key)}: ${pythonJson(record[key])}`).join(', ')}}`;
}

/** The key of a state list (RulePolicy's lookup key, and the input of {@link hashedStateKey}). */
export function stateKey(states: readonly DialogueState[]): string {
  return pythonJson(states);
}

/**
 * A compact, fixed-length key for long state histories (MemoizationPolicy). Rasa zlib-compresses
 * the same text; a 128-bit digest keeps models small whatever the history length.
 */
export function hashedStateKey(states: readonly DialogueState[]): string {
  return createHash('sha256').update(stateKey(states)).digest('base64url').slice(0, 22);
}

/** Parses a key written by {@link stateKey} back into states. */
export function parseStateKey(key: string): DialogueState[] {
  return JSON.parse(key) as DialogueState[];
}

function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
