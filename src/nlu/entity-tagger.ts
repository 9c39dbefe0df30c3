/**
 * The trainable entity tagger behind DIETClassifier and CRFEntityExtractor: a linear-chain CRF
 * over BILOU tags whose token attributes are word, affix, shape and context features, the
 * message's intent, matches of the training entity values (gazetteer) and the regex/lookup hits
 * of the pipeline's RegexFeaturizer. Trained with L-BFGS on small data and an averaged
 * perceptron on large data (see `TaggerSettings.trainer`).
 */
import type { Entity } from '../shared/nlu.js';
import type { CrfDecoder, CrfModel, CrfSequence } from '../ml/linear-chain-crf.js';
import { calibrateCrf, trainCrfPerceptron } from '../ml/crf-perceptron.js';
import { createCrfDecoder, decodeCrf, trainCrf } from '../ml/linear-chain-crf.js';
import { decodeFloat32, decodeInt32, decodeUint8, encodeArray } from './array-codec.js';
import type { EntityLabel, TagScheme } from './bilou.js';
import { labelKey, spansFromTags, tagConstraints, tagCount, tagsForEntities } from './bilou.js';
import type { GazetteerData } from './entity-gazetteer.js';
import { crossFittedAttributes, EntityGazetteer } from './entity-gazetteer.js';
import type { FeatureKind, NluMessage, Token } from './message.js';
import { TOKEN_FEATURES } from './lexical-syntactic-featurizer.js';

/**
 * `context`: our own feature set (DIETClassifier), plus the regex featurizers' token features.
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
  /**
   * `lbfgs` (default): the exact CRF likelihood, full batch, honouring `l2` and `maxIterations`.
   * `perceptron`: averaged structured perceptron, `epochs` passes in an order drawn from `seed`.
   * `auto`: L-BFGS while the data is small (it is exact and quick there), else the perceptron.
   */
  trainer?: 'auto' | 'perceptron' | 'lbfgs';
  /** @default 10 */
  epochs?: number;
  /** @default 1 */
  seed?: number;
  /** Context template only: match the training entity values in each message (entity-gazetteer.ts). */
  gazetteer?: boolean;
  /**
   * Context template only: the message's intent is a feature (the gold intent in training, the
   * intent predicted earlier in the same component at parse time).
   */
  intentFeature?: boolean;
}

/**
 * `auto` switches to the perceptron above this many (token × tag) cells, about 700 SNIPS
 * examples, where L-BFGS takes some 5 s. Below, L-BFGS is affordable and clearly more accurate
 * (SNIPS val F1 0.79 against 0.76 on 700 examples); above, its cost grows with the data times
 * its ~60 passes (450 s on all of SNIPS) while the perceptron needs 10 cheap ones.
 */
const LBFGS_MAX_CELLS = 1_000_000;

/** What the context template knows about a whole message besides its tokens. */
interface MessageContext {
  intent: string | null;
  gazetteer: string[][] | null;
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
  gazetteer?: GazetteerData;
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

/** Folds of the cross-fitted gazetteer features (see entity-gazetteer.ts). */
const GAZETTEER_FOLDS = 4;

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

function contextAttributes(tokens: readonly Token[], index: number, context: MessageContext): string[] {
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
  if (context.intent !== null) {
    // Which entity types occur, and after which words, depends a lot on what the user wants. Only
    // conjunctions with a word: a bare intent feature taught the tagger that every message of an
    // intent whose examples all hold an entity has one, so a name typed into a form ("Sam") became
    // a `size` (SNIPS val entity F1 0.951 without it vs 0.954 with it, within seed noise).
    attributes.push(`intent|w=${context.intent}|${low}`, `intent|w-1=${context.intent}|${word(-1)}`);
  }
  if (context.gazetteer !== null) attributes.push(...context.gazetteer[index]);
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

function stringAttributes(tokens: readonly Token[], template: TaggerTemplate, context: MessageContext): string[][] {
  return tokens.map((_token, index) =>
    template.kind === 'context' ? contextAttributes(tokens, index, context) : windowAttributes(tokens, index, template.features),
  );
}

/**
 * The only kinds of per-token feature blocks any trainer reads (the tagger's templates, below; the
 * intent models read sentence features only). Training messages drop the other token vectors.
 */
export const TOKEN_BLOCK_KINDS_READ: ReadonlySet<FeatureKind> = new Set<FeatureKind>(['regex']);

/**
 * Empties the token vectors of blocks whose kind is not in TOKEN_BLOCK_KINDS_READ. Meant for
 * training messages once featurized: the count-vector and lexical token vectors of a large data
 * set took more memory than the rest of training (SNIPS: ~200 MiB of ~600 MiB peak).
 */
export function releaseUnreadTokenFeatures(message: NluMessage): void {
  for (const block of message.features) {
    if (!TOKEN_BLOCK_KINDS_READ.has(block.kind)) block.tokens = [];
  }
}

/** Which featurizer token blocks the template reads. */
function tokenBlockLayout(messages: readonly NluMessage[], settings: TaggerSettings, base: number): TokenBlockLayout[] {
  const { template, featurizers } = settings;
  const reference = messages.find((message) => message.tokens !== null && message.features.length > 0);
  const wantsPattern = template.kind === 'window' && template.features.some((names) => names.includes('pattern'));
  const blocks: TokenBlockLayout[] = [];
  let offset = base;
  reference?.features.forEach((block, position) => {
    if (!TOKEN_BLOCK_KINDS_READ.has(block.kind)) return;
    if (template.kind === 'window' && !(wantsPattern && block.kind === 'regex')) return;
    // The context template's own word, affix and shape features cover what the count-vector
    // and lexical token blocks say; reading them too made SNIPS training 2-3× slower for no
    // gain on its validation split. Regex and lookup hits carry knowledge the data may lack.
    if (template.kind === 'context' && block.kind !== 'regex') return;
    if (featurizers.length > 0 && !featurizers.includes(block.alias)) return;
    blocks.push({ position, alias: block.alias, kind: block.kind, size: block.size, offset });
    offset += block.size;
  });
  return blocks;
}

/** A message's string attributes as vocabulary ids, per token (`start` has one entry per token plus one). */
interface InternedAttributes {
  start: Int32Array;
  ids: Int32Array;
}

/**
 * Replaces each token's attribute names by their ids, skipping names `idOf` does not know. Training
 * keeps only these ids, not the names: the names of all tokens of a large data set took more memory
 * than anything else the tagger holds.
 */
function internAttributes(strings: readonly string[][], idOf: (name: string) => number | undefined): InternedAttributes {
  const start = new Int32Array(strings.length + 1);
  const ids: number[] = [];
  for (let t = 0; t < strings.length; t++) {
    for (const name of strings[t]) {
      const id = idOf(name);
      if (id !== undefined) ids.push(id);
    }
    start[t + 1] = ids.length;
  }
  return { start, ids: Int32Array.from(ids) };
}

function sequenceOf(
  message: NluMessage,
  tokens: readonly Token[],
  interned: InternedAttributes,
  blocks: readonly TokenBlockLayout[],
): CrfSequence {
  const attributeStart = new Int32Array(tokens.length + 1);
  const attributes: number[] = [];
  const values: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    for (let k = interned.start[t]; k < interned.start[t + 1]; k++) {
      attributes.push(interned.ids[k]);
      values.push(1);
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

const EMPTY_INTERNED: InternedAttributes = { start: new Int32Array(1), ids: new Int32Array(0) };

/** Trains on messages with tokens; null when the data has no entity annotations. */
export function trainEntityTagger(
  messages: readonly NluMessage[],
  settings: TaggerSettings,
  onIteration?: (iteration: number, loss: number, iterations: number) => void,
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

  const useGazetteer = settings.template.kind === 'context' && settings.gazetteer === true;
  const useIntent = settings.template.kind === 'context' && settings.intentFeature === true;
  const examples = usable.map((message) => ({ tokens: message.tokens as Token[], entities: message.training?.entities ?? [] }));
  const gazetteerAttributes = useGazetteer ? crossFittedAttributes(examples, GAZETTEER_FOLDS) : null;
  // Ids in order of first appearance (message, token, attribute), as the model has always numbered them.
  const vocabulary = new Map<string, number>();
  const addName = (name: string): number => {
    let id = vocabulary.get(name);
    if (id === undefined) {
      id = vocabulary.size;
      vocabulary.set(name, id);
    }
    return id;
  };
  const interned = usable.map((message, index) => {
    const strings = stringAttributes(message.tokens as Token[], settings.template, {
      intent: useIntent ? (message.training?.intent ?? null) : null,
      gazetteer: gazetteerAttributes?.[index] ?? null,
    });
    if (gazetteerAttributes !== null) gazetteerAttributes[index] = [];
    return internAttributes(strings, addName);
  });
  const blocks = tokenBlockLayout(usable, settings, vocabulary.size);
  const attributes = blocks.reduce((end, block) => Math.max(end, block.offset + block.size), vocabulary.size);

  let skippedAnnotations = 0;
  const gold: Int32Array[] = [];
  const sequences = usable.map((message, index) => {
    const tokens = message.tokens as Token[];
    const { tags, skipped } = tagsForEntities(tokens, message.training?.entities ?? [], scheme, labelIndex);
    skippedAnnotations += skipped;
    gold.push(tags);
    const sequence = sequenceOf(message, tokens, interned[index], blocks);
    interned[index] = EMPTY_INTERNED;
    return sequence;
  });

  const constraints = tagConstraints(scheme, gold);
  const labels = tagCount(scheme);
  const cells = labels * gold.reduce((sum, tags) => sum + tags.length, 0);
  const trainer = settings.trainer === 'auto' ? (cells > LBFGS_MAX_CELLS ? 'perceptron' : 'lbfgs') : (settings.trainer ?? 'lbfgs');
  let crf: CrfModel;
  if (trainer === 'perceptron') {
    const epochs = settings.epochs ?? 10;
    const averaged = trainCrfPerceptron(sequences, gold, labels, attributes, {
      epochs,
      seed: settings.seed ?? 1,
      constraints,
      onEpoch: (epoch, mistakes) => onIteration?.(epoch, mistakes, epochs),
    });
    crf = calibrateCrf(averaged, sequences, gold);
  } else {
    crf = trainCrf(sequences, gold, labels, attributes, {
      l2: settings.l2,
      maxIterations: settings.maxIterations,
      constraints,
      onIteration: (iteration, loss) => onIteration?.(iteration, loss, settings.maxIterations),
    });
  }
  return {
    data: {
      scheme,
      ...(useGazetteer ? { gazetteer: EntityGazetteer.build(examples).data } : {}),
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
  readonly #gazetteer: EntityGazetteer | null;

  constructor(data: EntityTaggerData, settings: TaggerSettings) {
    this.#scheme = data.scheme;
    this.#gazetteer = data.gazetteer !== undefined && settings.template.kind === 'context' ? new EntityGazetteer(data.gazetteer) : null;
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
    const strings = stringAttributes(tokens, this.#settings.template, {
      intent: this.#settings.intentFeature === true ? (message.intent?.name ?? null) : null,
      gazetteer: this.#gazetteer?.attributes(tokens) ?? null,
    });
    const vocabulary = this.#vocabulary;
    const interned = internAttributes(strings, (name) => vocabulary.get(name));
    const { tags, confidences } = decodeCrf(this.#decoder, sequenceOf(message, tokens, interned, this.#blocks));
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
