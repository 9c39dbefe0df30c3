/**
 * The trainable entity tagger behind DIETClassifier and CRFEntityExtractor: a linear-chain CRF
 * over BILOU tags whose token attributes are word, affix, shape and context features plus the
 * token features of the pipeline's featurizers (regex/lookup hits, n-grams, lexical flags).
 */
import type { Entity } from '../shared/nlu.js';
import type { CrfDecoder, CrfModel, CrfSequence } from '../ml/linear-chain-crf.js';
import { createCrfDecoder, decodeCrf, trainCrf } from '../ml/linear-chain-crf.js';
import { decodeFloat32, decodeInt32, decodeUint8, encodeArray } from './array-codec.js';
import type { EntityLabel, TagScheme } from './bilou.js';
import { labelKey, spansFromTags, tagConstraints, tagCount, tagsForEntities } from './bilou.js';
import type { FeatureKind, NluMessage, Token } from './message.js';
import { TOKEN_FEATURES } from './lexical-syntactic-featurizer.js';

/**
 * `context`: our own feature set (DIETClassifier), plus every featurizer's token features.
 * `window`: Rasa's CRFEntityExtractor `features` (a list per window position), plus regex hits
 * when it lists `pattern`.
 */
export type TaggerTemplate = { kind: 'context' } | { kind: 'window'; features: string[][] };

export interface TaggerSettings {
  extractor: string;
  bilou: boolean;
  /** `split_entities_by_comma`: one switch for all entities or per entity (default true). */
  splitByComma: boolean | Readonly<Record<string, boolean>>;
  template: TaggerTemplate;
  /** Only featurizers with these aliases feed the tagger (all when empty). */
  featurizers: readonly string[];
  l2: number;
  maxIterations: number;
}

interface TokenBlockLayout {
  position: number;
  alias: string;
  kind: FeatureKind;
  size: number;
  offset: number;
}

export interface EntityTaggerData {
  scheme: TagScheme;
  vocabulary: string[];
  blocks: TokenBlockLayout[];
  crf: {
    labels: number;
    attributes: number;
    pairStart: string;
    pairLabel: string;
    pairWeight: string;
    transition: string;
    start: string;
    end: string;
    allowed: string;
    allowedStart: string;
    allowedEnd: string;
  };
}

/** Rasa's `features` option values the window template understands (others are skipped). */
export const WINDOW_FEATURES = new Set(['low', 'title', 'upper', 'digit', 'bias', 'pattern', 'prefix5', 'prefix2', 'suffix5', 'suffix3', 'suffix2', 'suffix1']);

const UPPER = /\p{Lu}/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

/** Word shape with repeats collapsed: "Hello" → "Xx", "A-12" → "X-d". */
function shapeOf(text: string): string {
  let shape = '';
  let previous = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    let kind: string;
    if (code < 128) {
      kind = code >= 65 && code <= 90 ? 'X' : code >= 97 && code <= 122 ? 'x' : code >= 48 && code <= 57 ? 'd' : char;
    } else {
      kind = UPPER.test(char) ? 'X' : LETTER.test(char) ? 'x' : DIGIT.test(char) ? 'd' : char;
    }
    if (kind !== previous) shape += kind;
    previous = kind;
  }
  return shape;
}

function contextAttributes(tokens: readonly Token[], index: number): string[] {
  const word = (offset: number): string => {
    const target = index + offset;
    if (target < 0) return '<s>';
    if (target >= tokens.length) return '</s>';
    return tokens[target].text.toLowerCase();
  };
  const text = tokens[index].text;
  const low = word(0);
  const attributes = [
    'bias',
    `w=${low}`,
    `w-1=${word(-1)}`,
    `w+1=${word(1)}`,
    `w-2=${word(-2)}`,
    `w+2=${word(2)}`,
    `w-1w=${word(-1)}|${low}`,
    `ww+1=${low}|${word(1)}`,
    `p3=${low.slice(0, 3)}`,
    `s3=${low.slice(-3)}`,
    `s2=${low.slice(-2)}`,
    `shape=${shapeOf(text)}`,
    `shape-1=${index > 0 ? shapeOf(tokens[index - 1].text) : '<s>'}`,
    `shape+1=${index + 1 < tokens.length ? shapeOf(tokens[index + 1].text) : '</s>'}`,
  ];
  if (/\p{Nd}/u.test(text)) attributes.push('has_digit');
  if (index === 0) attributes.push('BOS');
  if (index === tokens.length - 1) attributes.push('EOS');
  return attributes;
}

function windowAttributes(tokens: readonly Token[], index: number, features: readonly string[][]): string[] {
  const half = Math.floor(features.length / 2);
  const attributes: string[] = [];
  features.forEach((names, position) => {
    const offset = position - half;
    const target = index + offset;
    if (target < 0) return void attributes.push(`${offset}:BOS`);
    if (target >= tokens.length) return void attributes.push(`${offset}:EOS`);
    for (const name of names) {
      if (name === 'bias') attributes.push(`${offset}:bias`);
      else if (name === 'low') attributes.push(`${offset}:low:${tokens[target].text.toLowerCase()}`);
      else if (name !== 'pattern' && name in TOKEN_FEATURES) {
        attributes.push(`${offset}:${name}:${TOKEN_FEATURES[name](tokens, target)}`);
      }
    }
  });
  return attributes;
}

function stringAttributes(tokens: readonly Token[], template: TaggerTemplate): string[][] {
  return tokens.map((_token, index) =>
    template.kind === 'context' ? contextAttributes(tokens, index) : windowAttributes(tokens, index, template.features),
  );
}

/** Which featurizer token blocks the template reads. */
function tokenBlockLayout(messages: readonly NluMessage[], settings: TaggerSettings, base: number): TokenBlockLayout[] {
  const { template, featurizers } = settings;
  const reference = messages.find((message) => message.tokens !== null && message.features.length > 0);
  const wantsPattern = template.kind === 'window' && template.features.some((names) => names.includes('pattern'));
  const blocks: TokenBlockLayout[] = [];
  let offset = base;
  reference?.features.forEach((block, position) => {
    if (template.kind === 'window' && !(wantsPattern && block.kind === 'regex')) return;
    if (featurizers.length > 0 && !featurizers.includes(block.alias)) return;
    blocks.push({ position, alias: block.alias, kind: block.kind, size: block.size, offset });
    offset += block.size;
  });
  return blocks;
}

function sequenceOf(
  message: NluMessage,
  tokens: readonly Token[],
  strings: readonly string[][],
  vocabulary: ReadonlyMap<string, number>,
  blocks: readonly TokenBlockLayout[],
): CrfSequence {
  const attributeStart = new Int32Array(tokens.length + 1);
  const attributes: number[] = [];
  const values: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    for (const name of strings[t]) {
      const id = vocabulary.get(name);
      if (id !== undefined) {
        attributes.push(id);
        values.push(1);
      }
    }
    for (const block of blocks) {
      const features = message.features[block.position];
      const vector = features?.alias === block.alias ? features.tokens[t] : undefined;
      if (!vector) continue;
      for (let k = 0; k < vector.indices.length; k++) {
        if (vector.indices[k] >= block.size) continue;
        attributes.push(block.offset + vector.indices[k]);
        values.push(Math.min(vector.values[k], 1));
      }
    }
    attributeStart[t + 1] = attributes.length;
  }
  return { attributeStart, attributes: Int32Array.from(attributes), values: Float32Array.from(values) };
}

/** Trains on messages with tokens; null when the data has no entity annotations. */
export function trainEntityTagger(
  messages: readonly NluMessage[],
  settings: TaggerSettings,
  onIteration?: (iteration: number, loss: number) => void,
): { data: EntityTaggerData; skippedAnnotations: number } | null {
  const usable = messages.filter((message) => message.tokens !== null && message.tokens.length > 0 && message.training);
  const labelsByKey = new Map<string, EntityLabel>();
  for (const message of usable) {
    for (const entity of message.training?.entities ?? []) {
      const label: EntityLabel = { entity: entity.entity };
      if (entity.role !== undefined) label.role = entity.role;
      if (entity.group !== undefined) label.group = entity.group;
      labelsByKey.set(labelKey(label), label);
    }
  }
  if (labelsByKey.size === 0) return null;
  const keys = [...labelsByKey.keys()].sort();
  const scheme: TagScheme = { labels: keys.map((key) => labelsByKey.get(key) as EntityLabel), bilou: settings.bilou };
  const labelIndex = new Map(keys.map((key, index) => [key, index]));

  const strings = usable.map((message) => stringAttributes(message.tokens as Token[], settings.template));
  const vocabulary = new Map<string, number>();
  for (const perMessage of strings) for (const perToken of perMessage) for (const name of perToken) {
    if (!vocabulary.has(name)) vocabulary.set(name, vocabulary.size);
  }
  const blocks = tokenBlockLayout(usable, settings, vocabulary.size);
  const attributes = blocks.reduce((end, block) => Math.max(end, block.offset + block.size), vocabulary.size);

  let skippedAnnotations = 0;
  const gold: Int32Array[] = [];
  const sequences = usable.map((message, index) => {
    const tokens = message.tokens as Token[];
    const { tags, skipped } = tagsForEntities(tokens, message.training?.entities ?? [], scheme, labelIndex);
    skippedAnnotations += skipped;
    gold.push(tags);
    return sequenceOf(message, tokens, strings[index], vocabulary, blocks);
  });

  const constraints = tagConstraints(scheme, gold);
  const crf = trainCrf(sequences, gold, tagCount(scheme), attributes, {
    l2: settings.l2,
    maxIterations: settings.maxIterations,
    constraints,
    onIteration,
  });
  return {
    data: {
      scheme,
      vocabulary: [...vocabulary.keys()],
      blocks,
      crf: {
        labels: crf.labels,
        attributes: crf.attributes,
        pairStart: encodeArray(crf.pairStart),
        pairLabel: encodeArray(crf.pairLabel),
        pairWeight: encodeArray(crf.pairWeight),
        transition: encodeArray(crf.transition),
        start: encodeArray(crf.start),
        end: encodeArray(crf.end),
        allowed: encodeArray(constraints.allowed),
        allowedStart: encodeArray(constraints.allowedStart),
        allowedEnd: encodeArray(constraints.allowedEnd),
      },
    },
    skippedAnnotations,
  };
}

export class EntityTagger {
  readonly #scheme: TagScheme;
  readonly #vocabulary: Map<string, number>;
  readonly #blocks: TokenBlockLayout[];
  readonly #decoder: CrfDecoder;
  readonly #settings: TaggerSettings;

  constructor(data: EntityTaggerData, settings: TaggerSettings) {
    this.#scheme = data.scheme;
    this.#vocabulary = new Map(data.vocabulary.map((name, index) => [name, index]));
    this.#blocks = data.blocks;
    this.#settings = settings;
    const model: CrfModel = {
      labels: data.crf.labels,
      attributes: data.crf.attributes,
      pairStart: decodeInt32(data.crf.pairStart),
      pairLabel: decodeInt32(data.crf.pairLabel),
      pairWeight: decodeFloat32(data.crf.pairWeight),
      transition: decodeFloat32(data.crf.transition),
      start: decodeFloat32(data.crf.start),
      end: decodeFloat32(data.crf.end),
      constraints: {
        allowed: decodeUint8(data.crf.allowed),
        allowedStart: decodeUint8(data.crf.allowedStart),
        allowedEnd: decodeUint8(data.crf.allowedEnd),
      },
    };
    this.#decoder = createCrfDecoder(model);
  }

  /** The entities found in a tokenized, featurized message, in Rasa's entity shape. */
  extract(message: NluMessage): Entity[] {
    const tokens = message.tokens;
    if (tokens === null || tokens.length === 0) return [];
    const strings = stringAttributes(tokens, this.#settings.template);
    const { tags, confidences } = decodeCrf(this.#decoder, sequenceOf(message, tokens, strings, this.#vocabulary, this.#blocks));
    const scheme = this.#scheme;
    const split = this.#settings.splitByComma;
    const splitsAtComma = (label: number): boolean =>
      typeof split === 'boolean' ? split : (split[scheme.labels[label].entity] ?? true);
    return spansFromTags(tags, tokens, message.text, scheme, splitsAtComma).map((span) => {
      const label = scheme.labels[span.label];
      let confidence = 1;
      for (let t = span.first; t <= span.last; t++) confidence = Math.min(confidence, confidences[t]);
      const start = tokens[span.first].start;
      const end = tokens[span.last].end;
      // Key order as Rasa writes it: type, offsets, confidences, value, extractor.
      const entity: Entity = {
        entity: label.entity,
        start,
        end,
        confidence_entity: confidence,
        ...(label.role !== undefined ? { role: label.role, confidence_role: confidence } : {}),
        ...(label.group !== undefined ? { group: label.group, confidence_group: confidence } : {}),
        value: message.text.slice(start, end),
        extractor: this.#settings.extractor,
      };
      return entity;
    });
  }
}
