/** The process logger (pino). Modules take a child with `module`; secrets are redacted by path. */
import { pino, type Logger, type DestinationStream } from 'pino';
import { requestLogFields } from './observability/request-context.js';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Write to this destination instead of stdout (tests pass a stream to read logs back). */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL?.toLowerCase() ?? 'info';
  const settings = {
    level,
    base: undefined,
    // Lines written while a request or message is in progress carry its `requestId`.
    mixin: requestLogFields,
    redact: {
      paths: ['token', '*.token', 'password', '*.password', 'jwt_key', '*.jwt_key', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
  return options.destination ? pino(settings, options.destination as DestinationStream) : pino(settings);
}

/** A logger that drops everything (tests that do not read logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
