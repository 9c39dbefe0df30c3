/** How the CLI talks to a person: progress lines, warnings and errors on stderr. */
import { Writable } from 'node:stream';
import { isParleyError, ParleyAggregateError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import type { ProgressEvent } from '../train/progress.js';

export interface CliOutput {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  progress(event: ProgressEvent): void;
}

export function terminalOutput(stream: NodeJS.WritableStream = process.stderr): CliOutput {
  let lastKey = '';
  return {
    info: (message) => stream.write(`${message}\n`),
    warn: (message) => stream.write(`Warning: ${message}\n`),
    error: (message) => stream.write(`Error: ${message}\n`),
    progress: (event) => {
      // Steps that only count up ("iteration 24", "iteration 25"…) print once, not once per tick.
      const key = event.message.replace(/\d+/g, '#');
      if (key === lastKey) return;
      lastKey = key;
      stream.write(`[${String(Math.round(event.fraction * 100)).padStart(3)}%] ${event.message}\n`);
    },
  };
}

/** Turns any error into text for a person; our own errors carry file:line and advice. */
export function describeError(error: unknown): string {
  if (error instanceof ParleyAggregateError) return error.toUserString();
  if (isParleyError(error)) return error.toUserString();
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

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
