import { describe, expect, it } from 'vitest';
import type { TaggerSettings } from '../../src/nlu/entity-tagger.js';
import { EntityTagger, releaseUnreadTokenFeatures, trainEntityTagger } from '../../src/nlu/entity-tagger.js';
import type { FeatureBlock, NluMessage } from '../../src/nlu/message.js';
import { createMessage } from '../../src/nlu/message.js';
import { tokenize } from '../../src/nlu/tokenizer.js';
import type { TrainingEntity } from '../../src/shared/nlu.js';

type Annotation = Omit<TrainingEntity, 'start' | 'end'>;

/** A tokenized training message; entities are found by their value's first occurrence. */
function trainingMessage(text: string, intent: string, annotations: Annotation[]): NluMessage {
  let from = 0;
  const entities = annotations.map((annotation) => {
    const start = text.indexOf(String(annotation.value), from);
    from = start + String(annotation.value).length;
    return { ...annotation, start, end: from };
  });
  const message = createMessage(text, { intent, responseKey: null, entities });
  message.tokens = tokenize(text);
  return message;
}

function parseMessage(text: string, intent: string | null = null): NluMessage {
  const message = createMessage(text);
  message.tokens = tokenize(text);
  if (intent !== null) message.intent = { name: intent, confidence: 1 };
  return message;
}

const SETTINGS: TaggerSettings = {
  extractor: 'DIETClassifier',
  bilou: true,
  splitByComma: true,
  template: { kind: 'context' },
  featurizers: [],
  l2: 0.5,
  maxIterations: 60,
  trainer: 'perceptron',
  epochs: 10,
  seed: 1,
  gazetteer: true,
  intentFeature: true,
};

const CITIES = ['Berlin', 'Rome', 'Paris', 'Oslo', 'Madrid', 'Vienna', 'Lisbon', 'Prague', 'Dublin', 'Warsaw', 'Athens', 'Bern'];
const TEMPLATES = ['fly from {a} to {b}', 'a trip from {a} to {b}', 'I want to go from {a} to {b}', 'from {a} to {b} please', 'book a flight from {a} to {b} tomorrow'];

/** Flights with roles (departure, destination), plus "play X" where X is a song or a game by intent. */
function trainingData(): NluMessage[] {
  const messages: NluMessage[] = [];
  TEMPLATES.forEach((template, t) => {
    for (let k = 0; k < 6; k++) {
      const a = CITIES[(t + k) % CITIES.length];
      const b = CITIES[(t + k + 5) % CITIES.length];
      messages.push(
        trainingMessage(template.replace('{a}', a).replace('{b}', b), 'book_flight', [
          { entity: 'city', value: a, role: 'departure', group: '1' },
          { entity: 'city', value: b, role: 'destination', group: '1' },
        ]),
      );
    }
  });
  const titles = ['tetris', 'thriller', 'halo', 'yesterday', 'minecraft', 'imagine', 'portal', 'hello'];
  titles.forEach((title) => {
    messages.push(trainingMessage(`play ${title}`, 'play_music', [{ entity: 'song', value: title }]));
    messages.push(trainingMessage(`play ${title}`, 'play_game', [{ entity: 'game', value: title }]));
    messages.push(trainingMessage(`please play ${title} now`, 'play_music', [{ entity: 'song', value: title }]));
    messages.push(trainingMessage(`please play ${title} now`, 'play_game', [{ entity: 'game', value: title }]));
  });
  return messages;
}

describe('trainEntityTagger with the perceptron trainer', () => {
  const trained = trainEntityTagger(trainingData(), SETTINGS);
  const tagger = new EntityTagger(JSON.parse(JSON.stringify(trained?.data)), SETTINGS);

  it('decodes roles and groups as part of the entity label', () => {
    const entities = tagger.extract(parseMessage('fly from Athens to Dublin', 'book_flight'));
    expect(entities.map((entity) => [entity.value, entity.role, entity.group])).toEqual([
      ['Athens', 'departure', '1'],
      ['Dublin', 'destination', '1'],
    ]);
    expect(entities[0].confidence_entity).toBeGreaterThan(0);
    expect(entities[0].confidence_entity).toBeLessThanOrEqual(1);
  });

  it('uses the predicted intent: the same words are a song or a game', () => {
    const song = tagger.extract(parseMessage('play portal', 'play_music'));
    const game = tagger.extract(parseMessage('play portal', 'play_game'));
    expect(song.map((entity) => [entity.entity, entity.value])).toEqual([['song', 'portal']]);
    expect(game.map((entity) => [entity.entity, entity.value])).toEqual([['game', 'portal']]);
  });

  it('trains identical model data again from the same data and seed', () => {
    expect(trainEntityTagger(trainingData(), SETTINGS)?.data).toEqual(trained?.data);
  });

  it('stores the gazetteer of training values with the model', () => {
    expect(trained?.data.gazetteer).toContainEqual(['oslo', ['city']]);
    expect(trained?.data.gazetteer).toContainEqual(['portal', ['game', 'song']]);
  });

  it('leaves the intent and the gazetteer out when they are switched off', () => {
    const plain = trainEntityTagger(trainingData(), { ...SETTINGS, gazetteer: false, intentFeature: false });
    expect(plain?.data.gazetteer).toBeUndefined();
    expect(plain?.data.vocabulary.some((name) => name.startsWith('intent') || name.startsWith('gaz='))).toBe(false);
  });
});

describe('trainEntityTagger trainer choice', () => {
  it('uses exact L-BFGS for small data when the trainer is auto', () => {
    const auto = trainEntityTagger(trainingData(), { ...SETTINGS, trainer: 'auto' });
    const lbfgs = trainEntityTagger(trainingData(), { ...SETTINGS, trainer: 'lbfgs' });
    const perceptron = trainEntityTagger(trainingData(), { ...SETTINGS, trainer: 'perceptron' });
    expect(auto?.data.crf.pairWeight).toBe(lbfgs?.data.crf.pairWeight);
    expect(auto?.data.crf.pairWeight).not.toBe(perceptron?.data.crf.pairWeight);
  });
});

describe('trainEntityTagger with an intent whose every example holds an entity', () => {
  // The starter bot's `inform`: one-word answers are all drinks or sizes; a name typed into the
  // form afterwards is also classified `inform`, and must not become a size.
  const answers = [
    ['latte', 'drink'],
    ['tea', 'drink'],
    ['espresso', 'drink'],
    ['cappuccino', 'drink'],
    ['large', 'size'],
    ['small', 'size'],
    ['medium', 'size'],
  ] as const;
  const messages = [
    ...answers.flatMap(([value, entity]) => [
      trainingMessage(value, 'inform', [{ entity, value }]),
      trainingMessage(`a ${value} please`, 'inform', [{ entity, value }]),
    ]),
    ...['hi', 'hello', 'hey', 'thanks', 'bye', 'yes', 'no'].map((text) => trainingMessage(text, 'chitchat', [])),
  ];
  const settings: TaggerSettings = { ...SETTINGS, trainer: 'lbfgs' };
  const trained = trainEntityTagger(messages, settings);
  const tagger = new EntityTagger(JSON.parse(JSON.stringify(trained?.data)), settings);

  it('does not tag an unseen word just because of the intent', () => {
    expect(tagger.extract(parseMessage('Sam', 'inform'))).toEqual([]);
  });

  it('still tags the words it was trained on', () => {
    expect(tagger.extract(parseMessage('large', 'inform')).map((entity) => entity.entity)).toEqual(['size']);
  });
});

describe('releaseUnreadTokenFeatures', () => {
  /** One block of each kind; every token gets feature `t` of that block. */
  function featurized(message: NluMessage): NluMessage {
    const tokens = message.tokens ?? [];
    const block = (kind: FeatureBlock['kind'], alias: string): FeatureBlock => ({
      alias,
      kind,
      size: 64,
      sentence: kind === 'lexical' ? null : { indices: Int32Array.of(0), values: Float32Array.of(1) },
      tokens: tokens.map((_token, t) => ({ indices: Int32Array.of(t), values: Float32Array.of(1) })),
    });
    message.features.push(block('regex', 'RegexFeaturizer'), block('lexical', 'LexicalSyntacticFeaturizer'), block('count-vectors', 'CountVectorsFeaturizer'));
    return message;
  }

  it('empties the token vectors of count-vector and lexical blocks and keeps regex ones and all sentence features', () => {
    const message = featurized(trainingMessage('fly to Rome', 'book_flight', []));
    releaseUnreadTokenFeatures(message);
    expect(message.features.map((block) => block.tokens.length)).toEqual([3, 0, 0]);
    expect(message.features.map((block) => block.sentence?.indices.length ?? null)).toEqual([1, null, 1]);
  });

  it('leaves what the tagger learns unchanged, with either template', () => {
    const window: TaggerSettings = { ...SETTINGS, template: { kind: 'window', features: [['low'], ['low', 'pattern'], ['low']] } };
    for (const settings of [SETTINGS, window]) {
      const kept = trainEntityTagger(trainingData().map(featurized), settings);
      const released = trainEntityTagger(
        trainingData().map((message) => {
          featurized(message);
          releaseUnreadTokenFeatures(message);
          return message;
        }),
        settings,
      );
      expect(released?.data.blocks.map((block) => block.kind)).toEqual(['regex']);
      expect(JSON.stringify(released?.data)).toBe(JSON.stringify(kept?.data));
    }
  });
});
