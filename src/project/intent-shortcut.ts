/** The `/intent@confidence{"entity": "value"}` shortcut written as a user text in stories. */
import type { StoryEntity } from '../shared/training-data.js';

// Groups: intent, optional `@confidence`, optional JSON object, anything left over.
const SHORTCUT = /^\/([^{@]+)(@[0-9.]+)?(\{.+\})?(.*)$/d;

export interface IntentShortcut {
  intent: string;
  confidence: number;
  entities: StoryEntity[];
  /** Why part of the text was ignored (bad JSON, trailing text); null when all was understood. */
  problem: string | null;
}

/**
 * Decodes a shortcut message; returns null when `text` does not start with `/` followed by an
 * intent name. Entities get `start`/`end` of the JSON part, as Rasa reports them.
 *
 * @example parseIntentShortcut('/inform{"city": "Paris"}')?.entities
 *   // [{ entity: 'city', value: 'Paris', start: 7, end: 24 }]
 */
export function parseIntentShortcut(text: string): IntentShortcut | null {
  const trimmed = text.trim();
  const match = SHORTCUT.exec(trimmed);
  if (!match) return null;
  const intent = match[1].trim();
  if (intent === '') return null;
  const problems: string[] = [];

  let confidence = 1;
  if (match[2] !== undefined) {
    const parsed = Number(match[2].slice(1));
    confidence = Number.isFinite(parsed) ? Math.min(1, parsed) : 0;
    if (!Number.isFinite(parsed) || parsed > 1) problems.push(`confidence '${match[2]}' must be a number from 0 to 1`);
  }

  const entities: StoryEntity[] = [];
  if (match[3] !== undefined && match.indices?.[3]) {
    const [start, end] = match.indices[3];
    try {
      const parsed: unknown = JSON.parse(match[3]);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      for (const [entity, raw] of Object.entries(parsed)) {
        for (const value of Array.isArray(raw) ? raw : [raw]) entities.push({ entity, value, start, end });
      }
    } catch (error) {
      problems.push(`the entities '${match[3]}' are not a JSON object (${(error as Error).message})`);
    }
  }
  if (match[4]) problems.push(`'${match[4]}' after the intent and entities is ignored`);
  return { intent, confidence, entities, problem: problems.length > 0 ? problems.join('; ') : null };
}
