/** A logger whose lines the test can read back. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/logger.js';

export interface CapturedLogs {
  logger: Logger;
  /** Every log line, parsed. */
  entries(): Array<Record<string, unknown> & { msg?: string; level: number }>;
  /** Whether some line's message contains `text`. */
  has(text: string): boolean;
}

export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown> & { msg?: string; level: number });
  return {
    logger,
    entries,
    has: (text) => entries().some((entry) => typeof entry.msg === 'string' && entry.msg.includes(text)),
  };
}
