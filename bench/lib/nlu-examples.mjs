/**
 * NLU examples as the benchmarks hold them (`{ intent, text, entities: [{ entity, value, start, end }] }`),
 * read from Rasa 3.x NLU YAML in the layout of the shared fixtures and written back as an
 * NLU-only project.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Examples of a Rasa 3.x NLU file written as these fixtures are (`- intent: X` then a block of
 * `    - text` lines with `[surface](entity)` or `[surface](entity:value)` annotations).
 */
export function readNluExamples(path) {
  const examples = [];
  let intent = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const header = /^- intent: (\S+)/.exec(line);
    if (header) {
      intent = header[1];
      continue;
    }
    if (/^- /.test(line)) intent = null;
    const item = /^ {4}- (.*)$/.exec(line);
    if (item && intent) examples.push({ intent, ...parseAnnotated(item[1]) });
  }
  return examples;
}

/** `play [adele](artist) now` → text and entity spans. */
export function parseAnnotated(annotated) {
  const entities = [];
  let text = '';
  const pattern = /\[([^\]]+)\]\(([^)]+)\)/g;
  let last = 0;
  for (let match = pattern.exec(annotated); match; match = pattern.exec(annotated)) {
    text += annotated.slice(last, match.index);
    const [entity, value] = match[2].split(':');
    entities.push({ entity, value: value ?? match[1], start: text.length, end: text.length + match[1].length });
    text += match[1];
    last = match.index + match[0].length;
  }
  text += annotated.slice(last);
  return { text, entities };
}

/** The inverse of parseAnnotated: an example's text with its entities marked up (`entity:value` where the value is a synonym). */
export function annotate(example) {
  let out = '';
  let last = 0;
  for (const entity of example.entities) {
    const surface = example.text.slice(entity.start, entity.end);
    const target = entity.value === surface ? entity.entity : `${entity.entity}:${entity.value}`;
    out += `${example.text.slice(last, entity.start)}[${surface}](${target})`;
    last = entity.end;
  }
  return out + example.text.slice(last);
}

/**
 * Writes an NLU-only Rasa project into `root`: data/nlu.yml with the examples grouped by intent
 * (in order of first appearance), Rasa's default pipeline, and a domain listing the intents and
 * `entities` (by default those the examples use).
 * @returns {string} root
 */
export function writeNluOnlyProject(root, examples, { entities = entitiesOf(examples) } = {}) {
  mkdirSync(join(root, 'data'), { recursive: true });
  const byIntent = new Map();
  for (const example of examples) byIntent.set(example.intent, [...(byIntent.get(example.intent) ?? []), example]);
  let nlu = 'version: "3.1"\nnlu:\n';
  for (const [intent, list] of byIntent) {
    nlu += `- intent: ${intent}\n  examples: |\n${list.map((example) => `    - ${annotate(example)}\n`).join('')}`;
  }
  writeFileSync(join(root, 'data', 'nlu.yml'), nlu);
  writeFileSync(join(root, 'config.yml'), 'recipe: default.v1\nlanguage: en\npipeline:\npolicies:\n');
  const list = (names) => (names.length ? names.map((name) => `  - ${JSON.stringify(name)}\n`).join('') : '  []\n');
  writeFileSync(join(root, 'domain.yml'), `version: "3.1"\nintents:\n${list([...byIntent.keys()])}entities:\n${list(entities)}`);
  return root;
}

/** The entity types the examples use, in order of first appearance. */
export function entitiesOf(examples) {
  return [...new Set(examples.flatMap((example) => example.entities.map((entity) => entity.entity)))];
}
