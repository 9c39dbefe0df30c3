/**
 * Project loader fuzz: mutated moodbot and formbot files (domain, config, data, credentials,
 * endpoints) are loaded in-process. Each case must either load or throw a `ParleyError` whose
 * problems name the file and a line:column, never another exception, never a hang.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError, ParleyAggregateError, type ParleyError } from '../../src/errors.js';
import { IssueCollector, loadCredentials, loadEndpoints, loadProject, parseYamlText } from '../../src/project/index.js';
import { Fuzzer, fuzzSeed, replayHint } from './generators.js';
import { mutateFile } from './yaml-mutations.js';

const SEED = fuzzSeed(20_261_209);
/** Whole-project loads cost ~25 ms each on a busy machine; the YAML-reader cases ~1 ms. */
const PROJECT_CASES = 400;
const YAML_CASES = 1_600;
/** Far above any real load (a few ms); only a runaway case gets near it. */
const RUNAWAY_MS = 10_000;

const BOTS = fileURLToPath(new URL('../../../shared/fixtures/bots/', import.meta.url));

/** An endpoints.yml as projects write it (the fixtures have none). */
const ENDPOINTS = `action_endpoint:
  url: "http://localhost:5055/webhook"
tracker_store:
  type: sql
  dialect: "sqlite"
  db: rasa.db
lock_store:
  type: in_memory
event_broker:
  type: pika
  url: localhost
  username: user
  password: "secret"
  queues:
    - rasa_events
nlg:
  url: http://localhost:5056/nlg
models:
  url: http://localhost:8080/models/default
  wait_time_between_pulls: 10
`;

const CREDENTIALS = `rest:
socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
  max_messages_per_minute: 30
rasa:
  url: "http://localhost:5002/api"
`;

interface Target {
  project: string;
  root: string;
  /** Path relative to the project root, as the loader names it. */
  file: string;
  original: string;
  /** `validate`: also run the validator's checks (as `parley train` does). */
  load: (validate?: boolean) => Promise<unknown>;
}

let workspace = '';
const targets: Target[] = [];

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'parley-fuzz-project-'));
  for (const project of ['moodbot', 'formbot']) {
    const root = join(workspace, project);
    cpSync(join(BOTS, project), root, { recursive: true });
    writeFileSync(join(root, 'endpoints.yml'), ENDPOINTS);
    writeFileSync(join(root, 'credentials.yml'), CREDENTIALS);
    const files = ['domain.yml', 'config.yml', 'data/nlu.yml', 'data/stories.yml', 'data/rules.yml', 'tests/test_stories.yml'];
    for (const file of files) {
      targets.push({ project, root, file, original: readFileSync(join(root, file), 'utf8'), load: (validate = false) => loadProject(root, { env: {}, validate }) });
    }
    targets.push({ project, root, file: 'credentials.yml', original: CREDENTIALS, load: () => loadCredentials(join(root, 'credentials.yml'), { env: {}, displayPath: 'credentials.yml' }) });
    targets.push({ project, root, file: 'endpoints.yml', original: ENDPOINTS, load: () => loadEndpoints(join(root, 'endpoints.yml'), { env: {}, displayPath: 'endpoints.yml' }) });
  }
});

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

/** Problems of a thrown error that do not say where they are (file, line and column). */
function unlocatedProblems(error: ParleyError): ParleyError[] {
  const problems = error instanceof ParleyAggregateError && error.problems.length > 0 ? error.problems : [error];
  return problems.filter((problem) => problem.location?.file === undefined || problem.location.line === undefined || problem.location.column === undefined);
}

/** What is wrong with the outcome of loading, or null. */
async function judgeLoad(target: Target, validate: boolean): Promise<string | null | 'loaded'> {
  try {
    await target.load(validate);
    return 'loaded';
  } catch (error) {
    if (!isParleyError(error)) return `threw ${(error as Error)?.name ?? typeof error}: ${String((error as Error)?.message ?? error).slice(0, 300)}`;
    const unlocated = unlocatedProblems(error);
    if (unlocated.length > 0) return `a ParleyError without file:line:column: ${unlocated.map((problem) => `${problem.code} ${problem.message.slice(0, 200)}`).join(' | ')}`;
    const text = error.toUserString();
    if (!new RegExp(`${target.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`).test(text) && !/:\d+:\d+/.test(text)) {
      return `the message names no file:line:column: ${text.slice(0, 300)}`;
    }
    return null;
  }
}

describe('project loader fuzz', () => {
  it('the original projects load', async () => {
    for (const target of targets) await expect(target.load(true)).resolves.toBeDefined();
  });

  it(`loads or refuses with located ParleyErrors ${PROJECT_CASES} mutated project files (loadProject, loadCredentials, loadEndpoints)`, async () => {
    const root = new Fuzzer(SEED);
    const failures: string[] = [];
    let loaded = 0;
    let refused = 0;
    for (let index = 0; index < PROJECT_CASES && failures.length < 25; index += 1) {
      const fuzzer = root.fork(index);
      const target = fuzzer.pick(targets);
      const path = join(target.root, target.file);
      writeFileSync(path, mutateFile(fuzzer, target.original));
      const started = performance.now();
      try {
        const outcome = await judgeLoad(target, fuzzer.chance(0.5));
        if (outcome === 'loaded') loaded += 1;
        else if (outcome === null) refused += 1;
        else failures.push(`${replayHint(SEED, index)}: ${target.project}/${target.file} → ${outcome}`);
      } finally {
        writeFileSync(path, target.original);
      }
      const elapsed = performance.now() - started;
      if (elapsed > RUNAWAY_MS) failures.push(`${replayHint(SEED, index)}: ${target.project}/${target.file} took ${Math.round(elapsed)} ms`);
    }
    expect(failures, `${failures.length} mutated files were handled wrongly`).toEqual([]);
    // Both outcomes were exercised (a mutation can leave a file valid, e.g. a changed comment).
    expect(loaded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  }, 120_000);

  it(`reads ${YAML_CASES} more mutated files with the loader's YAML reader: data or located errors, never an exception`, () => {
    const root = new Fuzzer(SEED + 1);
    const failures: string[] = [];
    for (let index = 0; index < YAML_CASES && failures.length < 25; index += 1) {
      const fuzzer = root.fork(index);
      const target = fuzzer.pick(targets);
      const text = mutateFile(fuzzer, target.original).toString('utf8');
      const issues = new IssueCollector();
      const started = performance.now();
      try {
        const file = parseYamlText(text, { absPath: join(target.root, target.file), path: target.file }, issues, { env: {}, envScope: fuzzer.pick(['plain', 'all'] as const) });
        if (file === null && !issues.hasErrors) failures.push(`${replayHint(SEED + 1, index)}: ${target.file} → no data and no error`);
        for (const problem of issues.errors) {
          if (problem.location?.file !== target.file || problem.location.line === undefined || problem.location.column === undefined) {
            failures.push(`${replayHint(SEED + 1, index)}: ${target.file} → unlocated ${problem.code}: ${problem.message.slice(0, 200)}`);
          }
        }
      } catch (error) {
        failures.push(`${replayHint(SEED + 1, index)}: ${target.file} → threw ${(error as Error).name}: ${(error as Error).message.slice(0, 200)}`);
      }
      const elapsed = performance.now() - started;
      if (elapsed > RUNAWAY_MS) failures.push(`${replayHint(SEED + 1, index)}: ${target.file} took ${Math.round(elapsed)} ms`);
    }
    expect(failures, `${failures.length} mutated files were read wrongly`).toEqual([]);
  }, 60_000);
});

/** Inputs the fuzzing found; each failed before its fix. */
describe('project loader fuzz regressions', () => {
  const read = (text: string, path = 'domain.yml') => {
    const issues = new IssueCollector();
    const file = parseYamlText(text, { absPath: `/project/${path}`, path }, issues, { env: {} });
    return { file, errors: issues.errors };
  };
  const deepKeys = Array.from({ length: 500 }, (_, depth) => `${' '.repeat(depth * 2)}k${depth}:`).join('\n');

  it('refuses a self-referencing alias (bomb: &b [*b, *b, …]) at its line and column instead of building cyclic data (it took 20 s in a large file)', () => {
    const text = `version: "3.1"\nintents:\n  - greet\n${deepKeys} 1\nbomb: &b [${Array.from({ length: 50 }, () => '*b').join(', ')}]\n`;
    const { file, errors } = read(text);
    expect(file).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/'\*b' sits inside the node its anchor '&b' names/);
    expect(errors[0].location).toEqual({ file: 'domain.yml', line: 504, column: 11 });
  });

  it('refuses the billion laughs with a located error naming the limit', async () => {
    const laughs = ['lol0: &lol0 "lol"', ...Array.from({ length: 9 }, (_, level) => `lol${level + 1}: &lol${level + 1} [${Array.from({ length: 10 }, () => `*lol${level}`).join(', ')}]`)].join('\n');
    const { errors } = read(`${laughs}\n`);
    expect(errors.map((error) => error.location)).toEqual([{ file: 'domain.yml', line: expect.any(Number), column: expect.any(Number) }]);
    expect(errors[0].message).toMatch(/billion laughs/);
    const target = targets.find((candidate) => candidate.project === 'moodbot' && candidate.file === 'domain.yml')!;
    writeFileSync(join(target.root, 'domain.yml'), `${laughs}\n${target.original}`);
    try {
      await expect(target.load()).rejects.toThrow(/domain\.yml:\d+:\d+: The YAML in 'domain\.yml' cannot be read: its aliases/);
    } finally {
      writeFileSync(join(target.root, 'domain.yml'), target.original);
    }
  });

  it('reads a credentials.yml with channels named __proto__ and constructor instead of failing with a TypeError', async () => {
    const target = targets.find((candidate) => candidate.project === 'moodbot' && candidate.file === 'credentials.yml')!;
    writeFileSync(join(target.root, 'credentials.yml'), 'rest:\n__proto__:\n  session_persistence: "true"\nconstructor:\n  x: 1\n');
    try {
      const credentials = (await target.load()) as Array<{ name: string; options: unknown }>;
      expect(credentials.map((entry) => entry.name)).toEqual(['rest', '__proto__', 'constructor']);
      expect(credentials[1].options).toEqual({ session_persistence: 'true' });
    } finally {
      writeFileSync(join(target.root, 'credentials.yml'), target.original);
    }
  });

  it('points "the domain is empty" (a domain.yml with every key deleted, loaded with validation) at domain.yml:1:1', async () => {
    const target = targets.find((candidate) => candidate.project === 'moodbot' && candidate.file === 'domain.yml')!;
    writeFileSync(join(target.root, 'domain.yml'), 'version: "3.1"\n');
    try {
      await expect(target.load(true)).rejects.toThrow(/domain\.yml:1:1: The domain is empty/);
    } finally {
      writeFileSync(join(target.root, 'domain.yml'), target.original);
    }
  });

  it('names the line and column of an unresolved alias and of a merge key whose source is not a mapping', () => {
    const unresolved = read('intents:\n  - greet\nstories: &s\n  - *later\nlater: &later 1\n');
    expect(unresolved.errors[0].message).toMatch(/unresolved alias/i);
    expect(unresolved.errors[0].location).toEqual({ file: 'domain.yml', line: 4, column: 5 });
    const merge = read('base: &base [1, 2]\nslots:\n  <<: *base\n');
    expect(merge.errors[0].message).toMatch(/merge/i);
    expect(merge.errors[0].location).toEqual({ file: 'domain.yml', line: 3, column: 3 });
  });
});
