/**
 * A gazetteer of the entity values in the training data: any run of tokens in a message that
 * spells (lower-cased) a value annotated somewhere in training gives its tokens an attribute
 * such as `gaz=artist:B` (Begin/Inside/Last/Unit of the match). The tagger learns how far to
 * trust each entity type's matches.
 *
 * Trained naively, every training entity would match itself and the tagger would learn to trust
 * the gazetteer completely; new values at parse time would then be missed. So the training
 * messages are split into folds and each fold sees only the gazetteer built from the other
 * folds ("cross-fitting"), which makes the matches on training data as reliable as on new text.
 */
import type { TrainingEntity } from '../shared/nlu.js';
import type { Token } from './message.js';

/** Values longer than this many tokens are not looked up (they are rare and slow to match). */
const MAX_TOKENS = 8;

/** `[lower-cased value tokens joined by a space, entity types]`, sorted by value. */
export type GazetteerData = Array<[string, string[]]>;

function valueKey(tokens: readonly Token[], first: number, last: number): string {
  let key = tokens[first].text.toLowerCase();
  for (let t = first + 1; t <= last; t++) key += ` ${tokens[t].text.toLowerCase()}`;
  return key;
}

export class EntityGazetteer {
  readonly #types: ReadonlyMap<string, readonly string[]>;

  constructor(data: GazetteerData) {
    this.#types = new Map(data);
  }

  /** The gazetteer of the entity values annotated in `examples`. */
  static build(examples: ReadonlyArray<{ tokens: readonly Token[]; entities: readonly TrainingEntity[] }>): EntityGazetteer {
    return new EntityGazetteer(collectValues(examples));
  }

  get data(): GazetteerData {
    return [...this.#types].map(([value, types]) => [value, [...types]]);
  }

  /** Attribute strings of each token: every entry that matches a run of tokens covering it. */
  attributes(tokens: readonly Token[]): string[][] {
    const result: string[][] = tokens.map(() => []);
    if (this.#types.size === 0) return result;
    for (let first = 0; first < tokens.length; first++) {
      let key = '';
      for (let last = first; last < Math.min(tokens.length, first + MAX_TOKENS); last++) {
        key = last === first ? tokens[first].text.toLowerCase() : `${key} ${tokens[last].text.toLowerCase()}`;
        const types = this.#types.get(key);
        if (types === undefined) continue;
        for (const type of types) {
          if (first === last) {
            result[first].push(`gaz=${type}:U`);
            continue;
          }
          result[first].push(`gaz=${type}:B`);
          for (let t = first + 1; t < last; t++) result[t].push(`gaz=${type}:I`);
          result[last].push(`gaz=${type}:L`);
        }
      }
    }
    return result;
  }
}

function collectValues(examples: ReadonlyArray<{ tokens: readonly Token[]; entities: readonly TrainingEntity[] }>): GazetteerData {
  const types = new Map<string, Set<string>>();
  for (const { tokens, entities } of examples) {
    for (const entity of entities) {
      let first = -1;
      let last = -1;
      tokens.forEach((token, index) => {
        if (token.start < entity.end && token.end > entity.start) {
          if (first < 0) first = index;
          last = index;
        }
      });
      if (first < 0 || last - first >= MAX_TOKENS) continue;
      const key = valueKey(tokens, first, last);
      const known = types.get(key) ?? new Set<string>();
      known.add(entity.entity);
      types.set(key, known);
    }
  }
  return [...types.keys()].sort().map((key) => [key, [...(types.get(key) as Set<string>)].sort()]);
}

/**
 * Gazetteer attributes of training examples, each computed with a gazetteer that left out the
 * example's own fold (example i is in fold i mod `folds`).
 */
export function crossFittedAttributes(
  examples: ReadonlyArray<{ tokens: readonly Token[]; entities: readonly TrainingEntity[] }>,
  folds: number,
): string[][][] {
  const result: string[][][] = new Array(examples.length);
  for (let fold = 0; fold < folds; fold++) {
    const gazetteer = EntityGazetteer.build(examples.filter((_example, index) => index % folds !== fold));
    examples.forEach((example, index) => {
      if (index % folds === fold) result[index] = gazetteer.attributes(example.tokens);
    });
  }
  return result;
}
