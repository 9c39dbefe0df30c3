import { describe, expect, it } from 'vitest';
import { crossFittedAttributes, EntityGazetteer } from '../../src/nlu/entity-gazetteer.js';
import { tokenize } from '../../src/nlu/tokenizer.js';

/** A training example from `text` with entities given as [value, type] (first occurrence). */
function example(text: string, entities: Array<[string, string]> = []) {
  return {
    tokens: tokenize(text),
    entities: entities.map(([value, entity]) => {
      const start = text.indexOf(value);
      return { entity, value, start, end: start + value.length };
    }),
  };
}

describe('EntityGazetteer', () => {
  const gazetteer = EntityGazetteer.build([
    example('play songs by the rolling stones', [['the rolling stones', 'artist']]),
    example('book a table in paris', [['paris', 'city']]),
    example('play paris by the chainsmokers', [['paris', 'track'], ['the chainsmokers', 'artist']]),
  ]);

  it('marks the tokens of a known value with its type and Begin/Inside/Last/Unit position, ignoring case', () => {
    const attributes = gazetteer.attributes(tokenize('I love The Rolling Stones'));
    expect(attributes).toEqual([[], [], ['gaz=artist:B'], ['gaz=artist:I'], ['gaz=artist:L']]);
  });

  it('gives every type a value was annotated with', () => {
    expect(gazetteer.attributes(tokenize('paris'))).toEqual([['gaz=city:U', 'gaz=track:U']]);
  });

  it('leaves text without known values unmarked', () => {
    expect(gazetteer.attributes(tokenize('rolling in the deep'))).toEqual([[], [], [], []]);
  });

  it('survives a JSON round trip of its data', () => {
    const copy = new EntityGazetteer(JSON.parse(JSON.stringify(gazetteer.data)));
    expect(copy.attributes(tokenize('the chainsmokers in paris'))).toEqual(gazetteer.attributes(tokenize('the chainsmokers in paris')));
  });
});

describe('crossFittedAttributes', () => {
  it("matches an example's values only with the gazetteer of the other folds", () => {
    const examples = [
      example('fly to oslo', [['oslo', 'city']]),
      example('fly to lima', [['lima', 'city']]),
      example('oslo is cold', [['oslo', 'city']]),
      example('lima is warm'),
    ];
    // Two folds, {0, 2} and {1, 3}: each city is annotated only within one fold, so never matches.
    const attributes = crossFittedAttributes(examples, 2);
    expect(attributes).toEqual(examples.map(() => [[], [], []]));
    const threeFolds = crossFittedAttributes(examples, 3);
    // Folds: {0, 3}, {1}, {2}: example 0 sees "oslo" from example 2; example 3 sees "lima" from 1.
    expect(threeFolds[0]).toEqual([[], [], ['gaz=city:U']]);
    expect(threeFolds[3]).toEqual([['gaz=city:U'], [], []]);
  });
});
