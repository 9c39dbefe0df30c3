/**
 * The export of saved corrections (`GET /review/api/export`, `parley export`): the NLU examples
 * and the stories, read together from the corrections and the conversations they correct.
 */
import type { TrackerEvent, UserUtteredEvent } from '../shared/events.js';
import type { TrackerStore } from '../stores/types.js';
import type { Correction, CorrectedEntity } from './correction-store.js';
import { buildNluYaml, type NluExample } from './nlu-export.js';
import { buildStoriesYaml, predictedIntent } from './story-export.js';

export interface ReviewExport {
  /** Rasa 3.x `nlu.yml` text. */
  nlu: string;
  /** Rasa 3.x `stories.yml` text. */
  stories: string;
  /** What was left out and why (shown by `parley export`). */
  skipped: string[];
}

/** File names `parley export` writes into the project's data folder. */
export const EXPORT_FILES = { nlu: 'review_nlu.yml', stories: 'review_stories.yml' } as const;

function predictedEntities(event: UserUtteredEvent | undefined): CorrectedEntity[] {
  const entities = event?.parse_data?.entities ?? [];
  return entities
    .filter((entity) => typeof entity.start === 'number' && typeof entity.end === 'number')
    .map((entity) => {
      const corrected: CorrectedEntity = { start: entity.start as number, end: entity.end as number, entity: entity.entity, value: String(entity.value) };
      if (typeof entity.role === 'string') corrected.role = entity.role;
      if (typeof entity.group === 'string') corrected.group = entity.group;
      return corrected;
    });
}

/** NLU examples of the corrections that relabel a message (intent or entities). */
function nluExamples(corrections: readonly Correction[], conversations: ReadonlyMap<string, readonly TrackerEvent[]>, skipped: string[]): NluExample[] {
  const examples: NluExample[] = [];
  for (const correction of corrections) {
    if (correction.intent === null && correction.entities === null) continue;
    const event = conversations.get(correction.sender_id)?.[correction.event_index];
    const user = event?.event === 'user' ? event : undefined;
    const original = user ? predictedIntent(user) : null;
    const intent = correction.intent ?? (original === 'nlu_fallback' ? null : original);
    if (!intent) {
      skipped.push(`'${correction.text}': only its entities were corrected and its intent is unknown; correct the intent too`);
      continue;
    }
    examples.push({ text: correction.text, intent, entities: correction.entities ?? predictedEntities(user) });
  }
  return examples;
}

/** Builds both files from the corrections and the conversations (all sessions) they name. */
export function buildReviewExport(corrections: readonly Correction[], conversations: ReadonlyMap<string, readonly TrackerEvent[]>): ReviewExport {
  const skipped: string[] = [];
  const nlu = buildNluYaml(nluExamples(corrections, conversations, skipped));
  const stories = buildStoriesYaml(corrections, conversations);
  return { nlu: nlu.yaml, stories: stories.yaml, skipped: [...skipped, ...nlu.skipped, ...stories.skipped] };
}

/** Reads the corrected conversations from the tracker store, then builds the export. */
export async function exportCorrections(corrections: readonly Correction[], trackerStore: TrackerStore): Promise<ReviewExport> {
  const conversations = new Map<string, TrackerEvent[]>();
  for (const senderId of new Set(corrections.map((correction) => correction.sender_id))) {
    const events = await trackerStore.retrieve(senderId, { allSessions: true });
    if (events) conversations.set(senderId, events);
  }
  return buildReviewExport(corrections, conversations);
}
