/**
 * Bench projects: an unmodified moodbot (plus a credentials.yml with `rest` and `socketio` and an
 * endpoints.yml with the in-memory tracker store the targets speak of) and SNIPS as an NLU-only
 * project, copied into temp dirs and trained with `parley train`.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entitiesOf, readNluExamples, writeNluOnlyProject } from './nlu-examples.mjs';
import { PARLEY_BIN, runToCompletion } from './processes.mjs';

export const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
export const MOODBOT_FIXTURE = join(FIXTURES, 'bots/moodbot');
export const SNIPS_DIR = join(FIXTURES, 'nlu/snips');

const CREDENTIALS = 'rest:\nsocketio:\n  user_message_evt: user_uttered\n  bot_message_evt: bot_uttered\n  session_persistence: false\n';
const ENDPOINTS = 'tracker_store:\n  type: in_memory\n';

/** A temp dir that is removed when the benchmark process exits. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Train the project with the CLI; throws with the CLI's output when training fails. */
export async function trainProject(root, { force = false } = {}) {
  const args = [PARLEY_BIN, 'train', '--project', root];
  if (force) args.push('--force');
  const result = await runToCompletion(process.execPath, args);
  if (result.code !== 0) throw new Error(`parley train failed for ${root}:\n${result.output}`);
  return result;
}

/** The moodbot project files (no model) in a fresh temp dir. */
export function copyMoodbot() {
  const root = join(tempDir('parley-bench-'), 'moodbot');
  cpSync(MOODBOT_FIXTURE, root, { recursive: true });
  writeFileSync(join(root, 'credentials.yml'), CREDENTIALS);
  writeFileSync(join(root, 'endpoints.yml'), ENDPOINTS);
  return root;
}

/** endpoints.yml text for a map of sections (`{ tracker_store: { type: 'sqlite', … } }`); JSON values are valid YAML. */
export function endpointsYaml(endpoints) {
  return Object.entries(endpoints)
    .map(([section, values]) => `${section}:\n${Object.entries(values).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}\n`).join('')}`)
    .join('');
}

/** A copy of the project `source` (e.g. a trained moodbot) at `root`, with its endpoints.yml replaced. */
export function projectWithEndpoints(source, root, endpoints) {
  cpSync(source, root, { recursive: true });
  writeFileSync(join(root, 'endpoints.yml'), endpointsYaml(endpoints));
  return root;
}

/**
 * A trained moodbot. `reuse` (env PARLEY_BENCH_MOODBOT) names an already trained copy; otherwise
 * a copy trained by this build of Parley is kept in the temp dir (keyed by the fixture and dist/
 * files) so several benchmarks, and the smoke tests running in parallel, train once.
 */
export async function trainedMoodbot(reuse = process.env.PARLEY_BENCH_MOODBOT) {
  if (reuse && hasModel(reuse)) return reuse;
  const cached = join(tmpdir(), `parley-bench-moodbot-${buildKey()}`);
  if (hasModel(cached)) return cached;
  const root = copyMoodbot();
  await trainProject(root);
  const staging = `${cached}.${process.pid}`;
  cpSync(root, staging, { recursive: true });
  try {
    renameSync(staging, cached);
  } catch {
    // Another process finished first; its copy is as good.
    rmSync(staging, { recursive: true, force: true });
  }
  return hasModel(cached) ? cached : root;
}

/** Changes whenever the moodbot fixture or the built Parley changes. */
function buildKey() {
  const hash = createHash('sha256');
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else hash.update(`${path}:${statSync(path).size}:${statSync(path).mtimeMs}\n`);
    }
  };
  visit(MOODBOT_FIXTURE);
  visit(fileURLToPath(new URL('../../dist/', import.meta.url)));
  return hash.digest('hex').slice(0, 16);
}

export function hasModel(root) {
  const models = join(root, 'models');
  return existsSync(models) && readdirSync(models).some((name) => name.endsWith('.tar.gz'));
}

/** The `{ text, intent, entities }` examples of one split (`train`, `val`, `test`) of the SNIPS fixture. */
export function readSnips(split) {
  return readNluExamples(join(SNIPS_DIR, `${split}.yml`));
}

/**
 * SNIPS as an NLU-only Rasa project (Rasa's default pipeline; domain lists the intents and
 * entities). `limitPerIntent` trims the training data for the smoke setting.
 */
export function snipsProject({ limitPerIntent } = {}) {
  const examples = readSnips('train');
  const byIntent = new Map();
  for (const example of examples) {
    const list = byIntent.get(example.intent) ?? [];
    if (limitPerIntent === undefined || list.length < limitPerIntent) list.push(example);
    byIntent.set(example.intent, list);
  }
  const kept = [...byIntent.values()].flat();
  // Every entity type of the full data, so that a trimmed project has the same domain.
  const root = writeNluOnlyProject(join(tempDir('parley-bench-'), 'snips'), kept, { entities: entitiesOf(examples) });
  return { root, examples: kept };
}
