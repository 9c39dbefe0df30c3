import { describe, expect, it } from 'vitest';
import {
  evaluateEntities,
  evaluateIntents,
  evaluateResponses,
  pipelineRoles,
  predictNlu,
  predictNluInBatches,
  type PipelineRoles,
} from '../../src/evaluation/nlu-evaluation.js';
import { NLU_MODEL_FORMAT, type NluModelData } from '../../src/nlu/index.js';
import type { NluInterpreter, ParseResult } from '../../src/shared/nlu.js';
import type { NluExample } from '../../src/shared/training-data.js';

/** An interpreter that answers from a table (text → parse). */
function scripted(answers: Record<string, Partial<ParseResult>>): NluInterpreter {
  return {
    parse: (text) => ({ text, intent: { name: null, confidence: 0 }, entities: [], ...answers[text] }),
  };
}

const model = (components: Array<{ name: string; options?: Record<string, unknown> }>): NluModelData => ({
  format: NLU_MODEL_FORMAT,
  language: 'en',
  pipelineSource: 'config',
  components: components.map((component) => ({ name: component.name, options: component.options ?? {}, data: null })),
});

describe('pipelineRoles', () => {
  it('finds intent classifiers, entity extractors (once each) and response selectors', () => {
    const roles = pipelineRoles(
      model([
        { name: 'WhitespaceTokenizer' },
        { name: 'DIETClassifier', options: { intent_classification: true, entity_recognition: true } },
        { name: 'RegexEntityExtractor' },
        { name: 'EntitySynonymMapper' },
        { name: 'ResponseSelector', options: { retrieval_intent: 'faq' } },
        { name: 'ResponseSelector', options: { retrieval_intent: null } },
      ]),
    );
    expect(roles).toEqual({ classifiesIntents: true, extractors: ['DIETClassifier', 'RegexEntityExtractor'], responseSelectors: ['faq', 'default'] });
  });

  it('does not count a DIETClassifier with entity recognition turned off as an extractor', () => {
    expect(pipelineRoles(model([{ name: 'DIETClassifier', options: { entity_recognition: false } }])).extractors).toEqual([]);
  });
});

const ALL: PipelineRoles = { classifiesIntents: true, extractors: ['DIETClassifier'], responseSelectors: ['default'] };
const example = (text: string, intent: string, entities: NluExample['entities'] = []): NluExample => ({ text, intent, entities });

describe('predictNlu', () => {
  it('pairs every example with its parse and undoes the fallback prediction', () => {
    const interpreter = scripted({
      hello: { intent: { name: 'greet', confidence: 0.9 } },
      bye: {
        intent: { name: 'nlu_fallback', confidence: 0.3 },
        intent_ranking: [{ name: 'nlu_fallback', confidence: 0.3 }, { name: 'goodbye', confidence: 0.25 }, { name: 'greet', confidence: 0.2 }],
      },
    });
    const predictions = predictNlu(interpreter, [example('hello', 'greet'), example('bye', 'goodbye')], ALL);
    expect(predictions.intents).toEqual([
      { text: 'hello', target: 'greet', prediction: 'greet', confidence: 0.9 },
      { text: 'bye', target: 'goodbye', prediction: 'goodbye', confidence: 0.25 },
    ]);
    expect(predictions.entities.map((result) => result.tokens)).toEqual([[[0, 5]], [[0, 3]]]);
  });

  it('scores intents only when the test data has at least two intents, as Rasa', () => {
    const predictions = predictNlu(scripted({}), [example('a', 'greet'), example('b', 'greet')], ALL);
    expect(predictions.intents).toEqual([]);
  });

  it('scores retrieval intents on their full response key and their base intent', () => {
    const selector = (key: string) => ({ default: { response: { intent_response_key: key, confidence: 0.8 } }, all_retrieval_intents: ['faq'] });
    const interpreter = scripted({
      'what is parley': { intent: { name: 'faq', confidence: 0.9 }, response_selector: selector('faq/what') },
      'who made you': { intent: { name: 'faq', confidence: 0.9 }, response_selector: selector('faq/what') },
    });
    const predictions = predictNlu(interpreter, [example('what is parley', 'faq/what'), example('who made you', 'faq/who'), example('hi', 'greet')], ALL);
    expect(predictions.intents.map((result) => result.target)).toEqual(['faq', 'faq', 'greet']);
    expect(predictions.responses).toEqual([
      { text: 'what is parley', target: 'faq/what', prediction: 'faq/what', confidence: 0.8 },
      { text: 'who made you', target: 'faq/who', prediction: 'faq/what', confidence: 0.8 },
    ]);
  });

  it('reports progress per example', () => {
    const seen: string[] = [];
    predictNlu(scripted({}), [example('a', 'x'), example('b', 'y')], ALL, (done, total) => seen.push(`${done}/${total}`));
    expect(seen).toEqual(['1/2', '2/2']);
  });
});

describe('evaluateIntents', () => {
  it('gives Rasa\'s report with confused_with, errors and successes', () => {
    const evaluation = evaluateIntents([
      { text: 'hi', target: 'greet', prediction: 'greet', confidence: 0.9 },
      { text: 'bye', target: 'goodbye', prediction: 'greet', confidence: 0.6 },
      { text: 'ciao', target: 'goodbye', prediction: 'goodbye', confidence: 0.7 },
    ]);
    expect(evaluation.report.goodbye).toEqual({ precision: 1, recall: 0.5, 'f1-score': 2 / 3, support: 2, confused_with: { greet: 1 } });
    expect(evaluation.accuracy).toBeCloseTo(2 / 3);
    expect(evaluation.errors).toEqual([{ text: 'bye', intent: 'goodbye', intent_prediction: { name: 'greet', confidence: 0.6 } }]);
    expect(evaluation.successes.map((success) => success.text)).toEqual(['hi', 'ciao']);
    expect(evaluation.predictions[1]).toEqual({ text: 'bye', intent: 'goodbye', predicted: 'greet', confidence: 0.6 });
    expect(evaluation.confidences).toEqual({ correct: [0.9, 0.7], wrong: [0.6] });
  });

  it('leaves out confused_with when asked (the HTTP API, as Rasa without an output folder)', () => {
    const evaluation = evaluateIntents([{ text: 'hi', target: 'greet', prediction: 'bye', confidence: 1 }], { confusedLabels: false });
    expect(evaluation.report.greet).not.toHaveProperty('confused_with');
  });
});

describe('evaluateEntities', () => {
  it('scores token labels per extractor without no_entity and lists messages with a wrong token', () => {
    const results = [
      {
        text: 'to berlin',
        tokens: [[0, 2], [3, 9]] as Array<[number, number]>,
        targets: [{ entity: 'city', value: 'berlin', start: 3, end: 9 }],
        predictions: [{ entity: 'city', value: 'berlin', start: 3, end: 9, extractor: 'DIETClassifier' }],
      },
      {
        text: 'to paris',
        tokens: [[0, 2], [3, 8]] as Array<[number, number]>,
        targets: [{ entity: 'city', value: 'paris', start: 3, end: 8 }],
        predictions: [],
      },
    ];
    const { DIETClassifier: evaluation } = evaluateEntities(results, ['DIETClassifier']);
    expect(Object.keys(evaluation.report)).toEqual(['city', 'micro avg', 'macro avg', 'weighted avg']);
    expect(evaluation.report.city).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(evaluation.accuracy).toBe(0.75);
    expect(evaluation.errors).toEqual([{ text: 'to paris', entities: results[1].targets, predicted_entities: [] }]);
    expect(evaluation.successes.map((success) => success.text)).toEqual(['to berlin']);
  });
});

describe('evaluateResponses', () => {
  it('scores full response keys and names Rasa\'s keys', () => {
    const evaluation = evaluateResponses([
      { text: 'a', target: 'faq/a', prediction: 'faq/a', confidence: 0.9 },
      { text: 'b', target: 'faq/b', prediction: 'faq/a', confidence: 0.4 },
    ]);
    expect(evaluation.accuracy).toBe(0.5);
    expect(evaluation.errors).toEqual([{ text: 'b', intent_response_key_target: 'faq/b', intent_response_key_prediction: { name: 'faq/a', confidence: 0.4 } }]);
    expect(evaluation.predictions[0]).toEqual({ text: 'a', intent_response_key_target: 'faq/a', intent_response_key_prediction: 'faq/a', confidence: 0.9 });
  });
});

describe('predictNluInBatches', () => {
  it('gives the same predictions as predictNlu while yielding between batches', async () => {
    const interpreter = scripted({ a: { intent: { name: 'x', confidence: 1 } }, b: { intent: { name: 'x', confidence: 0.5 } } });
    const examples = [example('a', 'x'), example('b', 'y'), example('a', 'x')];
    let yielded = false;
    setImmediate(() => (yielded = true));
    const batched = await predictNluInBatches(interpreter, examples, ALL, undefined, 1);
    expect(batched).toEqual(predictNlu(interpreter, examples, ALL));
    expect(yielded).toBe(true);
  });
});
