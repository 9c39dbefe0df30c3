/** Naming trained models and finding the newest one in a models directory. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ParleyError } from '../errors.js';

const ADJECTIVES = [
  'amber', 'brave', 'calm', 'clever', 'eager', 'gentle', 'happy', 'jolly', 'kind', 'lively',
  'mellow', 'nimble', 'proud', 'quick', 'quiet', 'sunny', 'swift', 'tidy', 'warm', 'witty',
];
const NOUNS = [
  'badger', 'cedar', 'comet', 'dune', 'falcon', 'fern', 'harbor', 'heron', 'lagoon', 'maple',
  'meadow', 'otter', 'pebble', 'puffin', 'river', 'robin', 'spruce', 'tern', 'willow', 'wren',
];

/** `YYYYMMDD-HHMMSS-<adjective>-<noun>`, in local time as Rasa names its models. */
export function newModelName(date: Date = new Date(), random: () => number = Math.random): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp =
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  const pick = (words: string[]) => words[Math.floor(random() * words.length)];
  return `${stamp}-${pick(ADJECTIVES)}-${pick(NOUNS)}`;
}

/** Every `.tar.gz` in `directory`, newest (by modification time) first. */
export function listModels(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.tar.gz'))
    .map((name) => join(directory, name))
    .map((path) => ({ path, mtime: statSync(path).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || (a.path < b.path ? 1 : -1))
    .map((entry) => entry.path);
}

/**
 * Resolves `--model` the way Rasa does: a file is used as is, a directory yields its newest
 * archive; returns undefined when a directory holds no model.
 */
export function resolveModelPath(modelOption: string): string | undefined {
  const path = resolve(modelOption);
  if (!existsSync(path)) {
    if (modelOption.endsWith('.tar.gz')) {
      throw new ParleyError('PARLEY_ERR_MODEL_NOT_FOUND', `The model file '${modelOption}' does not exist.`);
    }
    return undefined;
  }
  if (statSync(path).isFile()) return path;
  return listModels(path)[0];
}
