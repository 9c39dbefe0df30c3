/**
 * The review API's JSON, exactly as the server sends it (snake_case, like Rasa's HTTP API).
 * Shared by the client, the view models and the tests; no code here.
 */

/*
 * The parts that are exactly the server's types come from the server's modules (type-only, so
 * nothing of the server reaches the bundle); the rest is the browser's looser reading of the wire.
 */
import type { ConversationSummary } from '../../src/review/conversation-summary.js';
import type { TurnAction } from '../../src/review/transcript.js';
import type { Entity as PredictedEntity, IntentPrediction } from '../../src/shared/nlu.js';

export type { ConversationSummary, IntentPrediction, PredictedEntity, TurnAction };

export interface ConversationPage {
  conversations: ConversationSummary[];
  total: number;
}

export interface TurnBotMessage {
  text: string | null;
  template: string | null;
  buttons?: Array<{ title?: string; payload?: string }>;
  image?: string;
}

/** An entity as a correction gives it (character offsets into the message text). */
export interface EntityAnnotation {
  start: number;
  end: number;
  entity: string;
  value?: string;
  role?: string;
  group?: string;
}

export interface Correction {
  id: string;
  sender_id: string;
  event_index: number;
  text: string | null;
  intent: string | null;
  entities: EntityAnnotation[] | null;
  action: string | null;
  created_at: number | string;
}

/** One user message and what followed until the next one (`text: null` before the first). */
export interface Turn {
  event_index: number;
  timestamp: number | null;
  text: string | null;
  intent: IntentPrediction | null;
  intent_ranking: IntentPrediction[];
  entities: PredictedEntity[];
  actions: TurnAction[];
  bot_messages: TurnBotMessage[];
  slots_set: Record<string, unknown>;
  corrections: Correction[];
}

export interface ConversationDetail {
  sender_id: string;
  turns: Turn[];
  session_starts: number[];
}

/** `POST /review/api/corrections`. */
export interface CorrectionRequest {
  sender_id: string;
  event_index: number;
  intent?: string;
  entities?: EntityAnnotation[];
  action?: string;
}

/** A tester invite (`/review/api/share-links`). */
export interface ShareLink {
  id: string;
  token: string;
  label: string | null;
  /** The page a tester opens: `http://host/share?token=…`. */
  url: string;
  created_at: number;
  revoked: boolean;
}

export interface ExportFiles {
  nlu: string;
  stories: string;
}

/** Rasa's error body (`{version, status, message, reason, details, help, code}`). */
export interface ErrorBody {
  status?: string | number;
  message?: string;
  reason?: string;
  details?: unknown;
  help?: string | null;
  code?: number;
}
