/** Small formatting helpers for the review page (confidences, policy names, times). Pure. */

/** `0.623` → `62%`; values under 1 % and over 99 % keep one decimal so they never read as 0 or 100. */
export function percent(confidence: number | null | undefined): string {
  if (confidence === null || confidence === undefined || !Number.isFinite(confidence)) return '–';
  const value = confidence * 100;
  if (value > 0 && value < 1) return `${value.toFixed(1)}%`;
  if (value > 99 && value < 100) return `${Math.min(value, 99.9).toFixed(1)}%`;
  return `${Math.round(value)}%`;
}

/** Rasa names ensemble members `policy_<index>_<Class>`; the class is what a reviewer knows. */
export function policyLabel(policy: string | null | undefined): string {
  if (policy === null || policy === undefined || policy === '') return 'no policy';
  return policy.replace(/^policy_\d+_/, '');
}

/** A tracker timestamp (Unix seconds) as local date and time. */
export function formatTime(seconds: number | null | undefined, locale?: string, timeZone?: string): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(seconds * 1000));
}

/** `created_at` may be Unix seconds or an ISO string, depending on the store. */
export function formatCreated(value: number | string | null | undefined, locale?: string, timeZone?: string): string {
  if (typeof value === 'number') return formatTime(value, locale, timeZone);
  if (typeof value === 'string' && value !== '') {
    const millis = Date.parse(value);
    return Number.isNaN(millis) ? value : formatTime(millis / 1000, locale, timeZone);
  }
  return '';
}

/** A slot or entity value as one line of text. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

/**
 * What names a conversation in the list: its first message, unless that is an intent shortcut a
 * page sent on its own (`/greet`), then its last message.
 */
export function headline(first: string | null, last: string | null): string {
  if (first !== null && first !== '' && !first.startsWith('/')) return first;
  return last ?? first ?? '(no user message)';
}

/** `1 message`, `3 messages`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
