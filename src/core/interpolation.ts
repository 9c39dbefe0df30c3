/**
 * `{slot}` placeholders in responses, filled the way Rasa does it: each `{name}` becomes a Python
 * format field looked up in the variables, `{{`/`}}` are literal braces, and a response with a
 * placeholder that has no value is returned unchanged (with an error log).
 */
import type { Logger } from '../logger.js';
import { pythonStr } from './python-values.js';

/** A placeholder: anything but newlines and braces between single braces. */
const PLACEHOLDER = /\{([^\n{}]+?)\}/g;

class MissingVariable extends Error {
  constructor(readonly variable: string) {
    super(`no value for '${variable}'`);
  }
}

/**
 * Fills placeholders in one string.
 * @example interpolateText('Hi {name}, {{literal}}', { name: 'Ada' }) // 'Hi Ada, {literal}'
 */
export function interpolateText(text: string, variables: Readonly<Record<string, unknown>>, logger?: Logger): string {
  try {
    const marked = text.replace(PLACEHOLDER, (_match, name: string) => `{0[${name}]}`);
    const filled = formatPython(marked, variables);
    // A placeholder inside `{{ }}` survives as `0[...]`: Python then formats the original
    // without values, which only resolves the escapes.
    if (filled.includes('0[')) return formatPython(text, null);
    return filled;
  } catch (error) {
    const reason =
      error instanceof MissingVariable
        ? `Tried to replace '${error.variable}' but could not find a value for it. There is no slot with this name nor was a value passed explicitly.`
        : `The text is not a valid template (${(error as Error).message}).`;
    logger?.error(
      { event: 'nlg.interpolation.failed', response: text },
      `Failed to replace placeholders in response '${text}'. ${reason} The response is sent without filling it.`,
    );
    return text;
  }
}

/** Fills placeholders in every string nested in `value` (objects are updated in place, like Rasa). */
export function interpolate(value: unknown, variables: Readonly<Record<string, unknown>>, logger?: Logger): unknown {
  if (typeof value === 'string') return interpolateText(value, variables, logger);
  if (Array.isArray(value)) return value.map((item) => interpolate(item, variables, logger));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const [key, item] of Object.entries(record)) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) interpolate(item, variables, logger);
      else if (Array.isArray(item) || typeof item === 'string') record[key] = interpolate(item, variables, logger);
    }
    return record;
  }
  return value;
}

/**
 * Python's `str.format(values)` restricted to what Rasa's templates produce: `{{`, `}}` and
 * fields `0[key]`; `values === null` means "no values" (any field fails).
 */
function formatPython(template: string, values: Readonly<Record<string, unknown>> | null): string {
  let out = '';
  let index = 0;
  while (index < template.length) {
    const char = template[index];
    if (char === '{' && template[index + 1] === '{') {
      out += '{';
      index += 2;
    } else if (char === '}' && template[index + 1] === '}') {
      out += '}';
      index += 2;
    } else if (char === '{') {
      const end = matchingBrace(template, index);
      out += resolveField(template.slice(index + 1, end), values);
      index = end + 1;
    } else if (char === '}') {
      throw new Error("single '}' encountered");
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

function matchingBrace(template: string, open: number): number {
  let depth = 0;
  for (let index = open; index < template.length; index++) {
    if (template[index] === '{') depth++;
    else if (template[index] === '}' && --depth === 0) return index;
  }
  throw new Error("expected '}' before end of string");
}

function resolveField(field: string, values: Readonly<Record<string, unknown>> | null): string {
  const match = /^0\[([^\]]*)\]$/.exec(field);
  if (!match) throw new MissingVariable(field);
  const key = match[1];
  // Python reads an all-digit index as an integer, which never matches a variable name.
  if (values === null || /^\d+$/.test(key) || !Object.prototype.hasOwnProperty.call(values, key)) {
    throw new MissingVariable(key);
  }
  return pythonStr(values[key]);
}
