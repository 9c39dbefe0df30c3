import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { DEFAULT_PIPELINE, resolvePipeline } from '../../src/nlu/pipeline-config.js';
import type { ComponentConfig } from '../../src/shared/project.js';
import { capturingLogger, INFO, WARN } from './helpers.js';

function resolve(pipeline: ComponentConfig[] | null, language: string | null = 'en') {
  return resolvePipeline({ pipeline, language }, silentLogger());
}

function errorOf(pipeline: ComponentConfig[], language: string | null = 'en') {
  try {
    resolve(pipeline, language);
  } catch (error) {
    if (isParleyError(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('resolvePipeline', () => {
  it("uses Rasa 3.6's default pipeline when config.yml leaves it empty", () => {
    const pipeline = resolve(null);
    expect(pipeline.source).toBe('default');
    expect(pipeline.components.map((component) => component.name)).toEqual([
      'WhitespaceTokenizer',
      'RegexFeaturizer',
      'LexicalSyntacticFeaturizer',
      'CountVectorsFeaturizer',
      'CountVectorsFeaturizer',
      'DIETClassifier',
      'EntitySynonymMapper',
      'ResponseSelector',
      'FallbackClassifier',
    ]);
    expect(pipeline.components[4].options).toMatchObject({ analyzer: 'char_wb', min_ngram: 1, max_ngram: 4 });
    expect(pipeline.components[8].options).toMatchObject({ threshold: 0.3, ambiguity_threshold: 0.1 });
    expect(DEFAULT_PIPELINE).toHaveLength(9);
  });

  it('keeps the configured order and merges options over the defaults', () => {
    const pipeline = resolve([{ name: 'WhitespaceTokenizer' }, { name: 'CountVectorsFeaturizer', analyzer: 'char' }]);
    expect(pipeline.source).toBe('config');
    expect(pipeline.components[1].options).toMatchObject({ analyzer: 'char', min_ngram: 1, lowercase: true });
  });

  it('accepts an empty pipeline', () => {
    expect(resolve([]).components).toEqual([]);
  });

  it('warns about unknown options and notes ignored neural options', () => {
    const { logger, logs } = capturingLogger();
    resolvePipeline(
      {
        pipeline: [
          { name: 'WhitespaceTokenizer' },
          { name: 'CountVectorsFeaturizer', token_pattern: '(?u)\\b\\w+\\b' },
          { name: 'DIETClassifier', epochs: 1, run_eagerly: true },
        ],
        language: 'en',
      },
      logger,
    );
    expect(logs.some((line) => line.level === WARN && line.msg.includes('token_pattern'))).toBe(true);
    expect(logs.some((line) => line.level === INFO && line.msg.includes('epochs, run_eagerly'))).toBe(true);
  });

  it('rejects components Parley cannot run and says what to use instead', () => {
    const spacy = errorOf([{ name: 'SpacyNLP' }, { name: 'SpacyTokenizer' }]);
    expect(spacy.code).toBe('PARLEY_ERR_COMPONENT_UNSUPPORTED');
    expect(spacy.message).toContain("'SpacyNLP'");
    expect(spacy.message).toContain('WhitespaceTokenizer');
    const bert = errorOf([{ name: 'WhitespaceTokenizer' }, { name: 'LanguageModelFeaturizer', model_name: 'bert' }]);
    expect(bert.message).toContain('pipeline[1]');
    expect(bert.message).toContain('CountVectorsFeaturizer');
  });

  it('rejects custom Python components and unknown names, listing the available components', () => {
    const custom = errorOf([{ name: 'my_package.MyComponent' }]);
    expect(custom.code).toBe('PARLEY_ERR_COMPONENT_UNSUPPORTED');
    expect(custom.message).toContain('custom Python component');
    expect(custom.message).toContain('DIETClassifier');
    expect(errorOf([{ name: 'DietClassifier' }]).message).toContain("no NLU component named 'DietClassifier'");
  });

  it('requires a tokenizer before featurizers and a classifier before FallbackClassifier', () => {
    expect(errorOf([{ name: 'CountVectorsFeaturizer' }, { name: 'WhitespaceTokenizer' }]).code).toBe('PARLEY_ERR_CONFIG_INVALID');
    expect(errorOf([{ name: 'FallbackClassifier' }]).code).toBe('PARLEY_ERR_CONFIG_INVALID');
    expect(resolve([{ name: 'KeywordIntentClassifier' }, { name: 'FallbackClassifier' }]).components).toHaveLength(2);
  });
});
