/**
 * The conversation list's filters and the page's place (which conversation is open), kept in the
 * URL fragment so that reload, back/forward and a copied link all return to the same view.
 * Pure functions: no DOM.
 */

export interface FilterState {
  /** Text to find in user or bot messages (case-insensitive, on the server). */
  q: string;
  /** Only conversations with this predicted intent ('' for any). */
  intent: string;
  /** Only conversations where this action ran ('' for any). */
  action: string;
  /** Only conversations with a user message whose intent confidence is below this. */
  maxConfidence: number | null;
  /** Only conversations that hit a fallback. */
  fallback: boolean;
}

export const EMPTY_FILTERS: Readonly<FilterState> = Object.freeze({ q: '', intent: '', action: '', maxConfidence: null, fallback: false });

/** The choices of the low-confidence filter. */
export const CONFIDENCE_THRESHOLDS = [0.3, 0.5, 0.7, 0.9] as const;

/** Confidence under which a prediction is flagged in the transcript when no filter says otherwise. */
export const DEFAULT_LOW_CONFIDENCE = 0.5;

export interface PageLocation {
  filters: FilterState;
  /** The open conversation, or null for the list alone. */
  conversation: string | null;
}

export function hasFilters(filters: FilterState): boolean {
  return filters.q.trim() !== '' || filters.intent !== '' || filters.action !== '' || filters.maxConfidence !== null || filters.fallback;
}

/** The API's query parameters for these filters (empty ones left out). */
export function filterQuery(filters: FilterState): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.q.trim() !== '') query.set('q', filters.q.trim());
  if (filters.intent !== '') query.set('intent', filters.intent);
  if (filters.action !== '') query.set('action', filters.action);
  if (filters.maxConfidence !== null) query.set('max_confidence', String(filters.maxConfidence));
  if (filters.fallback) query.set('fallback', 'true');
  return query;
}

/** `#q=hi&intent=greet&conversation=abc`; '' for the plain list. */
export function formatLocation(location: PageLocation): string {
  const query = filterQuery(location.filters);
  if (location.conversation !== null) query.set('conversation', location.conversation);
  const text = query.toString();
  return text === '' ? '' : `#${text}`;
}

/** Reads a fragment written by formatLocation; anything it does not understand is ignored. */
export function parseLocation(hash: string): PageLocation {
  const query = new URLSearchParams(hash.replace(/^#/, ''));
  const confidence = Number.parseFloat(query.get('max_confidence') ?? '');
  const conversation = query.get('conversation');
  return {
    filters: {
      q: query.get('q') ?? '',
      intent: query.get('intent') ?? '',
      action: query.get('action') ?? '',
      maxConfidence: Number.isFinite(confidence) && confidence > 0 && confidence <= 1 ? confidence : null,
      fallback: query.get('fallback') === 'true',
    },
    conversation: conversation === null || conversation === '' ? null : conversation,
  };
}
