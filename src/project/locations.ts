/** Maps a path in parsed YAML data (e.g. `['slots','cuisine','mappings',0]`) back to file:line:column. */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { SourceRef } from '../shared/domain.js';
import { positionOf, type YamlFile } from './yaml.js';

/** A path into parsed YAML: mapping keys and sequence indexes. */
export type DataPath = ReadonlyArray<string | number>;

/**
 * Where the value at `path` is written, or where its key is written when `target` is `'key'`
 * (the right place for "unknown key" and "missing key" messages). When the path does not exist
 * in the file (e.g. a missing key) the deepest existing node is used.
 */
export function locate(file: YamlFile, path: DataPath, target: 'value' | 'key' = 'value'): SourceRef {
  let node: unknown = file.doc.contents;
  let offset = startOf(node) ?? 0;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index];
    const isLast = index === path.length - 1;
    if (isMap(node)) {
      const pair = findPair(node.items, segment);
      if (!pair) break;
      const keyOffset = startOf(pair.key);
      const valueOffset = isEmptyNode(pair.value) ? undefined : startOf(pair.value);
      if (isLast && target === 'key') {
        offset = keyOffset ?? offset;
        break;
      }
      offset = valueOffset ?? keyOffset ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = startOf(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return { file: file.path, ...positionOf(file, offset) };
}

/** The location of the first character of a file (for problems with no better place). */
export function fileStart(file: YamlFile): SourceRef {
  return { file: file.path, line: 1, column: 1 };
}

function findPair(items: ReadonlyArray<Pair<unknown, unknown>>, segment: string | number): Pair<unknown, unknown> | undefined {
  const wanted = String(segment);
  return items.find((pair) => {
    const key = pair.key;
    if (isScalar(key)) return String(key.value) === wanted;
    return key !== null && key !== undefined && String(key) === wanted;
  });
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** `key:` with nothing after it parses to an empty null scalar whose position is unhelpful. */
function isEmptyNode(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node)) return false;
  const range = node.range;
  return node.value === null && (range === undefined || range === null || range[0] === range[1]);
}

/**
 * Locates the lines of a multi-line string (NLU `examples: |` blocks): returns a function giving
 * the position of line `index` of the string's value. Literal blocks (`|`) map line for line to
 * the file; for any other style every line is reported at the start of the string.
 */
export function lineLocator(file: YamlFile, path: DataPath): (index: number) => SourceRef {
  const start = locate(file, path);
  const node = file.doc.getIn(path as Array<string | number>, true);
  if (!isScalar(node) || node.type !== 'BLOCK_LITERAL' || !node.range) return () => start;
  const headerLine = positionOf(file, node.range[0]).line;
  const lineStarts = file.lineCounter.lineStarts;
  return (index: number) => {
    const line = headerLine + 1 + index;
    const offset = lineStarts[line - 1];
    if (offset === undefined) return start;
    const indentation = /^[ \t]*/.exec(file.text.slice(offset, offset + 200))?.[0].length ?? 0;
    return { file: file.path, line, column: indentation + 1 };
  };
}
