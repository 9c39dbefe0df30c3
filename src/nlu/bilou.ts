/**
 * Entity spans ⇄ per-token tags. With BILOU (Rasa's default) each entity label has Begin,
 * Inside, Last and Unit tags; without it each label is one tag. Tag 0 is always "no entity".
 */
import type { CrfConstraints } from '../ml/linear-chain-crf.js';
import { unconstrained } from '../ml/linear-chain-crf.js';
import type { TrainingEntity } from '../shared/nlu.js';
import type { Token } from './message.js';

/** An entity type together with its role and group: the tagger predicts all three at once. */
export interface EntityLabel {
  entity: string;
  role?: string;
  group?: string;
}

export interface TagScheme {
  labels: EntityLabel[];
  bilou: boolean;
}

const BEGIN = 0;
const INSIDE = 1;
const LAST = 2;
const UNIT = 3;

export function labelKey(label: EntityLabel): string {
  return JSON.stringify([label.entity, label.role ?? null, label.group ?? null]);
}

export function tagCount(scheme: TagScheme): number {
  return 1 + scheme.labels.length * (scheme.bilou ? 4 : 1);
}

function tagOf(scheme: TagScheme, label: number, position: number): number {
  return scheme.bilou ? 1 + label * 4 + position : 1 + label;
}

function decodeTag(scheme: TagScheme, tag: number): { label: number; position: number } | null {
  if (tag === 0) return null;
  if (!scheme.bilou) return { label: tag - 1, position: UNIT };
  return { label: Math.floor((tag - 1) / 4), position: (tag - 1) % 4 };
}

/**
 * BILOU grammar: B/I must be followed by I/L of the same label; a sequence cannot end inside.
 * When `observed` gold sequences are given, one entity may directly follow another only if some
 * training example has that pair of tags next to each other: unseen adjacencies are almost never
 * right, and leaving them out makes training far cheaper for many entity types.
 */
export function tagConstraints(scheme: TagScheme, observed?: readonly Int32Array[]): CrfConstraints {
  const count = tagCount(scheme);
  if (!scheme.bilou) return unconstrained(count);
  const seen = new Set<number>();
  for (const tags of observed ?? []) for (let t = 1; t < tags.length; t++) seen.add(tags[t - 1] * count + tags[t]);
  const allowed = new Uint8Array(count * count);
  const allowedStart = new Uint8Array(count);
  const allowedEnd = new Uint8Array(count);
  for (let from = 0; from < count; from++) {
    const previous = decodeTag(scheme, from);
    const open = previous !== null && (previous.position === BEGIN || previous.position === INSIDE);
    for (let to = 0; to < count; to++) {
      const next = decodeTag(scheme, to);
      const continues = next !== null && (next.position === INSIDE || next.position === LAST);
      const betweenEntities = previous !== null && next !== null && !open && !continues;
      allowed[from * count + to] = open
        ? Number(continues && next.label === previous.label)
        : Number(!continues && (!betweenEntities || observed === undefined || seen.has(from * count + to)));
    }
    allowedStart[from] = Number(!(previous !== null && (previous.position === INSIDE || previous.position === LAST)));
    allowedEnd[from] = Number(!open);
  }
  return { allowed, allowedStart, allowedEnd };
}

/**
 * Gold tags of a training example. Tokens overlapping an entity's characters belong to it; an
 * entity that covers no token, or a token already claimed by an earlier entity, is skipped.
 */
export function tagsForEntities(
  tokens: readonly Token[],
  entities: readonly TrainingEntity[],
  scheme: TagScheme,
  labelIndex: ReadonlyMap<string, number>,
): { tags: Int32Array; skipped: number } {
  const tags = new Int32Array(tokens.length);
  let skipped = 0;
  for (const entity of entities) {
    const label = labelIndex.get(labelKey(entity));
    const covered = tokens
      .map((token, index) => (token.start < entity.end && token.end > entity.start ? index : -1))
      .filter((index) => index >= 0);
    if (label === undefined || covered.length === 0 || covered.some((index) => tags[index] !== 0)) {
      skipped++;
      continue;
    }
    covered.forEach((index, position) => {
      const place = covered.length === 1 ? UNIT : position === 0 ? BEGIN : position === covered.length - 1 ? LAST : INSIDE;
      tags[index] = tagOf(scheme, label, place);
    });
  }
  return { tags, skipped };
}

/** A predicted entity as a token range, before it is turned into Rasa's entity dict. */
export interface TagSpan {
  label: number;
  first: number;
  last: number;
}

/**
 * Entity spans from a tag sequence. A comma between two tokens splits an entity when
 * `splitsAtComma(label)` says so (Rasa's `split_entities_by_comma`).
 */
export function spansFromTags(
  tags: Int32Array,
  tokens: readonly Token[],
  text: string,
  scheme: TagScheme,
  splitsAtComma: (label: number) => boolean,
): TagSpan[] {
  const spans: TagSpan[] = [];
  let open: TagSpan | null = null;
  for (let t = 0; t < tags.length; t++) {
    const tag = decodeTag(scheme, tags[t]);
    if (tag === null) {
      open = null;
      continue;
    }
    const continues =
      open !== null &&
      open.label === tag.label &&
      (scheme.bilou ? tag.position === INSIDE || tag.position === LAST : true) &&
      !(splitsAtComma(tag.label) && text.slice(tokens[t - 1].end, tokens[t].start).includes(','));
    if (continues && open !== null) {
      open.last = t;
    } else {
      open = { label: tag.label, first: t, last: t };
      spans.push(open);
    }
    if (scheme.bilou && (tag.position === LAST || tag.position === UNIT)) open = null;
  }
  return spans;
}
