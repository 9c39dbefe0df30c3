import { describe, expect, it } from 'vitest';
import { applySynonyms } from '../../src/nlu/entity-extractors.js';
import { loadNlu, trainNlu } from '../../src/nlu/index.js';
import { compilePythonRegex, lookupPattern, matchSpans } from '../../src/nlu/python-regex.js';
import type { Entity } from '../../src/shared/nlu.js';
import { domainFor, nluDataFromYaml, testConfig } from './helpers.js';

const NLU = `
nlu:
- intent: inform
  examples: |
    - I live in [Berlin](city)
    - my account is [1234567890](account_number)
    - moving to [NYC](city)
    - [the big apple](city:New York) is great
- intent: greet
  examples: |
    - hello
- synonym: New York
  examples: |
    - nyc
- regex: account_number
  examples: |
    - \\d{10,12}
- regex: zipcode
  examples: |
    - (?P<zip>\\d{5})
- lookup: city
  examples: |
    - Berlin
    - NYC
    - San Francisco
`;

async function interpreterFor(pipeline: Array<{ name: string; [option: string]: unknown }>) {
  const nlu = nluDataFromYaml(NLU);
  const domain = domainFor(nlu);
  return loadNlu(await trainNlu({ nlu, domain, config: testConfig(pipeline) }), domain);
}

describe('RegexEntityExtractor', () => {
  it('extracts lookup-table and regex entities named like annotated entities, case-insensitively', async () => {
    const nlu = await interpreterFor([{ name: 'RegexEntityExtractor' }]);
    const result = nlu.parse('I moved from berlin to san francisco, account 123456789012, zip 12345');
    expect(result.entities).toEqual([
      { entity: 'account_number', start: 46, end: 58, value: '123456789012', extractor: 'RegexEntityExtractor' },
      { entity: 'city', start: 13, end: 19, value: 'berlin', extractor: 'RegexEntityExtractor' },
      { entity: 'city', start: 23, end: 36, value: 'san francisco', extractor: 'RegexEntityExtractor' },
    ]);
  });

  it('matches lookup elements only as whole words', async () => {
    const nlu = await interpreterFor([{ name: 'RegexEntityExtractor' }]);
    expect(nlu.parse('a berliner doughnut').entities).toEqual([]);
  });
});

describe('EntitySynonymMapper', () => {
  it('maps values to their synonym case-insensitively and records itself as a processor', async () => {
    const nlu = await interpreterFor([{ name: 'RegexEntityExtractor' }, { name: 'EntitySynonymMapper' }]);
    expect(nlu.parse('flying to nyc').entities).toEqual([
      { entity: 'city', start: 10, end: 13, value: 'New York', extractor: 'RegexEntityExtractor', processors: ['EntitySynonymMapper'] },
    ]);
  });

  it('learns synonyms from annotations whose value differs from their text', async () => {
    const nlu = await interpreterFor([
      { name: 'WhitespaceTokenizer' },
      { name: 'CountVectorsFeaturizer' },
      { name: 'DIETClassifier' },
      { name: 'EntitySynonymMapper' },
    ]);
    const city = nlu.parse('the big apple is great').entities.find((entity) => entity.entity === 'city');
    expect(city?.value).toBe('New York');
  });

  it('leaves other values alone and keeps earlier processors', () => {
    const entities: Entity[] = [
      { entity: 'city', value: 'NYC', processors: ['Other'] },
      { entity: 'city', value: 'Rome' },
      { entity: 'count', value: 2 },
    ];
    applySynonyms(entities, new Map([['nyc', 'New York'], ['2', 'two']]));
    expect(entities).toEqual([
      { entity: 'city', value: 'New York', processors: ['Other', 'EntitySynonymMapper'] },
      { entity: 'city', value: 'Rome' },
      { entity: 'count', value: 'two', processors: ['EntitySynonymMapper'] },
    ]);
  });
});

describe('RegexFeaturizer and CRFEntityExtractor', () => {
  it('tags entities with the CRF extractor using regex features', async () => {
    const nlu = await interpreterFor([
      { name: 'WhitespaceTokenizer' },
      { name: 'RegexFeaturizer' },
      { name: 'CRFEntityExtractor' },
    ]);
    const entity = nlu.parse('my account is 9876543210').entities[0];
    expect(entity).toMatchObject({ entity: 'account_number', value: '9876543210', start: 14, end: 24, extractor: 'CRFEntityExtractor' });
    expect(entity.confidence_entity).toBeGreaterThan(0);
    expect(entity.confidence_entity).toBeLessThanOrEqual(1);
  });
});

describe('python regexes', () => {
  it('translates named groups, inline flags and anchors', () => {
    expect(matchSpans(compilePythonRegex('(?P<n>ab)(?P=n)', { global: true }), 'xabab')).toEqual([[1, 5]]);
    expect(matchSpans(compilePythonRegex('(?i)hello\\Z', { global: true }), 'say HELLO')).toEqual([[4, 9]]);
  });

  it('prefers the longest lookup element', () => {
    const regex = compilePythonRegex(lookupPattern(['new', 'new york'], true), { ignoreCase: true, global: true });
    expect(matchSpans(regex, 'New York, new-ish')).toEqual([
      [0, 8],
      [10, 13],
    ]);
  });
});
