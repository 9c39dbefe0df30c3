/**
 * Corrections as Rasa 3.x NLU training data: one `- intent: x / examples: |` block per intent,
 * entities annotated inline (`[Berlin](city)`, or `[Berlin]{"entity": "city", "role": "to"}`).
 * Every example is parsed back with the project loader's annotation parser before it is written,
 * so a text that would read back differently is left out (and reported) instead of corrupting data.
 */
import { Document, Scalar } from 'yaml';
import { parseAnnotatedText } from '../project/entities-parser.js';
import type { CorrectedEntity } from './correction-store.js';

/** What Rasa 3.x writes as `version:` in training data. */
export const TRAINING_DATA_VERSION = '3.1';

/** One labelled example, before annotation. */
export interface NluExample {
  text: string;
  intent: string;
  entities: readonly CorrectedEntity[];
}

export interface NluExportResult {
  yaml: string;
  /** Texts left out, each with the reason. */
  skipped: string[];
}

/** `json.dumps`-style object text (`{"entity": "city", "role": "to"}`), as Rasa writes annotations. */
function annotationJson(value: Record<string, string>): string {
  return `{${Object.entries(value)
    .map(([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`)
    .join(', ')}}`;
}

/** The example text with its entities written inline. */
export function annotate(text: string, entities: readonly CorrectedEntity[]): string {
  let result = '';
  let position = 0;
  for (const entity of [...entities].sort((a, b) => a.start - b.start)) {
    const covered = text.slice(entity.start, entity.end);
    const simple = entity.role === undefined && entity.group === undefined && entity.value === covered;
    let annotation: string;
    if (simple) {
      annotation = `(${entity.entity})`;
    } else {
      const fields: Record<string, string> = { entity: entity.entity };
      if (entity.value !== covered) fields.value = entity.value;
      if (entity.role !== undefined) fields.role = entity.role;
      if (entity.group !== undefined) fields.group = entity.group;
      annotation = annotationJson(fields);
    }
    result += `${text.slice(position, entity.start)}[${covered}]${annotation}`;
    position = entity.end;
  }
  return result + text.slice(position);
}

/** Why the annotated line would not read back as this example, or null when it does. */
function roundTripProblem(example: NluExample, line: string): string | null {
  if (example.text.trim() === '') return 'the message is empty';
  if (/[\r\n]/.test(example.text)) return 'the message spans several lines';
  if (example.text !== example.text.trim()) return 'the message starts or ends with spaces';
  if (example.text.startsWith('/')) return 'the message is an intent shortcut';
  try {
    const parsed = parseAnnotatedText(line);
    const same =
      parsed.text === example.text &&
      parsed.entities.length === example.entities.length &&
      parsed.entities.every((entity, index) => {
        const expected = [...example.entities].sort((a, b) => a.start - b.start)[index];
        return entity.entity === expected.entity && entity.start === expected.start && entity.end === expected.end && entity.value === expected.value;
      });
    return same ? null : 'its brackets would be read as entity annotations';
  } catch {
    return 'its brackets would be read as entity annotations';
  }
}

/**
 * The NLU file for `examples` (later examples of the same text replace earlier ones).
 * @example buildNluYaml([{ text: 'hi there', intent: 'greet', entities: [] }]).yaml
 */
export function buildNluYaml(examples: readonly NluExample[]): NluExportResult {
  const skipped: string[] = [];
  const byText = new Map<string, { intent: string; line: string }>();
  for (const example of examples) {
    const line = annotate(example.text, example.entities);
    const problem = roundTripProblem(example, line);
    if (problem) {
      skipped.push(`'${example.text}': ${problem}`);
      continue;
    }
    byText.delete(example.text);
    byText.set(example.text, { intent: example.intent, line });
  }
  const byIntent = new Map<string, string[]>();
  for (const { intent, line } of byText.values()) {
    const lines = byIntent.get(intent) ?? [];
    lines.push(line);
    byIntent.set(intent, lines);
  }
  const nlu = [...byIntent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([intent, lines]) => {
      const examplesText = new Scalar(lines.map((line) => `- ${line}`).join('\n') + '\n');
      examplesText.type = 'BLOCK_LITERAL';
      return { intent, examples: examplesText };
    });
  const document = new Document({ version: TRAINING_DATA_VERSION, nlu });
  (document.get('version', true) as Scalar).type = 'QUOTE_DOUBLE';
  return { yaml: document.toString({ lineWidth: 0, indentSeq: false }), skipped };
}
