/** Reading one channel's credentials.yml options: strings, flags and maps, with clear errors. */
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';

export type ChannelOptions = Record<string, unknown>;

function invalid(channel: string, key: string, expected: string, value: unknown): ParleyError {
  return new ParleyError(
    'PARLEY_ERR_CHANNEL_CONFIG',
    `credentials.yml: option \`${key}\` of the \`${channel}\` channel must be ${expected}, ` +
      `but it is ${JSON.stringify(value)}.`,
  );
}

/** A string option; null or absent → `fallback`. Numbers are taken as their text. */
export function stringOption(channel: string, options: ChannelOptions, key: string, fallback: string): string;
export function stringOption(
  channel: string,
  options: ChannelOptions,
  key: string,
  fallback: string | null,
): string | null;
export function stringOption(
  channel: string,
  options: ChannelOptions,
  key: string,
  fallback: string | null,
): string | null {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw invalid(channel, key, 'a string', value);
}

/**
 * A yes/no option. Rasa uses Python truthiness, so the quoted string "false" counts as true there;
 * we read "true"/"false" (any case) as the booleans they spell and log that we did.
 */
export function flagOption(
  channel: string,
  options: ChannelOptions,
  key: string,
  fallback: boolean,
  logger: Logger,
): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true' || lowered === 'false') {
      logger.info(
        { event: 'channel.option.string_flag', channel, option: key, value },
        `credentials.yml: \`${channel}.${key}\` is the string "${value}"; Parley reads it as ${lowered} ` +
          '(Rasa would treat any non-empty string as true).',
      );
      return lowered === 'true';
    }
    return value !== '';
  }
  throw invalid(channel, key, 'true or false', value);
}

/** A mapping option (`headers`, `params`); null or absent → `{}`. */
export function mapOption(channel: string, options: ChannelOptions, key: string): Record<string, unknown> {
  const value = options[key];
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw invalid(channel, key, 'a mapping', value);
}

/** A positive number option (seconds); null or absent → `fallback`. */
export function numberOption(channel: string, options: ChannelOptions, key: string, fallback: number): number {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number === 'number' && Number.isFinite(number) && number > 0) return number;
  throw invalid(channel, key, 'a positive number', value);
}

/**
 * A limit: a positive whole number; 0 or false turns the limit off (null); null or absent →
 * `fallback`.
 */
export function limitOption(
  channel: string,
  options: ChannelOptions,
  key: string,
  fallback: number | null,
): number | null {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  if (value === false || value === 0 || value === '0') return null;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number > 0) return number;
  throw invalid(channel, key, 'a positive whole number (or 0 for no limit)', value);
}
