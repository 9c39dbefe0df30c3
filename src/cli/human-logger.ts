/**
 * Log lines as sentences for a person at a terminal. Kept apart from output.ts so that commands
 * which never log (`--version`, `--help`) do not load the logger (pino).
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../logger.js';
import type { CliOutput } from './output.js';

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * A logger for interactive commands (train, validate, init): log lines become sentences on the
 * CLI output instead of JSON, with the file location in front when a line carries one.
 */
export function humanLogger(output: CliOutput, level = process.env.LOG_LEVEL?.toLowerCase() ?? 'warn'): Logger {
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text.trim() !== '') printLogLine(output, text);
      }
      done();
    },
  });
  return createLogger({ level, destination: lines });
}

function printLogLine(output: CliOutput, text: string): void {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    output.info(text);
    return;
  }
  const level = LEVEL_NAMES[record.level as number] ?? 'info';
  const where = typeof record.file === 'string' ? `${record.file}${typeof record.line === 'number' ? `:${record.line}` : ''}: ` : '';
  const message = `${where}${String(record.msg ?? '')}`;
  if (level === 'warn') output.warn(message);
  else if (level === 'error' || level === 'fatal') output.error(message);
  else output.info(message);
}
