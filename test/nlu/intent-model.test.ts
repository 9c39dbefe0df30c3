import { describe, expect, it } from 'vitest';
import { loadNlu, trainNlu } from '../../src/nlu/index.js';
import { DIET_HIDDEN_LAYER, IntentModel, rankLabels, trainIntentModel, INTENT_MODEL_DEFAULTS } from '../../src/nlu/intent-model.js';
import { intentHiddenLayer } from '../../src/nlu/diet-classifier.js';
import type { HiddenLayerOptions } from '../../src/nlu/intent-model.js';
import { createMessage } from '../../src/nlu/message.js';
import type { NluMessage } from '../../src/nlu/message.js';
import { CountVectorizer, countVectorsSettings, learnVocabulary } from '../../src/nlu/count-vectors-featurizer.js';
import { tokenize } from '../../src/nlu/tokenizer.js';
import type { ComponentConfig } from '../../src/shared/project.js';
import type { NluData } from '../../src/shared/training-data.js';
import { capturingLogger, domainFor, testConfig, WARN } from './helpers.js';

const INTENT_PIPELINE: ComponentConfig[] = [
  { name: 'WhitespaceTokenizer' },
  { name: 'CountVectorsFeaturizer' },
  { name: 'CountVectorsFeaturizer', analyzer: 'char_wb', min_ngram: 1, max_ngram: 4 },
  { name: 'DIETClassifier', entity_recognition: false },
];

function nluData(examples: Array<[string, string]>): NluData {
  return { examples: examples.map(([intent, text]) => ({ intent, text, entities: [] })), synonyms: {}, regexes: [], lookups: [], responses: {} };
}

async function trained(data: NluData, pipeline: ComponentConfig[] = INTENT_PIPELINE, language: string | null = 'en') {
  const domain = domainFor(data);
  return loadNlu(await trainNlu({ nlu: data, domain, config: testConfig(pipeline, language) }), domain);
}

const GREETINGS = nluData([
  ['greet', 'hello there'],
  ['greet', 'hi'],
  ['greet', 'good morning'],
  ['goodbye', 'bye'],
  ['goodbye', 'see you later'],
  ['goodbye', 'good night'],
  ['thank', 'thanks a lot'],
]);

/** Messages featurized by one word CountVectorizer, labelled for trainIntentModel. */
function featurizedMessages(examples: Array<[string, string]>): NluMessage[] {
  const settings = countVectorsSettings({});
  const messages = examples.map(([intent, text]) => {
    const message = createMessage(text, { intent, responseKey: null, entities: [] });
    message.tokens = tokenize(text);
    return message;
  });
  const vectorizer = new CountVectorizer(learnVocabulary(messages, settings, {}), settings);
  for (const message of messages) {
    const features = vectorizer.featurize(message.tokens ?? []);
    message.features.push({ alias: 'words', kind: 'count-vectors', size: vectorizer.size, ...features });
  }
  return messages;
}

describe('trainIntentModel', () => {
  const examples: Array<[string, string]> = [
    ['greet', 'hello there'],
    ['greet', 'hi friend'],
    ['goodbye', 'bye friend'],
    ['goodbye', 'see you'],
  ];

  it('returns no model when fewer than two intents have examples', () => {
    const messages = featurizedMessages([['greet', 'hello'], ['greet', 'hi']]);
    expect(trainIntentModel(messages, (message) => message.training?.intent ?? null, { ...INTENT_MODEL_DEFAULTS, featurizers: [] })).toBeNull();
  });

  it('gives probabilities that sum to one and put the training label first', () => {
    const messages = featurizedMessages(examples);
    const data = trainIntentModel(messages, (message) => message.training?.intent ?? null, { ...INTENT_MODEL_DEFAULTS, featurizers: [] });
    const model = new IntentModel(data!);
    for (const message of messages) {
      const probabilities = model.probabilities(message);
      expect([...probabilities].reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 6);
      expect(model.labels[probabilities.indexOf(Math.max(...probabilities))]).toBe(message.training?.intent);
    }
  });

  it('trains byte-identical weights from the same data twice', () => {
    const train = () => trainIntentModel(featurizedMessages(examples), (message) => message.training?.intent ?? null, { ...INTENT_MODEL_DEFAULTS, featurizers: [] });
    expect(train()).toEqual(train());
  });
});

describe('trainIntentModel with a hidden layer', () => {
  const label = (message: NluMessage) => message.training?.intent ?? null;
  /**
   * The intent depends on a conjunction of two words: "red big" and "blue small" are `mix`, "red
   * small" and "blue big" are `keep`. Both intents' rows add up to the same vector, so no linear
   * model over these words gets all four right.
   */
  const XOR: Array<[string, string]> = [
    ['mix', 'red big'],
    ['keep', 'red small'],
    ['keep', 'blue big'],
    ['mix', 'blue small'],
  ];
  const repeated = Array.from({ length: 10 }, () => XOR).flat();
  const layer: HiddenLayerOptions = { minExamples: 40, hidden: 16, epochs: 60, batchSize: 8, learningRate: 0.02, dropout: 0 };
  const options = { ...INTENT_MODEL_DEFAULTS, featurizers: [], selection: null, hiddenLayer: layer, seed: 3 };
  const topLabel = (model: IntentModel, message: NluMessage) => {
    const probabilities = model.probabilities(message);
    return model.labels[probabilities.indexOf(Math.max(...probabilities))];
  };

  it('learns an intent given by a conjunction of words, which the linear model alone cannot', () => {
    const messages = featurizedMessages(repeated);
    const withNetwork = new IntentModel(trainIntentModel(messages, label, options)!);
    const linear = new IntentModel(trainIntentModel(messages, label, { ...options, hiddenLayer: null })!);
    const probe = featurizedMessages(repeated).slice(0, 4);
    expect(probe.map((message) => topLabel(withNetwork, message))).toEqual(['mix', 'keep', 'keep', 'mix']);
    expect(probe.filter((message) => topLabel(linear, message) === message.training?.intent).length).toBeLessThan(4);
  });

  it('adds the network only from its minimum number of examples', () => {
    const messages = featurizedMessages(repeated);
    expect(trainIntentModel(messages, label, options)?.hiddenLayer).toBeDefined();
    expect(trainIntentModel(messages, label, { ...options, hiddenLayer: { ...layer, minExamples: 41 } })?.hiddenLayer).toBeUndefined();
  });

  it('gives the same model for the same seed, and the same answers after a JSON round trip', () => {
    const messages = featurizedMessages(repeated);
    const data = trainIntentModel(messages, label, options)!;
    expect(trainIntentModel(featurizedMessages(repeated), label, options)).toEqual(data);
    expect(trainIntentModel(featurizedMessages(repeated), label, { ...options, seed: 4 })?.hiddenLayer).not.toEqual(data.hiddenLayer);
    const loaded = new IntentModel(JSON.parse(JSON.stringify(data)));
    const model = new IntentModel(data);
    for (const message of messages.slice(0, 4)) expect(loaded.probabilities(message)).toEqual(model.probabilities(message));
  });

  it('refuses a model whose network arrays do not fit its features', () => {
    const data = trainIntentModel(featurizedMessages(repeated), label, options)!;
    const damaged = { ...data, hiddenLayer: { ...data.hiddenLayer!, hidden: data.hiddenLayer!.hidden + 1 } };
    expect(() => new IntentModel(damaged)).toThrow(expect.objectContaining({ code: 'PARLEY_ERR_MODEL_INVALID' }));
  });
});

describe('the hidden layer in the pipeline', () => {
  /** `size` examples of two intents that share no words. */
  function manyExamples(size: number): NluData {
    return nluData(Array.from({ length: size }, (_unused, index): [string, string] => (index % 2 ? ['order', `order pizza number ${index}`] : ['ask', `what time is it ${index}`])));
  }
  const intentData = async (pipeline: ComponentConfig[], size: number) => {
    const data = manyExamples(size);
    const model = await trainNlu({ nlu: data, domain: domainFor(data), config: testConfig(pipeline) });
    const component = model.components.find((entry) => entry.name === pipeline[pipeline.length - 1].name);
    const stored = component?.data as { intent?: { hiddenLayer?: unknown }; hiddenLayer?: unknown };
    return stored.intent ?? stored;
  };

  it('is part of DIETClassifier on enough examples, not of LogisticRegressionClassifier', async () => {
    expect((await intentData(INTENT_PIPELINE, DIET_HIDDEN_LAYER.minExamples)).hiddenLayer).toBeDefined();
    const linearPipeline: ComponentConfig[] = [...INTENT_PIPELINE.slice(0, -1), { name: 'LogisticRegressionClassifier' }];
    expect((await intentData(linearPipeline, DIET_HIDDEN_LAYER.minExamples)).hiddenLayer).toBeUndefined();
  });

  it("follows DIET's hidden_layers_sizes: text [] trains no network, text [n, …] one of n units", async () => {
    const withSizes = (text: unknown): ComponentConfig[] => [...INTENT_PIPELINE.slice(0, -1), { ...INTENT_PIPELINE[INTENT_PIPELINE.length - 1], hidden_layers_sizes: { text, label: [] } }];
    expect((await intentData(withSizes([]), DIET_HIDDEN_LAYER.minExamples)).hiddenLayer).toBeUndefined();
    const sized = (await intentData(withSizes([16, 8]), DIET_HIDDEN_LAYER.minExamples)).hiddenLayer as { hidden: number };
    expect(sized.hidden).toBe(16);
  });
});

describe('rankLabels', () => {
  it('orders by confidence, cuts to the ranking length and renormalises when asked', () => {
    const ranked = rankLabels(['a', 'b', 'c'], [0.2, 0.5, 0.3], 2, true);
    expect(ranked.ranking.map((entry) => entry.name)).toEqual(['b', 'c']);
    expect(ranked.top.confidence).toBeCloseTo(0.625, 6);
    expect(rankLabels(['a', 'b'], [0.4, 0.6], 0, false).ranking).toEqual([
      { name: 'b', confidence: 0.6 },
      { name: 'a', confidence: 0.4 },
    ]);
  });
});

describe('intent classification on awkward data', () => {
  it('learns an intent that has a single example', async () => {
    const nlu = await trained(GREETINGS);
    expect(nlu.parse('thanks a lot').intent.name).toBe('thank');
    expect(nlu.parse('hello there').intent.name).toBe('greet');
  });

  it('classifies texts written without spaces (Chinese, Thai) by their character n-grams', async () => {
    const data = nluData([
      ['greet', '你好'],
      ['greet', '你好吗'],
      ['greet', '早上好'],
      ['goodbye', '再见'],
      ['goodbye', '明天见'],
      ['goodbye', '拜拜'],
      ['greet', 'สวัสดีครับ'],
      ['goodbye', 'ลาก่อนครับ'],
    ]);
    const nlu = await trained(data, INTENT_PIPELINE, null);
    expect(nlu.parse('你好呀').intent.name).toBe('greet');
    expect(nlu.parse('明天再见').intent.name).toBe('goodbye');
    expect(nlu.parse('สวัสดีค่ะ').intent.name).toBe('greet');
  });

  it('answers messages of emoji, symbols and unknown scripts with finite confidences', async () => {
    const data = nluData([...GREETINGS.examples.map((example): [string, string] => [example.intent, example.text]), ['greet', 'hi 👋'], ['thank', '🙏🙏']]);
    const nlu = await trained(data);
    for (const text of ['👋', '🙏🙏', 'héllo ✨ ☃', '\u0000\u200d', 'ﷺ ꧁꧂', '  ']) {
      const result = nlu.parse(text);
      expect(result.text).toBe(text);
      for (const entry of result.intent_ranking ?? []) expect(Number.isFinite(entry.confidence)).toBe(true);
    }
    expect(nlu.parse('🙏🙏').intent.name).toBe('thank');
  });

  it('parses a 100 KB message and trains on one', async () => {
    const long = 'good morning, see you later '.repeat(4000).slice(0, 100_000);
    const nlu = await trained(nluData([...GREETINGS.examples.map((example): [string, string] => [example.intent, example.text]), ['goodbye', long]]));
    const result = nlu.parse(long);
    expect(result.intent.name).toBe('goodbye');
    expect(Number.isFinite(result.intent.confidence)).toBe(true);
    expect((await trained(GREETINGS)).parse(`${long}${'x'.repeat(1000)}`).intent.name).not.toBeNull();
  });

  it('warns that it cannot classify when the data has one intent only', async () => {
    const { logger, logs } = capturingLogger();
    const data = nluData([['greet', 'hi'], ['greet', 'hello']]);
    const domain = domainFor(data);
    await trainNlu({ nlu: data, domain, config: testConfig(INTENT_PIPELINE) }, { logger });
    expect(logs.some((log) => log.level === WARN && /at least two different intents/.test(log.msg))).toBe(true);
  });

  it('warns when no featurizer gives the classifier sentence features', async () => {
    const { logger, logs } = capturingLogger();
    const domain = domainFor(GREETINGS);
    const model = await trainNlu(
      { nlu: GREETINGS, domain, config: testConfig([{ name: 'WhitespaceTokenizer' }, { name: 'LexicalSyntacticFeaturizer' }, { name: 'DIETClassifier', entity_recognition: false }]) },
      { logger },
    );
    expect(logs.some((log) => log.level === WARN && /no featurizer before it gives sentence features/.test(log.msg))).toBe(true);
    expect(loadNlu(model, domain).parse('hello').intent.name).not.toBeUndefined();
  });
});

describe('trainIntentModel settings chosen on small data', () => {
  const label = (message: NluMessage) => message.training?.intent ?? null;

  /** Two blocks: "signal" names the intent, "noise" says nothing about it. */
  function twoBlockMessages(): NluMessage[] {
    return Array.from({ length: 40 }, (_unused, row) => {
      const intent = row % 2 === 0 ? 'a' : 'b';
      const message = createMessage(`row ${row}`, { intent, responseKey: null, entities: [] });
      message.tokens = tokenize(message.text);
      const signal = row % 2;
      const noise = Math.floor(row / 2) % 6;
      const vector = (index: number) => ({ indices: Int32Array.of(index), values: Float32Array.of(1) });
      message.features.push({ alias: 'signal', kind: 'count-vectors', size: 2, sentence: vector(signal), tokens: [] });
      message.features.push({ alias: 'noise', kind: 'count-vectors', size: 6, sentence: vector(noise), tokens: [] });
      return message;
    });
  }

  it('picks block weights by cross-validation, the same way every time, and keeps them in the model', () => {
    const options = { ...INTENT_MODEL_DEFAULTS, featurizers: [] };
    const first = trainIntentModel(twoBlockMessages(), label, options);
    expect(first?.blockWeights).toEqual([2, 1]);
    expect(trainIntentModel(twoBlockMessages(), label, options)).toEqual(first);
    const unweighted = trainIntentModel(twoBlockMessages(), label, { ...options, selection: null });
    expect(unweighted?.blockWeights).toBeUndefined();
    const message = twoBlockMessages()[0];
    expect(new IntentModel(first!).probabilities(message)[0]).not.toBeCloseTo(new IntentModel(unweighted!).probabilities(message)[0], 3);
  });

  it('skips the search above its example limit', () => {
    const options = { ...INTENT_MODEL_DEFAULTS, featurizers: [] };
    const data = trainIntentModel(twoBlockMessages(), label, { ...options, selection: { ...options.selection!, maxExamples: 39 } });
    expect(data?.blockWeights).toBeUndefined();
    expect(data?.l2).toBe(INTENT_MODEL_DEFAULTS.l2);
  });
});

describe('intentHiddenLayer', () => {
  it('keeps the default without the option, and refuses sizes that are not whole numbers of 1 or more', () => {
    expect(intentHiddenLayer({})).toEqual(DIET_HIDDEN_LAYER);
    expect(intentHiddenLayer({ hidden_layers_sizes: { label: [] } })).toEqual(DIET_HIDDEN_LAYER);
    expect(intentHiddenLayer({ hidden_layers_sizes: { text: [], label: [] } })).toBeNull();
    expect(intentHiddenLayer({ hidden_layers_sizes: { text: [128, 64] } })).toEqual({ ...DIET_HIDDEN_LAYER, hidden: 128 });
    for (const text of [[0], [2.5], ['64'], 'big']) {
      expect(() => intentHiddenLayer({ hidden_layers_sizes: { text } })).toThrow(/hidden_layers_sizes\.text must be a list of whole numbers/);
    }
  });
});
