/** Typed reading of one endpoints.yml section (`tracker_store`, `lock_store`, `event_broker`). */
import { ParleyError } from '../errors.js';

/** Where the options came from, for error messages. */
export interface EndpointSource {
  /** The endpoints.yml key, e.g. `tracker_store`. */
  section: string;
  /** The file the section was read from. @default 'endpoints.yml' */
  file?: string;
}

/**
 * One endpoints.yml section as written, read key by key with the same lenience as Rasa
 * (numbers may be written as strings, e.g. after `${PORT}` expansion) and errors that name the key.
 */
export class EndpointOptions {
  readonly section: string;
  readonly file: string;
  readonly #values: Readonly<Record<string, unknown>>;

  constructor(values: Record<string, unknown> | null | undefined, source: EndpointSource) {
    this.#values = values ?? {};
    this.section = source.section;
    this.file = source.file ?? 'endpoints.yml';
  }

  /** The implementation selector: `type`, or Rasa's legacy `store_type`, lower-cased. */
  get type(): string | undefined {
    const raw = this.#values.type ?? this.#values.store_type;
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw !== 'string') throw this.#invalid('type', 'a name such as "redis"', raw);
    return raw.trim().toLowerCase();
  }

  has(key: string): boolean {
    const value = this.#values[key];
    return value !== undefined && value !== null;
  }

  string(key: string): string | undefined;
  string(key: string, fallback: string): string;
  string(key: string, fallback?: string): string | undefined {
    const value = this.#values[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.#invalid(key, 'a string', value);
  }

  integer(key: string): number | undefined;
  integer(key: string, fallback: number): number;
  integer(key: string, fallback?: number): number | undefined {
    const value = this.#values[key];
    if (value === undefined || value === null || value === '') return fallback;
    const number = typeof value === 'string' ? Number(value.trim()) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) {
      throw this.#invalid(key, 'a whole number', value);
    }
    return number;
  }

  number(key: string): number | undefined;
  number(key: string, fallback: number): number;
  number(key: string, fallback?: number): number | undefined {
    const value = this.#values[key];
    if (value === undefined || value === null || value === '') return fallback;
    const number = typeof value === 'string' ? Number(value.trim()) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw this.#invalid(key, 'a number', value);
    }
    return number;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.#values[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
      return value.trim().toLowerCase() === 'true';
    }
    throw this.#invalid(key, 'true or false', value);
  }

  /** A list of strings; a single string is accepted as a list of one (as Rasa does for `queues`). */
  stringList(key: string, fallback: string[]): string[] {
    const value = this.#values[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
      return value as string[];
    }
    throw this.#invalid(key, 'a list of names', value);
  }

  record(key: string): Record<string, unknown> | undefined {
    const value = this.#values[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    throw this.#invalid(key, 'a mapping', value);
  }

  /** A configuration error about this section, worded for the person editing endpoints.yml. */
  error(message: string, cause?: unknown): ParleyError {
    return new ParleyError('PARLEY_ERR_ENDPOINT_CONFIG', `${this.section}: ${message}`, {
      location: { file: this.file },
      cause,
    });
  }

  #invalid(key: string, expected: string, got: unknown): ParleyError {
    return this.error(`\`${key}\` must be ${expected}, but it is ${JSON.stringify(got)}.`);
  }
}

/** Reads a positive whole number of seconds from the environment (Rasa's env knobs). */
export function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ParleyError(
      'PARLEY_ERR_ENDPOINT_CONFIG',
      `The environment variable ${name} must be a positive number of seconds, but it is "${raw}".`,
    );
  }
  return value;
}
