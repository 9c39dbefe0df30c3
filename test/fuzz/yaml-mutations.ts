/**
 * Mutations of Rasa project files: line deletions and swaps, wrong indentation, tabs, type swaps,
 * duplicate keys, anchors and alias bombs, huge scalars, unset `${VAR}`s, binary garbage and
 * truncation. Each mutation is a pure function of the fuzzer, so a case replays from its seed.
 */
import { Fuzzer, INVALID_UTF8, nastyString, randomBytes } from './generators.js';

/** Values that have the wrong type almost anywhere in a Rasa file. */
const ODD_VALUES = ['[]', '{}', '5', '-1.5e3', 'null', '~', 'true', 'no', '"x"', "''", '[a, [b, {c: d}]]', '{a: 1, a: 2}', '!!binary AAAA', '!!python/object:os.system ls', '!!str', '!!int x', '&anchor', '*nowhere', '|', '>-', '- item', '? complex', '2026-12-07', '0x1F', '.inf', '.nan', '"unterminated', "'also unterminated", '[unclosed', '{unclosed: 1', '@reserved', '`backtick', '%directive', '<<: *nowhere'];

/** The classic "billion laughs": nine levels of ten aliases each. */
export function billionLaughs(): string {
  const lines = ['lol0: &lol0 "lol"'];
  for (let level = 1; level <= 9; level += 1) {
    const refs = Array.from({ length: 10 }, () => `*lol${level - 1}`).join(', ');
    lines.push(`lol${level}: &lol${level} [${refs}]`);
  }
  return `${lines.join('\n')}\n`;
}

function splitLines(text: string): string[] {
  return text.split('\n');
}

function lineMutation(fuzzer: Fuzzer, text: string): string {
  const lines = splitLines(text);
  if (lines.length === 0) return text;
  const at = fuzzer.int(lines.length);
  const line = lines[at];
  fuzzer.weighted<void>([
    [3, () => void lines.splice(at, 1 + fuzzer.int(3))],
    [2, () => void lines.splice(at, 0, line)], // duplicate keys and items
    [2, () => void (lines[at] = `${' '.repeat(fuzzer.between(1, 4))}${line}`)],
    [2, () => void (lines[at] = line.replace(/^ {1,4}/, ''))],
    [2, () => void (lines[at] = line.replace(/^( +)/, (spaces) => '\t'.repeat(Math.max(1, spaces.length / 2))))],
    [4, () => void (lines[at] = /:\s/.test(line) ? line.replace(/:\s.*$/, `: ${fuzzer.pick(ODD_VALUES)}`) : `${line}: ${fuzzer.pick(ODD_VALUES)}`)],
    [2, () => void (lines[at] = line.replace(/^(\s*-\s*)(.*)$/, (_match, dash: string) => `${dash}${fuzzer.pick(ODD_VALUES)}`))],
    [1, () => {
      const other = fuzzer.int(lines.length);
      [lines[at], lines[other]] = [lines[other], lines[at]];
    }],
    [2, () => void (lines[at] = line.replace(/^(\s*)([^\s:#-][^:]*):/, (_match, indent: string) => `${indent}${fuzzer.pick(['__proto__', 'constructor', '<<', 'toString', '"', '? x', 'intents', 'nlu', 'version', '😀', '', 'responses'])}:`))],
    [1, () => void (lines[at] = `${line.replace(/\s+$/, '')} \${PARLEY_FUZZ_UNSET_${fuzzer.int(3)}}`)],
    [1, () => void (lines[at] = `${line} # ${nastyString(fuzzer)}`)],
    [1, () => void (lines[at] = line.replace(/: (.+)$/, ': &a $1'))],
    [1, () => void lines.splice(at, 0, fuzzer.pick(['---', '...', '%YAML 1.1', '%TAG ! tag:x,2000:', '<<: *a', '? [a]', ': b', '- - -', '{', ']']))],
  ]);
  return lines.join('\n');
}

/** One to three mutations of a file's text; returns bytes (some mutations are not valid UTF-8). */
export function mutateFile(fuzzer: Fuzzer, original: string): Buffer {
  let text = original;
  const count = fuzzer.between(1, 3);
  for (let index = 0; index < count; index += 1) {
    text = fuzzer.weighted<string>([
      [10, () => lineMutation(fuzzer, text)],
      [1, () => text.slice(0, fuzzer.int(text.length + 1))],
      [1, () => `${billionLaughs()}${text}`],
      [1, () => `${text}\nbomb: &b [${Array.from({ length: 50 }, () => '*b').join(', ')}]\n`],
      [1, () => `anchors: &root\n  a: 1\n${text.replace(/^(\w+):/m, '$1: *root\nignored:')}`],
      [1, () => `${text}\nhuge: ${'x'.repeat(fuzzer.pick([10_000, 100_000]))}\n`],
      [1, () => `${text}\n${' '.repeat(fuzzer.pick([200, 2_000]))}deep: 1\n`],
      [1, () => `${text}\nnested: ${'['.repeat(fuzzer.pick([100, 1_000]))}${']'.repeat(fuzzer.pick([100, 1_000]))}\n`],
      [1, () => `${text}\nindented:\n${Array.from({ length: fuzzer.pick([50, 200]) }, (_, depth) => `${' '.repeat(depth * 2)}k${depth}:`).join('\n')} 1\n`],
      [1, () => text.replaceAll('\n', '\r\n')],
      [1, () => `\ufeff${text}`],
      [1, () => text.replaceAll('  ', '\t')],
    ]);
  }
  let bytes: Buffer = Buffer.from(text, 'utf8');
  if (fuzzer.chance(0.08)) {
    const at = fuzzer.int(bytes.length + 1);
    const garbage = fuzzer.chance(0.5) ? fuzzer.pick(INVALID_UTF8) : randomBytes(fuzzer, fuzzer.between(1, 64));
    bytes = Buffer.concat([bytes.subarray(0, at), garbage, bytes.subarray(at)]);
  }
  if (fuzzer.chance(0.01)) bytes = randomBytes(fuzzer, fuzzer.between(0, 4_000));
  return bytes;
}
