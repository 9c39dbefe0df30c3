/**
 * Checks a correction sent by a reviewer against the body schema, the conversation (the event must
 * be a user message, entity offsets inside its text) and the domain (intents, entities, roles,
 * groups and actions must exist), so that everything saved can be exported and trained on.
 */
import { z } from 'zod';
import { badRequest, validBody } from '../api/context.js';
import { indexDomain } from '../core/domain-index.js';
import type { Domain } from '../shared/domain.js';
import type { TrackerEvent, UserUtteredEvent } from '../shared/events.js';
import type { CorrectedEntity, NewCorrection } from './correction-store.js';

const entitySchema = z
  .object({
    start: z.number().int().nonnegative(),
    end: z.number().int().positive(),
    entity: z.string().min(1),
    value: z.string().optional(),
    role: z.string().min(1).optional(),
    group: z.string().min(1).optional(),
  })
  .strict();

export const correctionBodySchema = z
  .object({
    sender_id: z.string().min(1),
    event_index: z.number().int().nonnegative(),
    intent: z.string().min(1).optional(),
    entities: z.array(entitySchema).max(100).optional(),
    action: z.string().min(1).optional(),
  })
  .strict();

export type CorrectionBody = z.infer<typeof correctionBodySchema>;

/** Intents a person never labels an example with: Rasa sets them itself. */
const UNLABELLABLE_INTENTS = new Set(['nlu_fallback', 'session_start']);
/** Actions that are not a reply a reviewer could choose. */
const UNCHOOSABLE_ACTIONS = new Set(['action_session_start', 'action_extract_slots', '...']);

/** Reads the body into a typed correction body; the first problem is a 400 naming the field. */
export function readCorrectionBody(body: unknown): CorrectionBody {
  const parsed = validBody(correctionBodySchema, body);
  if (parsed.intent === undefined && parsed.entities === undefined && parsed.action === undefined) {
    throw badRequest("A correction needs at least one of 'intent', 'entities' or 'action'.", 'intent');
  }
  return parsed;
}

function checkEntities(entities: NonNullable<CorrectionBody['entities']>, text: string, domain: Domain): CorrectedEntity[] {
  const known = new Map(domain.entities.map((entity) => [entity.name, entity]));
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  sorted.forEach((entity, position) => {
    const field = `entities.${entities.indexOf(entity)}`;
    if (entity.end > text.length || entity.start >= entity.end) {
      throw badRequest(
        `Invalid value for '${field}' in the request body: the offsets ${entity.start}–${entity.end} are not inside the message (${text.length} characters).`,
        field,
      );
    }
    const previous = sorted[position - 1];
    if (previous && previous.end > entity.start) {
      throw badRequest(`Invalid value for '${field}' in the request body: it overlaps another entity.`, field);
    }
    const definition = known.get(entity.entity);
    if (!definition) {
      throw badRequest(`Invalid value for '${field}.entity' in the request body: the domain has no entity '${entity.entity}'.`, `${field}.entity`);
    }
    if (entity.role !== undefined && !definition.roles.includes(entity.role)) {
      throw badRequest(`Invalid value for '${field}.role' in the request body: the entity '${entity.entity}' has no role '${entity.role}'.`, `${field}.role`);
    }
    if (entity.group !== undefined && !definition.groups.includes(entity.group)) {
      throw badRequest(`Invalid value for '${field}.group' in the request body: the entity '${entity.entity}' has no group '${entity.group}'.`, `${field}.group`);
    }
  });
  return sorted.map((entity) => {
    const corrected: CorrectedEntity = { start: entity.start, end: entity.end, entity: entity.entity, value: entity.value ?? text.slice(entity.start, entity.end) };
    if (entity.role !== undefined) corrected.role = entity.role;
    if (entity.group !== undefined) corrected.group = entity.group;
    return corrected;
  });
}

/**
 * The correction to save for `body`, checked against the conversation's events (all sessions) and
 * the served model's domain.
 * @throws ParleyError 400 `PARLEY_ERR_BAD_REQUEST` naming the field at fault.
 */
export function checkCorrection(body: CorrectionBody, events: readonly TrackerEvent[], domain: Domain): NewCorrection {
  const event = events[body.event_index];
  if (!event || event.event !== 'user') {
    throw badRequest(`Invalid value for 'event_index' in the request body: event ${body.event_index} of this conversation is not a user message.`, 'event_index');
  }
  const text = (event as UserUtteredEvent).text ?? '';
  const index = indexDomain(domain);
  if (body.intent !== undefined && (!index.intentNames.has(body.intent) || UNLABELLABLE_INTENTS.has(body.intent))) {
    throw badRequest(`Invalid value for 'intent' in the request body: the domain has no intent '${body.intent}' to label messages with.`, 'intent');
  }
  if (body.action !== undefined && (!index.actionIndex.has(body.action) || UNCHOOSABLE_ACTIONS.has(body.action) || index.actionTexts.has(body.action))) {
    throw badRequest(`Invalid value for 'action' in the request body: the domain has no action '${body.action}'.`, 'action');
  }
  if (body.entities !== undefined && text.startsWith('/')) {
    throw badRequest("Invalid value for 'entities' in the request body: the message is an intent shortcut (it starts with '/'), not text to annotate.", 'entities');
  }
  return {
    sender_id: body.sender_id,
    event_index: body.event_index,
    text,
    intent: body.intent ?? null,
    entities: body.entities === undefined ? null : checkEntities(body.entities, text, domain),
    action: body.action ?? null,
  };
}
