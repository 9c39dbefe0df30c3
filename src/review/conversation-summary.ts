/** One line per conversation in the review list, and the list's filters. Pure data, no I/O. */
import type { TrackerEvent } from '../shared/events.js';

export interface ConversationSummary {
  sender_id: string;
  latest_event_time: number;
  user_messages: number;
  first_message: string | null;
  last_message: string | null;
  /** Predicted intents, in order of first appearance. */
  intents: string[];
  /** The lowest intent confidence of any user message, or null when there is none. */
  min_confidence: number | null;
  has_fallback: boolean;
  /** The share link the tester came through (user message metadata `share_link`), or null. */
  share_link: string | null;
  corrections: number;
}

/** What the summary keeps beside the public fields so that filters need not reread the events. */
export interface IndexedConversation {
  summary: Omit<ConversationSummary, 'corrections'>;
  /** Lowercased user and bot texts, for `q`. */
  texts: string[];
  actions: Set<string>;
}

export interface ConversationFilter {
  /** Case-insensitive text contained in a user or bot message. */
  q?: string;
  intent?: string;
  action?: string;
  /** Keep conversations with a user message whose intent confidence is below this. */
  maxConfidence?: number;
  /** Keep only conversations that hit a fallback. */
  fallback?: boolean;
}

const FALLBACK_INTENT = 'nlu_fallback';
const FALLBACK_ACTIONS = new Set(['action_default_fallback', 'action_two_stage_fallback']);

/** Reads the events once into what the list shows and filters on. */
export function summarize(senderId: string, events: readonly TrackerEvent[]): IndexedConversation {
  const intents: string[] = [];
  const texts: string[] = [];
  const actions = new Set<string>();
  let userMessages = 0;
  let firstMessage: string | null = null;
  let lastMessage: string | null = null;
  let minConfidence: number | null = null;
  let hasFallback = false;
  let shareLink: string | null = null;
  let latest = 0;
  for (const event of events) {
    latest = Math.max(latest, event.timestamp ?? 0);
    if (event.event === 'user') {
      userMessages += 1;
      const text = event.text ?? '';
      firstMessage ??= text;
      lastMessage = text;
      texts.push(text.toLowerCase());
      const intent = event.parse_data?.intent;
      if (intent?.name) {
        if (!intents.includes(intent.name)) intents.push(intent.name);
        if (intent.name === FALLBACK_INTENT) hasFallback = true;
      }
      if (intent && typeof intent.confidence === 'number') {
        minConfidence = minConfidence === null ? intent.confidence : Math.min(minConfidence, intent.confidence);
      }
      const link = event.metadata?.share_link;
      if (typeof link === 'string') shareLink = link;
    } else if (event.event === 'bot') {
      if (event.text) texts.push(event.text.toLowerCase());
    } else if (event.event === 'action' && event.name) {
      actions.add(event.name);
      if (FALLBACK_ACTIONS.has(event.name)) hasFallback = true;
    }
  }
  return {
    summary: {
      sender_id: senderId,
      latest_event_time: latest,
      user_messages: userMessages,
      first_message: firstMessage,
      last_message: lastMessage,
      intents,
      min_confidence: minConfidence,
      has_fallback: hasFallback,
      share_link: shareLink,
    },
    texts,
    actions,
  };
}

/** Whether the conversation passes every filter that is set. */
export function matches(conversation: IndexedConversation, filter: ConversationFilter): boolean {
  const { summary } = conversation;
  if (filter.q) {
    const needle = filter.q.toLowerCase();
    if (!conversation.texts.some((text) => text.includes(needle))) return false;
  }
  if (filter.intent && !summary.intents.includes(filter.intent)) return false;
  if (filter.action && !conversation.actions.has(filter.action)) return false;
  if (filter.maxConfidence !== undefined && !(summary.min_confidence !== null && summary.min_confidence < filter.maxConfidence)) return false;
  if (filter.fallback && !summary.has_fallback) return false;
  return true;
}
