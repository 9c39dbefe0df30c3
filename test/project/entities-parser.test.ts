import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/errors.js';
import { parseAnnotatedText, stripAnnotations, synonymsFromEntities } from '../../src/project/entities-parser.js';

function thrown(text: string): unknown {
  try {
    parseAnnotatedText(text);
  } catch (error) {
    return error;
  }
  return null;
}

describe('parseAnnotatedText', () => {
  it('returns the text unchanged when there is no annotation', () => {
    expect(parseAnnotatedText('hello there')).toEqual({ text: 'hello there', entities: [] });
  });

  it('reads [text](entity) with offsets into the plain text', () => {
    expect(parseAnnotatedText('i want [french](cuisine) food')).toEqual({
      text: 'i want french food',
      entities: [{ entity: 'cuisine', value: 'french', start: 7, end: 13 }],
    });
  });

  it('reads the synonym form [text](entity:value)', () => {
    expect(parseAnnotatedText('serving [gastro pub](cuisine:gastropub)').entities).toEqual([
      { entity: 'cuisine', value: 'gastropub', start: 8, end: 18 },
    ]);
  });

  it('shifts the offsets of later annotations by the removed markup', () => {
    expect(parseAnnotatedText('from [Berlin](city) to [Paris](city:paris) today')).toEqual({
      text: 'from Berlin to Paris today',
      entities: [
        { entity: 'city', value: 'Berlin', start: 5, end: 11 },
        { entity: 'city', value: 'paris', start: 15, end: 20 },
      ],
    });
  });

  it('reads a JSON annotation with role, group and value', () => {
    expect(
      parseAnnotatedText('fly to [LA]{"entity": "city", "role": "destination", "group": "1", "value": "Los Angeles"}'),
    ).toEqual({
      text: 'fly to LA',
      entities: [{ entity: 'city', value: 'Los Angeles', start: 7, end: 9, role: 'destination', group: '1' }],
    });
  });

  it('uses the annotated text as value when the JSON has none', () => {
    expect(parseAnnotatedText('[Sara]{"entity": "name"}').entities).toEqual([{ entity: 'name', value: 'Sara', start: 0, end: 4 }]);
  });

  it('reads several entities on the same span', () => {
    expect(parseAnnotatedText('a [large pepperoni][{"entity": "size", "value": "large"}, {"entity": "topping"}] pizza')).toEqual({
      text: 'a large pepperoni pizza',
      entities: [
        { entity: 'size', value: 'large', start: 2, end: 17 },
        { entity: 'topping', value: 'large pepperoni', start: 2, end: 17 },
      ],
    });
  });

  it('rejects JSON that does not parse, with a coded error', () => {
    const error = thrown('hi [Sara]{"entity": name}');
    expect(isParleyError(error) && error.code).toBe('PARLEY_ERR_TRAINING_DATA_INVALID');
    expect((error as Error).message).toContain('is not valid JSON');
  });

  it('rejects JSON without an entity name or with a non-text role', () => {
    expect((thrown('[x]{"role": "a"}') as Error).message).toContain('needs an "entity" name');
    expect((thrown('[x]{"entity": "a", "role": 1}') as Error).message).toContain('"role" must be a text');
  });

  it('leaves brackets that are not annotations alone', () => {
    expect(parseAnnotatedText('see [this] and (that)')).toEqual({ text: 'see [this] and (that)', entities: [] });
  });
});

describe('stripAnnotations', () => {
  it('keeps only the annotated words', () => {
    expect(stripAnnotations('[a](x) b [c]{"entity": "y"} [d][{"entity": "z"}]')).toBe('a b c d');
  });
});

describe('synonymsFromEntities', () => {
  it('pairs annotated words with a different value', () => {
    const { text, entities } = parseAnnotatedText('[NYC](city:new york) or [Paris](city)');
    expect(synonymsFromEntities(text, entities)).toEqual([['NYC', 'new york']]);
  });
});
