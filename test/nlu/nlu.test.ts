import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { NluModelData, NluProgressEvent } from '../../src/nlu/index.js';
import { loadNlu, trainNlu } from '../../src/nlu/index.js';
import type { Domain } from '../../src/shared/domain.js';
import type { NluInterpreter } from '../../src/shared/nlu.js';
import type { NluData } from '../../src/shared/training-data.js';
import {
  capturingLogger,
  domainFor,
  FIXTURES,
  INFO,
  labelledStoryTexts,
  WARN,
  nluDataFromYaml,
  readNluData,
  testConfig,
  testDomain,
} from './helpers.js';

function accuracy(nlu: NluInterpreter, examples: ReadonlyArray<{ text: string; intent: string }>): number {
  return examples.filter((example) => nlu.parse(example.text).intent.name === example.intent).length / examples.length;
}

describe('moodbot (default pipeline)', () => {
  let model: NluModelData;
  let nlu: NluInterpreter;
  let domain: Domain;
  const events: NluProgressEvent[] = [];
  const { logger, logs } = capturingLogger();

  beforeAll(async () => {
    const data = readNluData('bots', 'moodbot', 'data', 'nlu.yml');
    domain = domainFor(data);
    model = await trainNlu({ nlu: data, domain, config: testConfig(null) }, { logger, onProgress: (event) => events.push(event) });
    nlu = loadNlu(model, domain);
  });

  it('classifies the user texts of the test stories with their labelled intents', () => {
    const examples = labelledStoryTexts('bots/moodbot/tests/test_stories.yml');
    expect(examples.length).toBeGreaterThan(10);
    // Measured: 1.0 (all 16 story turns, 11 distinct texts).
    expect(accuracy(nlu, examples)).toBeGreaterThanOrEqual(0.9);
  });

  it("answers in Rasa's parse shape with token offsets and a ranking", () => {
    const result = nlu.parse('hello there!');
    expect(Object.keys(result)).toEqual(['text', 'intent', 'entities', 'text_tokens', 'intent_ranking']);
    expect(result.text).toBe('hello there!');
    expect(result.intent.name).toBe('greet');
    expect(result.text_tokens).toEqual([
      [0, 5],
      [6, 11],
    ]);
    const ranking = result.intent_ranking ?? [];
    expect(ranking[0]).toEqual(result.intent);
    expect(ranking).toHaveLength(7);
    for (let i = 1; i < ranking.length; i++) expect(ranking[i].confidence).toBeLessThanOrEqual(ranking[i - 1].confidence);
  });

  it('says that the default pipeline was used, in the log and the progress events', () => {
    expect(model.pipelineSource).toBe('default');
    expect(logs.some((line) => line.level === INFO && line.msg.includes("Rasa's default NLU pipeline"))).toBe(true);
    expect(events[0]).toMatchObject({ stage: 'nlu.pipeline', fraction: 0 });
    expect(events[0].message).toContain('default');
    expect(events.at(-1)).toMatchObject({ stage: 'nlu.done', fraction: 1 });
    for (let i = 1; i < events.length; i++) expect(events[i].fraction).toBeGreaterThanOrEqual(events[i - 1].fraction);
  });

  it('gives identical parse results after saving the model as JSON and loading it again', () => {
    const reloaded = loadNlu(JSON.parse(JSON.stringify(model)) as NluModelData, domain);
    for (const text of ['hello there!', 'I am very sad', 'bye-bye!', 'are you a bot?', 'xyzzy', '/greet']) {
      expect(reloaded.parse(text)).toEqual(nlu.parse(text));
    }
  });

  it('trains the identical model again from the same data and seed', async () => {
    const data = readNluData('bots', 'moodbot', 'data', 'nlu.yml');
    const config = testConfig([
      { name: 'WhitespaceTokenizer' },
      { name: 'CountVectorsFeaturizer' },
      { name: 'DIETClassifier', random_seed: 42 },
    ]);
    const first = await trainNlu({ nlu: data, domain, config });
    const second = await trainNlu({ nlu: data, domain, config });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('lets the /intent shortcut override the pipeline and the fallback', () => {
    expect(nlu.parse('/mood_great')).toEqual({
      text: '/mood_great',
      intent: { name: 'mood_great', confidence: 1 },
      entities: [],
      intent_ranking: [{ name: 'mood_great', confidence: 1 }],
    });
    expect(nlu.parse('/not_an_intent').intent.name).not.toBe('not_an_intent');
  });

  it('falls back to nlu_fallback for gibberish far from every intent', async () => {
    const data = readNluData('bots', 'moodbot', 'data', 'nlu.yml');
    const strict = loadNlu(
      await trainNlu({
        nlu: data,
        domain,
        config: testConfig([
          { name: 'WhitespaceTokenizer' },
          { name: 'CountVectorsFeaturizer' },
          { name: 'DIETClassifier' },
          { name: 'FallbackClassifier', threshold: 0.7 },
        ]),
      }),
      domain,
    );
    const result = strict.parse('qwertz uiop');
    expect(result.intent).toEqual({ name: 'nlu_fallback', confidence: 0.7 });
    expect(result.intent_ranking?.[0]).toEqual({ name: 'nlu_fallback', confidence: 0.7 });
    expect(result.intent_ranking?.length).toBe(8);
  });
});

describe('formbot (its own config: Duckling substitute, DIET, synonyms)', () => {
  let nlu: NluInterpreter;
  const config = parse(fs.readFileSync(path.join(FIXTURES, 'bots/formbot/config.yml'), 'utf8')) as { pipeline: Array<{ name: string }> };

  beforeAll(async () => {
    const data = readNluData('bots', 'formbot', 'data', 'nlu.yml');
    const domain = domainFor(data, ['number']);
    nlu = loadNlu(await trainNlu({ nlu: data, domain, config: testConfig(config.pipeline) }), domain);
  });

  it('extracts cuisines it never saw in sentences it never saw', () => {
    const cases: Array<[string, string]> = [
      ['I would like some ethiopian food', 'ethiopian'],
      ['serving peruvian food', 'peruvian'],
      ['can I get armenian food', 'armenian'],
      ['looking for Afghan food', 'Afghan'],
    ];
    for (const [text, cuisine] of cases) {
      const entity = nlu.parse(text).entities.find((candidate) => candidate.entity === 'cuisine');
      expect(entity, text).toMatchObject({ value: cuisine, extractor: 'DIETClassifier' });
      expect(text.slice(entity?.start, entity?.end)).toBe(cuisine);
      expect(entity?.confidence_entity).toBeGreaterThan(0.5);
    }
  });

  it('applies the synonyms of the training data', () => {
    const entity = nlu.parse('serving gastro pub').entities.find((candidate) => candidate.entity === 'cuisine');
    expect(entity).toMatchObject({ value: 'gastropub', processors: ['EntitySynonymMapper'] });
  });

  it('extracts numbers without a Duckling server', () => {
    const numbers = (text: string) => nlu.parse(text).entities.filter((entity) => entity.entity === 'number').map((entity) => entity.value);
    expect(numbers('a table for two people')).toEqual([2]);
    expect(numbers('4')).toEqual([4]);
  });

  it('classifies a held-out quarter of the examples when trained on the rest', async () => {
    const data = readNluData('bots', 'formbot', 'data', 'nlu.yml');
    const train: NluData = { ...data, examples: data.examples.filter((_, index) => index % 4 !== 0) };
    const test = data.examples.filter((_, index) => index % 4 === 0);
    const domain = domainFor(data, ['number']);
    const heldOut = loadNlu(await trainNlu({ nlu: train, domain, config: testConfig(config.pipeline) }), domain);
    // Measured: 0.88 (64 of 73) with this word-only pipeline; 0.90 with the default one.
    expect(accuracy(heldOut, test)).toBeGreaterThanOrEqual(0.85);
  });
});

describe('Braun et al. AskUbuntu corpus (official split)', () => {
  it('classifies the test split about as well as the published systems', async () => {
    const train = readNluData('nlu', 'braun', 'askubuntu', 'train.yml');
    const test = readNluData('nlu', 'braun', 'askubuntu', 'test.yml');
    const domain = domainFor(train);
    const nlu = loadNlu(await trainNlu({ nlu: train, domain, config: testConfig(null) }), domain);
    const ranked = test.examples.filter((example) => {
      const top = nlu.parse(example.text).intent_ranking?.find((intent) => intent.name !== 'nlu_fallback');
      return top?.name === example.intent;
    });
    // Measured: 0.917 (100 of 109). Published: Rasa 2017 0.86, LUIS 0.90, Watson 0.92, NLP.js 0.93.
    expect(ranked.length / test.examples.length).toBeGreaterThanOrEqual(0.88);
  });
});

describe('pipelines and data without the usual parts', () => {
  const domain = testDomain(['greet', 'goodbye'], ['name']);
  const data = nluDataFromYaml(`
nlu:
- intent: greet
  examples: |
    - hello [Anna](name)
    - hi there
- intent: goodbye
  examples: |
    - bye
    - see you later
`);

  it('parses with an empty pipeline: no intent, but the shortcut works', async () => {
    const nlu = loadNlu(await trainNlu({ nlu: data, domain, config: testConfig([]) }), domain);
    expect(nlu.parse('hello')).toEqual({ text: 'hello', intent: { name: null, confidence: 0 }, entities: [] });
    expect(nlu.parse('/greet{"name": "Bo"}').entities[0]).toMatchObject({ entity: 'name', value: 'Bo' });
  });

  it('trains on empty NLU data (a core-only project) and still understands shortcuts', async () => {
    const empty: NluData = { examples: [], synonyms: {}, regexes: [], lookups: [], responses: {} };
    const model = await trainNlu({ nlu: empty, domain, config: testConfig(null) });
    const nlu = loadNlu(model, domain);
    expect(nlu.parse('hello').intent).toEqual({ name: null, confidence: 0 });
    expect(nlu.parse('/goodbye').intent).toEqual({ name: 'goodbye', confidence: 1 });
  });

  it('predicts no intent when the data has only one intent', async () => {
    const single: NluData = { ...data, examples: data.examples.filter((example) => example.intent === 'greet') };
    const nlu = loadNlu(
      await trainNlu({ nlu: single, domain, config: testConfig([{ name: 'WhitespaceTokenizer' }, { name: 'CountVectorsFeaturizer' }, { name: 'DIETClassifier' }]) }),
      domain,
    );
    const result = nlu.parse('hello');
    expect(result.intent).toEqual({ name: null, confidence: 0 });
    expect(result.intent_ranking).toEqual([]);
  });

  it('honours intent_classification, entity_recognition and ranking_length', async () => {
    const train = (options: Record<string, unknown>) =>
      trainNlu({
        nlu: data,
        domain,
        config: testConfig([{ name: 'WhitespaceTokenizer' }, { name: 'CountVectorsFeaturizer' }, { name: 'DIETClassifier', ...options }]),
      }).then((model) => loadNlu(model, domain));
    const entitiesOnly = await train({ intent_classification: false });
    expect(entitiesOnly.parse('hello Anna').intent).toEqual({ name: null, confidence: 0 });
    expect(entitiesOnly.parse('hello Anna').intent_ranking).toBeUndefined();
    const intentsOnly = await train({ entity_recognition: false, ranking_length: 1 });
    expect(intentsOnly.parse('hello Anna').entities).toEqual([]);
    expect(intentsOnly.parse('hello Anna').intent_ranking).toHaveLength(1);
  });

  it('classifies with LogisticRegressionClassifier when configured', async () => {
    const nlu = loadNlu(
      await trainNlu({
        nlu: data,
        domain,
        config: testConfig([{ name: 'WhitespaceTokenizer' }, { name: 'CountVectorsFeaturizer' }, { name: 'LogisticRegressionClassifier' }]),
      }),
      domain,
    );
    const result = nlu.parse('see you');
    expect(result.intent.name).toBe('goodbye');
    expect(result.intent_ranking?.map((intent) => intent.name)).toEqual(['goodbye', 'greet']);
  });

  it('reads only the featurizers named in the featurizers option', async () => {
    const pipeline = (featurizers: string[]) =>
      testConfig([
        { name: 'WhitespaceTokenizer' },
        { name: 'CountVectorsFeaturizer', alias: 'words' },
        { name: 'CountVectorsFeaturizer', alias: 'chars', analyzer: 'char_wb', min_ngram: 2, max_ngram: 3 },
        { name: 'DIETClassifier', featurizers },
      ]);
    const both = await trainNlu({ nlu: data, domain, config: pipeline([]) });
    const wordsOnly = await trainNlu({ nlu: data, domain, config: pipeline(['words']) });
    const layoutOf = (model: NluModelData) =>
      (model.components[3].data as { intent: { layout: { blocks: Array<{ alias: string }> } } }).intent.layout.blocks.map((block) => block.alias);
    expect(layoutOf(both)).toEqual(['words', 'chars']);
    expect(layoutOf(wordsOnly)).toEqual(['words']);
  });

  it('warns that Duckling dimensions other than number are not extracted', async () => {
    const { logger, logs } = capturingLogger();
    const model = await trainNlu(
      { nlu: data, domain, config: testConfig([{ name: 'DucklingEntityExtractor', url: 'http://localhost:8000', dimensions: ['number', 'time'] }]) },
      { logger },
    );
    expect(logs.some((line) => line.level === WARN && line.msg.includes('Not extracted: time'))).toBe(true);
    expect(loadNlu(model, domain).parse('see you in two days').entities.map((entity) => entity.value)).toEqual([2]);
  });

  it('refuses to split languages written without spaces', async () => {
    await expect(trainNlu({ nlu: data, domain, config: testConfig(null, 'zh') })).rejects.toMatchObject({
      code: 'PARLEY_ERR_COMPONENT_UNSUPPORTED',
    });
  });

  it('uses the keyword classifier when configured', async () => {
    const nlu = loadNlu(await trainNlu({ nlu: data, domain, config: testConfig([{ name: 'KeywordIntentClassifier' }]) }), domain);
    expect(nlu.parse('well, BYE then').intent).toEqual({ name: null, confidence: 0 });
    expect(nlu.parse('ok bye then').intent).toEqual({ name: 'goodbye', confidence: 1 });
  });

  it('learns roles and groups as part of the entity label', async () => {
    const trips = nluDataFromYaml(`
nlu:
- intent: travel
  examples: |
    - fly from [Berlin]{"entity": "city", "role": "departure"} to [Rome]{"entity": "city", "role": "destination"}
    - from [Paris]{"entity": "city", "role": "departure"} to [Oslo]{"entity": "city", "role": "destination"}
    - a trip from [Madrid]{"entity": "city", "role": "departure"} to [Vienna]{"entity": "city", "role": "destination"}
    - I want to go from [Lisbon]{"entity": "city", "role": "departure"} to [Prague]{"entity": "city", "role": "destination"}
- intent: greet
  examples: |
    - hello
    - hi
`);
    const tripDomain = domainFor(trips);
    const nlu = loadNlu(await trainNlu({ nlu: trips, domain: tripDomain, config: testConfig(null) }), tripDomain);
    const entities = nlu.parse('fly from Berlin to Oslo').entities;
    expect(entities.map((entity) => [entity.value, entity.role])).toEqual([
      ['Berlin', 'departure'],
      ['Oslo', 'destination'],
    ]);
    expect(Object.keys(entities[0])).toEqual(['entity', 'start', 'end', 'confidence_entity', 'role', 'confidence_role', 'value', 'extractor']);
  });

  it('rejects model data it did not make', () => {
    expect(() => loadNlu({ format: 'other' } as unknown as NluModelData, domain)).toThrow(
      expect.objectContaining({ code: 'PARLEY_ERR_MODEL_INVALID' }),
    );
  });
});

describe('ResponseSelector', () => {
  const data = nluDataFromYaml(`
nlu:
- intent: chitchat/ask_name
  examples: |
    - what is your name
    - who are you
    - tell me your name
- intent: chitchat/ask_weather
  examples: |
    - what is the weather like
    - is it raining
    - how is the weather today
- intent: greet
  examples: |
    - hello
    - hi there
responses:
  utter_chitchat/ask_name:
  - text: I am Parley.
  utter_chitchat/ask_weather:
  - text: Always sunny here.
`);
  const domain = testDomain(['chitchat', 'greet']);

  it('classifies the retrieval intent by its base name and fills response_selector as Rasa does', async () => {
    const nlu = loadNlu(await trainNlu({ nlu: data, domain, config: testConfig(null) }), domain);
    const result = nlu.parse('what is your name please');
    expect(result.intent.name).toBe('chitchat');
    const selector = result.response_selector as {
      all_retrieval_intents: string[];
      default: { response: Record<string, unknown>; ranking: Array<Record<string, unknown>> };
    };
    expect(selector.all_retrieval_intents).toEqual(['chitchat']);
    expect(selector.default.response).toMatchObject({
      responses: [{ text: 'I am Parley.' }],
      intent_response_key: 'chitchat/ask_name',
      utter_action: 'utter_chitchat/ask_name',
    });
    expect(selector.default.ranking.map((entry) => Object.keys(entry))).toEqual([
      ['confidence', 'intent_response_key'],
      ['confidence', 'intent_response_key'],
    ]);
  });

  it('adds nothing when the data has no retrieval intents', async () => {
    const plain: NluData = { ...data, examples: data.examples.map((example) => ({ ...example, intent: example.intent.split('/')[0] })) };
    const nlu = loadNlu(await trainNlu({ nlu: plain, domain, config: testConfig(null) }), domain);
    expect(nlu.parse('hello').response_selector).toBeUndefined();
  });
});
