/**
 * Reads NLU data for evaluation and NLU-only training: a YAML file, a folder of YAML files (every
 * file with `nlu:` counts, stories are skipped), or Rasa's JSON format (`rasa_nlu_data`).
 */
import { readFile } from 'node:fs/promises';
import { ParleyError } from '../errors.js';
import { displayPath, exists, isDirectory, listYamlFiles } from '../project/discovery.js';
import { acceptsFormatVersion } from '../project/format-version.js';
import { IssueCollector } from '../project/issues.js';
import { NluCollector, readNluFile } from '../project/nlu-reader.js';
import { checkSchema } from '../project/schemas/report.js';
import { nluFileSchema } from '../project/schemas/training-data.js';
import { isMapping, readYamlFile } from '../project/yaml.js';
import type { ProjectFile } from '../shared/project.js';
import type { NluData, NluExample } from '../shared/training-data.js';

export interface NluDataFiles {
  nlu: NluData;
  /** The files read, for a model fingerprint. */
  files: ProjectFile[];
  /** The names shown in messages (relative to the root). */
  shownPaths: string[];
}

/**
 * Reads every NLU file under `targets` (files or folders).
 * @throws ParleyError `PARLEY_ERR_FILE_NOT_FOUND` naming a path that does not exist
 * @throws ProjectFilesError listing every YAML problem with file:line:column
 * @throws ParleyError `PARLEY_ERR_TRAINING_DATA_INVALID` when no example is found (`what` names the data in the message)
 */
export async function readNluData(targets: readonly string[], root: string, what = 'NLU data'): Promise<NluDataFiles> {
  const issues = new IssueCollector();
  const collector = new NluCollector();
  const files: ProjectFile[] = [];
  const shownPaths = targets.map((target) => displayPath(root, target));
  let jsonExamples: NluExample[] = [];
  for (const target of targets) {
    const shown = displayPath(root, target);
    if (!(await exists(target))) {
      throw new ParleyError('PARLEY_ERR_FILE_NOT_FOUND', `The ${what} '${shown}' does not exist. Point --nlu at a YAML file or a folder of them.`);
    }
    if (!(await isDirectory(target)) && target.toLowerCase().endsWith('.json')) {
      jsonExamples = [...jsonExamples, ...(await readJsonNluFile(target, shown))];
      continue;
    }
    for (const absPath of await listYamlFiles(target)) {
      const file = await readYamlFile(absPath, displayPath(root, absPath), issues);
      if (!file) continue;
      const data = file.data ?? {};
      if (!isMapping(data) || !('nlu' in data || 'responses' in data)) continue;
      if (!acceptsFormatVersion(file, data, issues)) continue;
      if (!checkSchema(file, data, nluFileSchema, issues, 'PARLEY_ERR_YAML_SCHEMA')) continue;
      readNluFile(file, data, collector, issues);
      files.push({ path: file.path, sha256: file.sha256 });
    }
  }
  issues.throwIfErrors(`the ${what}`);
  const nlu = collector.toNluData();
  nlu.examples.push(...jsonExamples);
  if (nlu.examples.every((example) => example.text.trim() === '')) {
    throw new ParleyError(
      'PARLEY_ERR_TRAINING_DATA_INVALID',
      `The ${what} '${shownPaths.join("', '")}' has no NLU examples. Point --nlu at a file with 'nlu:' intents and examples, or a folder of such files.`,
      { location: { file: shownPaths[0] } },
    );
  }
  return { nlu, files, shownPaths };
}

interface JsonExample {
  text?: unknown;
  intent?: unknown;
  entities?: unknown;
}

/** Rasa's JSON training-data format: `{"rasa_nlu_data": {"common_examples": [...]}}`. */
export function nluExamplesFromJson(document: unknown, shown: string): NluExample[] {
  const data = isMapping(document) && isMapping(document.rasa_nlu_data) ? document.rasa_nlu_data : null;
  if (data === null || (data.common_examples !== undefined && !Array.isArray(data.common_examples))) {
    throw new ParleyError(
      'PARLEY_ERR_TRAINING_DATA_INVALID',
      `'${shown}' is not Rasa NLU JSON: expected {"rasa_nlu_data": {"common_examples": [...]}}.`,
      { location: { file: shown } },
    );
  }
  const examples = (data.common_examples ?? []) as JsonExample[];
  return examples.map((example, index) => {
    if (!isMapping(example) || typeof example.text !== 'string') {
      throw new ParleyError('PARLEY_ERR_TRAINING_DATA_INVALID', `Example ${index + 1} of '${shown}' has no 'text'.`, { location: { file: shown } });
    }
    const entities = Array.isArray(example.entities) ? (example.entities as NluExample['entities']) : [];
    return { text: example.text, intent: typeof example.intent === 'string' ? example.intent : '', entities };
  });
}

async function readJsonNluFile(absPath: string, shown: string): Promise<NluExample[]> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(absPath, 'utf8'));
  } catch (error) {
    throw new ParleyError('PARLEY_ERR_YAML_SYNTAX', `'${shown}' is not valid JSON: ${(error as Error).message}`, { location: { file: shown } });
  }
  return nluExamplesFromJson(document, shown);
}
