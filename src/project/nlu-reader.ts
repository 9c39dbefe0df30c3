/** Reads `nlu:` items (intents, synonyms, regexes, lookups) and `responses:` of NLU files. */
import { isParleyError } from '../errors.js';
import type { ResponseVariation, SourceRef } from '../shared/domain.js';
import type { LookupTable, NluData, NluExample, RegexFeature } from '../shared/training-data.js';
import { parseAnnotatedText, synonymsFromEntities } from './entities-parser.js';
import type { IssueCollector } from './issues.js';
import { lineLocator, locate } from './locations.js';
import type { YamlFile } from './yaml.js';

/** NLU data gathered over several files, in reading order. */
export class NluCollector {
  readonly examples: NluExample[] = [];
  readonly regexes: RegexFeature[] = [];
  readonly lookups: LookupTable[] = [];
  readonly responses: Record<string, ResponseVariation[]> = {};
  readonly #synonyms = new Map<string, string>();

  /** Records `surface → value` (case-insensitive on the surface); a changed mapping warns. */
  addSynonym(surface: string, value: string, where: SourceRef, issues: IssueCollector): void {
    const key = surface.toLowerCase();
    if (key === value) return;
    const existing = this.#synonyms.get(key);
    if (existing !== undefined && existing !== value) {
      issues.warn(
        'PARLEY_WARN_SYNONYM_CONFLICT',
        `'${surface}' was already a synonym of '${existing}' and is now mapped to '${value}' instead.`,
        where,
      );
    }
    this.#synonyms.set(key, value);
  }

  /** Base names of retrieval intents (`chitchat` for examples labelled `chitchat/ask_name`). */
  retrievalIntents(): string[] {
    const bases = new Set<string>();
    for (const example of this.examples) {
      const slash = example.intent.indexOf('/');
      if (slash > 0) bases.add(example.intent.slice(0, slash));
    }
    return [...bases].sort();
  }

  toNluData(): NluData {
    return {
      examples: this.examples,
      synonyms: Object.fromEntries(this.#synonyms),
      regexes: this.regexes,
      lookups: this.lookups,
      responses: this.responses,
    };
  }
}

type Item = Record<string, unknown>;

/** Reads one schema-checked NLU file into `collector`. */
export function readNluFile(file: YamlFile, data: Record<string, unknown>, collector: NluCollector, issues: IssueCollector): void {
  const items = (data.nlu ?? []) as Item[];
  items.forEach((item, index) => {
    const path = ['nlu', index];
    if ('intent' in item) readIntent(file, item, path, collector, issues);
    else if ('synonym' in item) readSynonym(file, item, path, collector, issues);
    else if ('regex' in item) readListItem(file, item, 'regex', path, issues, (name, lines) => {
      for (const pattern of lines) collector.regexes.push({ name, pattern });
    });
    else if ('lookup' in item) readListItem(file, item, 'lookup', path, issues, (name, elements) => {
      collector.lookups.push({ name, elements });
    });
  });
  const responses = (data.responses ?? {}) as Record<string, ResponseVariation[]>;
  for (const [name, variations] of Object.entries(responses)) collector.responses[name] = variations;
}

interface RawExample {
  text: string;
  metadata: unknown;
  where: SourceRef;
}

function readIntent(file: YamlFile, item: Item, path: Array<string | number>, collector: NluCollector, issues: IssueCollector): void {
  const intent = item.intent as string;
  const examples = readExamples(file, item, path, intent, issues);
  if (examples.length === 0) {
    issues.warn('PARLEY_WARN_NLU_DATA', `The intent '${intent}' has no examples.`, locate(file, [...path, 'intent']));
  }
  for (const example of examples) {
    let parsed;
    try {
      parsed = parseAnnotatedText(example.text);
    } catch (error) {
      if (!isParleyError(error)) throw error;
      issues.error(error.code, error.message, example.where);
      continue;
    }
    for (const [surface, value] of synonymsFromEntities(parsed.text, parsed.entities)) {
      collector.addSynonym(surface, value, example.where, issues);
    }
    const nluExample: NluExample = { text: parsed.text, intent, entities: parsed.entities, source: example.where };
    const metadata = exampleMetadata(item.metadata, example.metadata);
    if (metadata !== undefined) nluExample.metadata = metadata;
    collector.examples.push(nluExample);
  }
}

/** Rasa keeps intent-level and example-level metadata apart: `{intent: ..., example: ...}`. */
function exampleMetadata(intentMetadata: unknown, exampleMetadataValue: unknown): unknown {
  if (intentMetadata === undefined && exampleMetadataValue === undefined) return undefined;
  const metadata: Record<string, unknown> = {};
  if (intentMetadata !== undefined) metadata.intent = intentMetadata;
  if (exampleMetadataValue !== undefined) metadata.example = exampleMetadataValue;
  return metadata;
}

function readExamples(file: YamlFile, item: Item, path: Array<string | number>, owner: string, issues: IssueCollector): RawExample[] {
  const examples = item.examples;
  if (typeof examples === 'string') {
    return blockLines(file, [...path, 'examples'], examples, owner, issues).map(({ text, where }) => ({
      text,
      metadata: undefined,
      where,
    }));
  }
  if (!Array.isArray(examples)) return [];
  const result: RawExample[] = [];
  examples.forEach((entry: { text: string; metadata?: unknown }, index) => {
    const text = stripEdges(entry.text);
    if (text === '') return;
    result.push({ text, metadata: entry.metadata, where: locate(file, [...path, 'examples', index, 'text']) });
  });
  return result;
}

/**
 * The `- example` lines of a block string. As in Rasa a line must start with `-` (no leading
 * space), otherwise it is skipped with a warning; the text after `-` is trimmed.
 */
function blockLines(
  file: YamlFile,
  path: Array<string | number>,
  block: string,
  owner: string,
  issues: IssueCollector,
): Array<{ text: string; where: SourceRef }> {
  const locateLine = lineLocator(file, path);
  const lines = block.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const result: Array<{ text: string; where: SourceRef }> = [];
  lines.forEach((line, index) => {
    const where = locateLine(index);
    if (!line.startsWith('-')) {
      issues.warn(
        'PARLEY_WARN_NLU_DATA',
        `An example of '${owner}' does not start with '-' and is skipped: '${line}'.`,
        where,
      );
      return;
    }
    const text = stripEdges(line.slice(1));
    if (text === '') {
      issues.warn('PARLEY_WARN_NLU_DATA', `An example of '${owner}' is empty and is skipped.`, where);
      return;
    }
    result.push({ text, where });
  });
  return result;
}

function readSynonym(file: YamlFile, item: Item, path: Array<string | number>, collector: NluCollector, issues: IssueCollector): void {
  readListItem(file, item, 'synonym', path, issues, (name, lines, wheres) => {
    lines.forEach((line, index) => collector.addSynonym(line, name, wheres[index], issues));
  });
}

function readListItem(
  file: YamlFile,
  item: Item,
  kind: 'synonym' | 'regex' | 'lookup',
  path: Array<string | number>,
  issues: IssueCollector,
  use: (name: string, lines: string[], wheres: SourceRef[]) => void,
): void {
  const name = item[kind] as string;
  if (typeof item.examples !== 'string' || item.examples.trim() === '') {
    issues.warn('PARLEY_WARN_NLU_DATA', `The ${kind} '${name}' has no examples and is skipped.`, locate(file, [...path, kind]));
    return;
  }
  const lines = blockLines(file, [...path, 'examples'], item.examples, name, issues);
  use(
    name,
    lines.map((line) => line.text),
    lines.map((line) => line.where),
  );
}

function stripEdges(text: string): string {
  return text.replace(/^[ \r\n]+|[ \r\n]+$/g, '');
}
