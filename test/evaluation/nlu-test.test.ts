import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNluTest } from '../../src/evaluation/nlu-test.js';
import { silentLogger } from '../../src/logger.js';
import { newModelMetadata, saveModel } from '../../src/model/model.js';
import { trainNlu } from '../../src/nlu/index.js';
import { domainForNlu, readNluInputs, trainNluProject } from '../../src/train/train-nlu.js';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const CHATBOT = join(FIXTURES, 'nlu', 'braun', 'chatbot');

let root: string;
let modelPath: string;
beforeAll(async () => {
  // The Braun chatbot corpus: two intents and five entity types, 100 training examples.
  root = mkdtempSync(join(tmpdir(), 'parley-nlu-test-'));
  mkdirSync(join(root, 'data'));
  copyFileSync(join(FIXTURES, 'bots', 'moodbot', 'config.yml'), join(root, 'config.yml'));
  copyFileSync(join(CHATBOT, 'train.yml'), join(root, 'data', 'train.yml'));
  modelPath = (await trainNluProject({ root, fixedModelName: 'chatbot', logger: silentLogger() })).modelPath;
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (out: string | null, extra: Partial<Parameters<typeof runNluTest>[0]> = {}) =>
  runNluTest({ modelPath, nlu: [join(CHATBOT, 'test.yml')], out, root, ...extra });
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('runNluTest', () => {
  it('writes Rasa\'s intent and entity reports, the errors files and the HTML report', async () => {
    const out = join(root, 'results');
    const progress: number[] = [];
    const result = await run(out, { onProgress: (event) => progress.push(event.fraction) });
    expect(result.examples).toBe(106);
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining(['DIETClassifier_report.json', 'intent_report.json', 'nlu_report.html']));
    const intents = readJson(join(out, 'intent_report.json'));
    expect(Object.keys(intents)).toEqual(expect.arrayContaining(['DepartureTime', 'FindConnection', 'macro avg', 'weighted avg']));
    expect(intents.DepartureTime).toEqual(
      expect.objectContaining({ precision: expect.any(Number), recall: expect.any(Number), 'f1-score': expect.any(Number), support: 35, confused_with: expect.any(Object) }),
    );
    const entities = readJson(join(out, 'DIETClassifier_report.json'));
    expect(Object.keys(entities)).toEqual(expect.arrayContaining(['StationStart', 'StationDest', 'weighted avg']));
    expect(entities).not.toHaveProperty('no_entity');
    if (existsSync(join(out, 'DIETClassifier_errors.json'))) {
      const [first] = readJson(join(out, 'DIETClassifier_errors.json'));
      expect(Object.keys(first)).toEqual(['text', 'entities', 'predicted_entities']);
    }
    const html = readFileSync(join(out, 'nlu_report.html'), 'utf8');
    expect(html).toContain('aria-label="Intent confusion matrix"');
    expect(html).toContain('aria-label="Confidence histogram"');
    expect(html).toContain('Entities: DIETClassifier');
    expect(progress.at(-1)).toBe(1);
    expect(result.evaluations.intents?.predictions).toHaveLength(106);
  });

  it('writes successes with --successes and no errors or HTML with --no-errors --no-plot', async () => {
    const out = join(root, 'quiet');
    await run(out, { successes: true, errors: false, plot: false });
    const files = readdirSync(out);
    expect(files).toContain('intent_successes.json');
    expect(files.filter((file) => file.endsWith('_errors.json'))).toEqual([]);
    expect(files).not.toContain('nlu_report.html');
    const [success] = readJson(join(out, 'intent_successes.json'));
    expect(Object.keys(success)).toEqual(['text', 'intent', 'intent_prediction']);
    expect(success.intent).toBe(success.intent_prediction.name);
  });

  it('writes the intent errors Rasa lists when an intent is predicted wrongly', async () => {
    const out = join(root, 'wrong');
    const data = join(root, 'wrong.yml');
    writeFileSync(data, 'version: "3.1"\nnlu:\n- intent: FindConnection\n  examples: |\n    - when does the next bus leave\n- intent: DepartureTime\n  examples: |\n    - when is the next train\n');
    await runNluTest({ modelPath, nlu: [data], out, root });
    const errors = readJson(join(out, 'intent_errors.json'));
    expect(errors).toEqual([{ text: 'when does the next bus leave', intent: 'FindConnection', intent_prediction: { name: 'DepartureTime', confidence: expect.any(Number) } }]);
  });

  it('writes nothing without an output folder', async () => {
    const result = await run(null);
    expect(result.files).toEqual([]);
    expect(result.evaluations.intents?.report.DepartureTime).not.toHaveProperty('confused_with');
  });

  it('names a missing test file and a test file without examples', async () => {
    await expect(runNluTest({ modelPath, nlu: [join(root, 'missing.yml')], out: null, root })).rejects.toThrow(/NLU test data 'missing\.yml' does not exist/);
    const empty = join(root, 'empty.yml');
    writeFileSync(empty, '');
    await expect(runNluTest({ modelPath, nlu: [empty], out: null, root })).rejects.toThrow(/'empty\.yml' has no NLU examples/);
  });

  it('refuses a model without an NLU pipeline, naming the model', async () => {
    const inputs = await readNluInputs({ root });
    const nlu = await trainNlu({ nlu: { ...inputs.nlu, examples: [] }, domain: domainForNlu(inputs.nlu), config: inputs.config });
    const bare = join(root, 'bare.tar.gz');
    const metadata = newModelMetadata({ assistantId: null, fingerprint: 'x', language: 'en', parts: { nlu: true, core: true } });
    await saveModel(bare, { metadata, domain: domainForNlu(inputs.nlu), nlu, core: null });
    await expect(runNluTest({ modelPath: bare, nlu: [join(CHATBOT, 'test.yml')], out: null, root })).rejects.toThrow(/The model 'bare\.tar\.gz' has no NLU pipeline/);
  });
});

describe('runNluTest with retrieval intents', () => {
  it('scores the ResponseSelector on full response keys into response_selection_report.json', async () => {
    const project = mkdtempSync(join(tmpdir(), 'parley-nlu-rs-'));
    try {
      mkdirSync(join(project, 'data'));
      copyFileSync(join(FIXTURES, 'bots', 'moodbot', 'config.yml'), join(project, 'config.yml'));
      const examples = (intent: string, texts: string[]) => `- intent: ${intent}\n  examples: |\n${texts.map((text) => `    - ${text}\n`).join('')}`;
      writeFileSync(
        join(project, 'data', 'nlu.yml'),
        'version: "3.1"\nnlu:\n' +
          examples('greet', ['hello', 'hi there', 'good morning', 'hey']) +
          examples('chitchat/ask_name', ['what is your name', 'who are you', 'tell me your name', 'what should I call you']) +
          examples('chitchat/ask_weather', ['how is the weather', 'is it raining', 'will it be sunny today', 'what is the weather like']) +
          'responses:\n  utter_chitchat/ask_name:\n  - text: I am Parley.\n  utter_chitchat/ask_weather:\n  - text: Sunny.\n',
      );
      const model = await trainNluProject({ root: project, logger: silentLogger() });
      const out = join(project, 'results');
      const result = await runNluTest({ modelPath: model.modelPath, nlu: [join(project, 'data')], out, root: project });
      expect(result.evaluations.responses?.predictions).toHaveLength(8);
      const report = readJson(join(out, 'response_selection_report.json'));
      expect(Object.keys(report)).toEqual(expect.arrayContaining(['chitchat/ask_name', 'chitchat/ask_weather', 'weighted avg']));
      // Retrieval intents are scored on their base intent in the intent report.
      expect(Object.keys(readJson(join(out, 'intent_report.json')))).toEqual(expect.arrayContaining(['chitchat', 'greet']));
      // Nothing is annotated or found: Rasa still writes the extractor's (empty) report.
      expect(readJson(join(out, 'DIETClassifier_report.json'))).toEqual({});
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
