/** Query parameters of the HTTP API, read as Rasa reads them, with Rasa's 400s for bad values. */
import { ParleyError } from '../errors.js';
import type { EventVerbosity } from '../core/tracker.js';

export type Query = Record<string, string | string[] | undefined>;

const VERBOSITIES: readonly EventVerbosity[] = ['NONE', 'APPLIED', 'AFTER_RESTART', 'ALL'];

/** The first value of a query parameter (repeated parameters: the first wins, as in Sanic). */
export function queryValue(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `include_events`, case-insensitive. @default 'AFTER_RESTART' */
export function eventVerbosity(query: Query, fallback: EventVerbosity = 'AFTER_RESTART'): EventVerbosity {
  const value = queryValue(query, 'include_events');
  if (value === undefined) return fallback;
  const upper = value.toUpperCase() as EventVerbosity;
  if (VERBOSITIES.includes(upper)) return upper;
  throw new ParleyError(
    'PARLEY_ERR_BAD_REQUEST',
    `Invalid parameter value for 'include_events'. Should be one of ${VERBOSITIES.join(', ')}`,
    { details: { parameter: 'include_events', in: 'query' } },
  );
}

/** Rasa's boolean parameters are true only for the string `true`, in any case. */
export function booleanParam(query: Query, name: string, fallback = false): boolean {
  const value = queryValue(query, name);
  return value === undefined ? fallback : value.toLowerCase() === 'true';
}

/** `until`: epoch seconds; a value that is not a number is ignored, as in Rasa. */
export function untilParam(query: Query): number | null {
  const value = queryValue(query, 'until');
  if (value === undefined || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}
