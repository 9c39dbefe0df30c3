/** How the CLI talks to a person: progress lines, warnings and errors on stderr. */
import { isParleyError, ParleyAggregateError } from '../errors.js';
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
