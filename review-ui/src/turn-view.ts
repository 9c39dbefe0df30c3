/**
 * Turns the API's conversation detail into what the transcript shows: per turn the message with
 * its entities marked, the predicted intent (flagged when unsure or a fallback), the ranking, the
 * actions with the policy that chose them, bot messages with their response template, slots set,
 * and the saved corrections. Pure data in, pure data out.
 */
import { segmentText, type TextSegment } from './entity-spans.js';
import { percent, policyLabel, valueText } from './format.js';
import type { ConversationDetail, Correction, EntityAnnotation, Turn } from './types.js';

export const FALLBACK_INTENT = 'nlu_fallback';
export const FALLBACK_ACTIONS: ReadonlySet<string> = new Set(['action_default_fallback', 'action_two_stage_fallback']);

export interface IntentView {
  name: string;
  confidence: string;
  /** Below the page's low-confidence threshold or a fallback. */
  flagged: boolean;
}

export interface EntityView {
  entity: string;
  value: string;
  role: string | null;
  group: string | null;
  confidence: string | null;
  extractor: string | null;
}

export interface ActionView {
  name: string;
  policy: string;
  /** The policy as recorded (`policy_1_RulePolicy`). */
  policyFull: string;
  confidence: string;
  listen: boolean;
  fallback: boolean;
}

export interface BotView {
  text: string;
  template: string | null;
  buttons: string[];
  image: string | null;
}

export interface CorrectionView {
  id: string;
  intent: string | null;
  entities: EntityAnnotation[] | null;
  action: string | null;
  /** One line per corrected part, e.g. `Intent: mood_unhappy`. */
  lines: string[];
  created: number | string;
}

export interface TurnView {
  eventIndex: number;
  timestamp: number | null;
  /** Null for what happened before the first user message. */
  text: string | null;
  /** The message split for highlighting, with the corrected entities when there are any. */
  segments: TextSegment[];
  intent: IntentView | null;
  ranking: IntentView[];
  entities: EntityView[];
  actions: ActionView[];
  bots: BotView[];
  slots: Array<{ name: string; value: string }>;
  corrections: CorrectionView[];
  /** A new session starts right before this turn. */
  sessionStart: boolean;
  /** The turn has a fallback intent or action. */
  fallback: boolean;
}

/** Entity annotations as written in training data, shown in correction summaries. */
export function entityLabel(text: string | null, entity: EntityAnnotation): string {
  const value = entity.value ?? text?.slice(entity.start, entity.end) ?? '';
  const extra = [entity.role ? `role ${entity.role}` : '', entity.group ? `group ${entity.group}` : ''].filter(Boolean).join(', ');
  return `${value} → ${entity.entity}${extra ? ` (${extra})` : ''}`;
}

function correctionView(correction: Correction, text: string | null): CorrectionView {
  const lines: string[] = [];
  if (correction.intent) lines.push(`Intent: ${correction.intent}`);
  if (correction.entities) {
    lines.push(
      correction.entities.length === 0 ? 'Entities: none' : `Entities: ${correction.entities.map((entity) => entityLabel(text, entity)).join('; ')}`,
    );
  }
  if (correction.action) lines.push(`Next action: ${correction.action}`);
  return {
    id: correction.id,
    intent: correction.intent,
    entities: correction.entities,
    action: correction.action,
    lines,
    created: correction.created_at,
  };
}

function intentView(name: string | null, confidence: number, threshold: number): IntentView | null {
  if (name === null || name === '') return null;
  return { name, confidence: percent(confidence), flagged: name === FALLBACK_INTENT || confidence < threshold };
}

/** The newest correction of a turn: the one export uses. */
export function latestCorrection(turn: Pick<Turn, 'corrections'>): Correction | null {
  return turn.corrections.length === 0 ? null : turn.corrections[turn.corrections.length - 1];
}

export function turnView(turn: Turn, threshold: number, sessionStart = false): TurnView {
  const latest = latestCorrection(turn);
  const intent = turn.intent === null ? null : intentView(turn.intent.name, turn.intent.confidence, threshold);
  const actions = turn.actions.map(
    (action): ActionView => ({
      name: action.name,
      policy: policyLabel(action.policy),
      policyFull: action.policy ?? '',
      confidence: percent(action.confidence),
      listen: action.name === 'action_listen',
      fallback: FALLBACK_ACTIONS.has(action.name),
    }),
  );
  const shownEntities = latest?.entities ?? turn.entities;
  return {
    eventIndex: turn.event_index,
    timestamp: turn.timestamp,
    text: turn.text,
    segments: turn.text === null ? [] : segmentText(turn.text, shownEntities),
    intent,
    ranking: turn.intent_ranking
      .map((prediction) => intentView(prediction.name, prediction.confidence, threshold))
      .filter((view): view is IntentView => view !== null),
    entities: turn.entities.map((entity) => ({
      entity: entity.entity,
      value: valueText(entity.value),
      role: entity.role ?? null,
      group: entity.group ?? null,
      confidence: typeof entity.confidence_entity === 'number' ? percent(entity.confidence_entity) : null,
      extractor: entity.extractor ?? null,
    })),
    actions,
    bots: turn.bot_messages.map((message) => ({
      text: message.text ?? '',
      template: message.template,
      buttons: (message.buttons ?? []).map((button) => button.title ?? button.payload ?? '').filter((title) => title !== ''),
      image: typeof message.image === 'string' && message.image !== '' ? message.image : null,
    })),
    slots: Object.entries(turn.slots_set).map(([name, value]) => ({ name, value: valueText(value) })),
    corrections: turn.corrections.map((correction) => correctionView(correction, turn.text)),
    sessionStart,
    fallback: intent?.name === FALLBACK_INTENT || actions.some((action) => action.fallback),
  };
}

/**
 * Every turn's view. A session divider goes before the first turn after each `session_starts`
 * index once the user has said something (every conversation opens with a session).
 */
export function conversationView(detail: ConversationDetail, threshold: number): TurnView[] {
  const starts = [...detail.session_starts].sort((a, b) => a - b);
  let next = 0;
  let userSpoke = false;
  return detail.turns.map((turn) => {
    let sessionStart = false;
    while (next < starts.length && starts[next] <= turn.event_index) {
      sessionStart = userSpoke;
      next += 1;
    }
    if (turn.text !== null) userSpoke = true;
    return turnView(turn, threshold, sessionStart);
  });
}
