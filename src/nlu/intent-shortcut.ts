/**
 * The `/intent@confidence{"entity": value}` shortcut (Rasa's RegexMessageHandler): a message
 * starting with `/` names its intent and entities directly, overriding the NLU pipeline.
 */
import type { Logger } from '../logger.js';
import type { Domain } from '../shared/domain.js';
import type { Entity, ParseResult } from '../shared/nlu.js';
import { emptyParseResult } from '../shared/nlu.js';

const SHORTCUT = /^\/(?<name>[^{@]+)(?<confidence>@[0-9.]+)?(?<entities>\{.+\})?(?<rest>.*)/u;

export interface ShortcutOptions {
  logger?: Logger;
}

/**
 * The parse result of a shortcut message, or null when `text` is no valid shortcut for the
 * domain (not starting with `/`, not matching the syntax, or naming an unknown intent).
 */
export function matchIntentShortcut(text: string, domain: Domain | null, options: ShortcutOptions = {}): ParseResult | null {
  const userText = text.trim();
  if (!userText.startsWith('/')) return null;
  const match = SHORTCUT.exec(userText);
  const groups = match?.groups;
  if (!match || !groups) {
    options.logger?.warn(`Failed to parse the intent shortcut '${userText}'; the message is parsed as normal text.`);
    return null;
  }
  const intent = groups.name.trim();
  if (domain && !domain.intents.some((definition) => definition.name === intent)) {
    options.logger?.warn(
      `The intent shortcut '${userText}' names the intent '${intent}', which is not in the domain; the message is parsed as normal text.`,
    );
    return null;
  }
  const confidence = parseConfidence(groups.confidence, userText, options.logger);
  const entitiesStart = match.index + 1 + groups.name.length + (groups.confidence?.length ?? 0);
  const entities = parseEntities(groups.entities, entitiesStart, domain, userText, options.logger);
  if (groups.rest) {
    options.logger?.warn(`The intent shortcut '${userText}' has extra text '${groups.rest}' at its end, which is ignored.`);
  }
  return {
    text,
    intent: { name: intent, confidence },
    entities,
    intent_ranking: [{ name: intent, confidence }],
  };
}

/**
 * Applies the shortcut after the pipeline: a valid shortcut replaces the NLU result, anything
 * else leaves it as it is (an empty result when none is given).
 */
export function parseIntentShortcut(
  text: string,
  domain: Domain | null,
  nluResult?: ParseResult,
  options: ShortcutOptions = {},
): ParseResult {
  return matchIntentShortcut(text, domain, options) ?? nluResult ?? emptyParseResult(text);
}

function parseConfidence(raw: string | undefined, userText: string, logger: Logger | undefined): number {
  if (raw === undefined) return 1;
  const value = Number(raw.slice(1));
  if (!Number.isFinite(value)) {
    logger?.warn(`The intent shortcut '${userText}' has an invalid confidence '${raw.slice(1)}'; 0.0 is used.`);
    return 0;
  }
  if (value > 1) {
    logger?.warn(`The intent shortcut '${userText}' has a confidence above 1; 1.0 is used.`);
    return 1;
  }
  return value;
}

function parseEntities(
  raw: string | undefined,
  start: number,
  domain: Domain | null,
  userText: string,
  logger: Logger | undefined,
): Entity[] {
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    logger?.warn(`The entities '${raw}' of the intent shortcut '${userText}' are not a JSON object; they are ignored.`);
    return [];
  }
  const known = domain ? new Set(domain.entities.map((entity) => entity.name)) : null;
  const end = start + raw.length;
  const entities: Entity[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (known && !known.has(name)) {
      logger?.warn(`The intent shortcut '${userText}' sets the entity '${name}', which is not in the domain; it is dropped.`);
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      entities.push({ entity: name, value: item, start, end, extractor: 'RegexMessageHandler' });
    }
  }
  return entities;
}
