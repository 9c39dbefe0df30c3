/**
 * Text keys for lists of dialogue states, written exactly as Python's
 * `json.dumps(states, sort_keys=True)` writes them (`", "` / `": "` separators, floats as `1.0`,
 * non-ASCII escaped). RulePolicy picks the longest matching key, so key lengths must agree with
 * Rasa's for the same rules to win.
 */
import { createHash } from 'node:crypto';
import { pythonFloatRepr } from '../python-values.js';
import { stateMemo, WindowMemory } from './state-memo.js';
import type { DialogueState } from './states.js';

/** Python-style sorted JSON of any JSON-like value; numbers are written as Python floats. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return pythonFloatRepr(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return asciiJsonString(value);
  // Plain loops: this runs for every new dialogue state of every prediction.
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) text += index === 0 ? pythonJson(value[index]) : `, ${pythonJson(value[index])}`;
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedInPlace(Object.keys(record));
  let text = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    text += `${first ? '' : ', '}${asciiJsonString(key)}: ${pythonJson(item)}`;
    first = false;
  }
  return `${text}}`;
}

/** Each state's JSON, written once (see state-memo.ts). */
function stateText(state: DialogueState): string {
  const memo = stateMemo(state);
  if (!memo) return pythonJson(state);
  return (memo.text ??= pythonJson(state));
}

/**
 * The key of a state list (RulePolicy's lookup key, and the input of {@link hashedStateKey}):
 * `pythonJson(states)`, from each state's remembered text.
 */
export function stateKey(states: readonly DialogueState[]): string {
  let key = '[';
  for (let index = 0; index < states.length; index++) key += index === 0 ? stateText(states[index]) : `, ${stateText(states[index])}`;
  return `${key}]`;
}

/**
 * A compact, fixed-length key for long state histories (MemoizationPolicy). Rasa zlib-compresses
 * the same text; a 128-bit digest keeps models small whatever the history length.
 */
export function hashedStateKey(states: readonly DialogueState[]): string {
  return digests.recall(states, () => digestOf(stateKey(states)));
}

function digestOf(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

/**
 * Conversations keep reaching the same few histories, and each prediction asks for the digest of
 * its window (several windows with AugmentedMemoization), so digests of windows of shared states
 * are remembered (see WindowMemory).
 */
export const REMEMBERED_DIGESTS = 8192;
const digests = new WindowMemory<string>(REMEMBERED_DIGESTS);

/** Parses a key written by {@link stateKey} back into states. */
export function parseStateKey(key: string): DialogueState[] {
  return JSON.parse(key) as DialogueState[];
}

/**
 * `keys.sort()` (code-unit order); an insertion sort for the few keys of a dialogue state, which
 * spares the scratch array `Array.prototype.sort` allocates.
 */
function sortedInPlace(keys: string[]): string[] {
  if (keys.length > 12) return keys.sort();
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index];
    let at = index - 1;
    while (at >= 0 && keys[at] > key) {
      keys[at + 1] = keys[at];
      at--;
    }
    keys[at + 1] = key;
  }
  return keys;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** Strings up to this length have their JSON remembered (names, keys, short texts). */
const REMEMBERED_LENGTH = 64;
/** How many JSON strings {@link asciiJsonString} remembers before starting over. */
export const REMEMBERED_JSON_STRINGS = 4096;
const jsonStrings = new Map<string, string>();

/**
 * A string as Python's `json.dumps` writes it. The same few names (state keys, intents,
 * actions, slots) are written for every new dialogue state, so short ones are remembered; the
 * memory starts over when full, which keeps it bounded.
 */
export function asciiJsonString(text: string): string {
  if (text.length > REMEMBERED_LENGTH) return writeAsciiJsonString(text);
  let json = jsonStrings.get(text);
  if (json === undefined) {
    json = writeAsciiJsonString(text);
    if (jsonStrings.size >= REMEMBERED_JSON_STRINGS) jsonStrings.clear();
    jsonStrings.set(text, json);
  }
  return json;
}

/** How many JSON strings are remembered now (for tests). */
export function rememberedJsonStrings(): number {
  return jsonStrings.size;
}

function writeAsciiJsonString(text: string): string {
  const json = JSON.stringify(text);
  if (!NON_ASCII.test(json)) return json;
  return json.replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
