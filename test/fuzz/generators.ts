/**
 * Seeded generators for the fuzz suite: every case is a pure function of (seed, case index), so a
 * failure report names the seed and the index and `PARLEY_FUZZ_SEED=<seed>` replays the run.
 */
import { seededRandom } from '../../src/ml/random.js';

/** The seed of a suite: `PARLEY_FUZZ_SEED` when set (to replay or explore), else the fixed default. */
export function fuzzSeed(fallback: number): number {
  const fromEnv = Number(process.env.PARLEY_FUZZ_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/** How a failing case is named in assertion messages. */
export function replayHint(seed: number, index: number): string {
  return `seed ${seed}, case ${index} (replay with PARLEY_FUZZ_SEED=${seed})`;
}

/** A deterministic source of choices. */
export class Fuzzer {
  readonly seed: number;
  readonly #random: () => number;

  constructor(seed: number) {
    this.seed = seed;
    this.#random = seededRandom(seed);
  }

  /** A fuzzer for case `index` of this run: cases stay the same when others are added or removed. */
  fork(index: number): Fuzzer {
    return new Fuzzer((Math.imul(this.seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0 || 1);
  }

  float(): number {
    return this.#random();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.#random() * n);
  }

  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  chance(probability: number): boolean {
    return this.#random() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Calls one of the makers, chosen with the given weights. */
  weighted<T>(choices: ReadonlyArray<readonly [number, () => T]>): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.#random() * total;
    for (const [weight, make] of choices) {
      roll -= weight;
      if (roll < 0) return make();
    }
    return choices[choices.length - 1][1]();
  }
}

// ── values ─────────────────────────────────────────────────────────────────────────────

/** Strings that have broken parsers, loggers, stores and templates before. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  'hi',
  'user',
  'bot',
  'greet',
  '/greet',
  '/greet{"name": "x"}',
  '/mood_great{"a":',
  'utter_greet',
  'action_listen',
  'action_session_start',
  'null',
  'undefined',
  'true',
  'NaN',
  '0',
  '-1',
  '1e309',
  '\u0000',
  'a\u0000b',
  '\r\n',
  '\t',
  '\u001b[31mred',
  '\u202eevil',
  '\ufeffbom',
  '\ud800',
  '\udfff\ud800',
  '😀',
  'ü',
  'Z\u0351\u0353a\u0346\u0339l\u034cg\u0364o',
  '${HOME}',
  '{slot}',
  '{{x}}',
  '%s%s%n',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
];

export function nastyString(fuzzer: Fuzzer): string {
  return fuzzer.weighted<string>([
    [8, () => fuzzer.pick(NASTY_STRINGS)],
    [1, () => fuzzer.pick(['x', '😀', 'ä', '\u0000', ' ']).repeat(fuzzer.between(100, 4000))],
    [1, () => String.fromCharCode(...Array.from({ length: fuzzer.between(1, 40) }, () => fuzzer.int(0x10000)))],
  ]);
}

export const NASTY_NUMBERS: readonly number[] = [0, -0, -1, 1, 3.5, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -(2 ** 31), 1796664831.635];

/** Keys that attack plain-object handling, plus real Rasa field names in the wrong places. */
export const NASTY_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', '', ' ', '\u0000', '😀', 'event', 'name', 'text', 'value'];

/** A random JSON value; `depth` bounds the nesting. */
export function jsonValue(fuzzer: Fuzzer, depth = 3): unknown {
  return fuzzer.weighted<unknown>([
    [2, () => null],
    [1, () => fuzzer.chance(0.5)],
    [2, () => fuzzer.pick(NASTY_NUMBERS)],
    [4, () => nastyString(fuzzer)],
    [depth > 0 ? 1.5 : 0, () => Array.from({ length: fuzzer.int(4) }, () => jsonValue(fuzzer, depth - 1))],
    [depth > 0 ? 1.5 : 0, () => randomObject(fuzzer, [], depth - 1)],
    // Objects that cannot become strings: String(), `${}` and + on them throw.
    [0.5, () => fuzzer.pick<unknown>([{ toString: 1 }, { toString: null, valueOf: null }, [{ toString: true }], { toJSON: 1 }, JSON.parse('{"__proto__": {"polluted": 1}}')])],
  ]);
}

/** An object with some of `fields` (and some nasty keys), each holding a value of any type. */
export function randomObject(fuzzer: Fuzzer, fields: readonly string[], depth = 2): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const keys = [...fields, ...NASTY_KEYS];
  for (let count = fuzzer.int(fields.length + 3); count > 0; count -= 1) {
    // defineProperty so that `__proto__` becomes an own key, exactly as JSON.parse makes it.
    Object.defineProperty(object, fuzzer.pick(keys), { value: jsonValue(fuzzer, depth), enumerable: true, configurable: true, writable: true });
  }
  return object;
}

/**
 * Takes a valid object for a route and breaks one field: wrong type, missing, nasty value, or an
 * extra nasty key.
 */
export function breakOneField(fuzzer: Fuzzer, valid: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...valid };
  const keys = Object.keys(copy);
  const key = keys.length > 0 ? fuzzer.pick(keys) : 'text';
  fuzzer.weighted<void>([
    [4, () => void (copy[key] = jsonValue(fuzzer, 2))],
    [1, () => void delete copy[key]],
    [1, () => Object.defineProperty(copy, fuzzer.pick(NASTY_KEYS), { value: jsonValue(fuzzer, 2), enumerable: true, configurable: true, writable: true })],
  ]);
  return copy;
}

// ── bytes ──────────────────────────────────────────────────────────────────────────────

/** Byte sequences that are not UTF-8: lone continuation bytes, overlong forms, surrogates, 0xFF. */
export const INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0xfe, 0xff]),
  Buffer.from([0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xe0, 0x80, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xc3]),
];

/** JSON text of `depth` nested arrays or objects around a value (built as text: too deep for JSON.stringify). */
export function deeplyNested(fuzzer: Fuzzer, depth: number): string {
  return fuzzer.chance(0.5) ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/**
 * Breaks JSON text: truncation, a stray or invalid byte, duplicate keys, comments, trailing
 * commas, single quotes, a BOM, NaN, deep nesting, or concatenated documents.
 */
export function mangleJson(fuzzer: Fuzzer, text: string): Buffer {
  const at = fuzzer.int(text.length + 1);
  const utf8 = (value: string) => Buffer.from(value, 'utf8');
  return fuzzer.weighted<Buffer>([
    [3, () => utf8(text.slice(0, at))],
    [2, () => Buffer.concat([utf8(text.slice(0, at)), fuzzer.pick(INVALID_UTF8), utf8(text.slice(at))])],
    [1, () => utf8(text.slice(0, at) + fuzzer.pick(['\u0000', '\u0007', '\u001f', '\u2028', '"', '\\', '}', ']', ',', ':']) + text.slice(at))],
    [2, () => utf8(text.startsWith('{') && text.length > 2 ? `{"text": 1, "text": "dup", "name": [], "name": "x", ${text.slice(1)}` : `{"a":1,"a":2}`)],
    [1, () => utf8(`${text.replace(/}$/, ',}')}`)],
    [1, () => utf8(`/* comment */ ${text}`)],
    [1, () => utf8(text.replaceAll('"', "'"))],
    [1, () => utf8(`\ufeff${text}`)],
    [1, () => utf8(text.replace(/\d+(\.\d+)?/, fuzzer.pick(['NaN', 'Infinity', '-Infinity', '0x10', '01', '1e999'])))],
    [1, () => utf8(`${text}${text}`)],
    [1, () => utf8(deeplyNested(fuzzer, fuzzer.pick([200, 1_000, 10_000])))],
    [1, () => utf8(`{"text": ${deeplyNested(fuzzer, fuzzer.pick([101, 5_000, 10_000]))}, "sender": "user", "name": "greet"}`)],
  ]);
}

/** Random bytes (often mostly printable, sometimes pure noise). */
export function randomBytes(fuzzer: Fuzzer, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  const printable = fuzzer.chance(0.5);
  for (let index = 0; index < length; index += 1) bytes[index] = printable ? 0x20 + fuzzer.int(0x5f) : fuzzer.int(256);
  return bytes;
}

/** `encodeURIComponent` that never throws: lone surrogates become U+FFFD first. */
export function encodeComponent(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}
