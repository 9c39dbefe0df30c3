/**
 * Python semantics that leak into Rasa's observable behaviour: `str()` of values (used when
 * responses interpolate slots), truthiness (used when action-server responses are merged) and
 * `==` between JSON values (used by response conditions).
 */

/** Python's `str(value)` for a JSON-like value (`None`, `True`, `['a', 'b']`, `1e-05`). */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's `repr(value)` for a JSON-like value. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return quotePython(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => `${quotePython(key)}: ${pythonRepr(item)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/**
 * A JSON number as Python prints it. JSON cannot tell `2` from `2.0`, so integral values print as
 * Python ints (what Rasa shows for entity values and SDK integers); other values use Python's
 * shortest float repr, which switches to exponent notation below 1e-4 and from 1e16.
 */
function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isSafeInteger(value)) return String(value);
  return pythonFloatRepr(value);
}

/** Python's `repr(float)`: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16. */
export function pythonFloatRepr(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const exponentSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fractionPart = digits.slice(exponent + 1) || '0';
  return `${sign}${integerPart}.${fractionPart}`;
}

function quotePython(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const char of text) {
    if (char === '\\') body += '\\\\';
    else if (char === quote) body += `\\${quote}`;
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (char === '\t') body += '\\t';
    else body += char;
  }
  return `${quote}${body}${quote}`;
}

/** Python truthiness: `None`, `False`, `0`, `""`, `[]` and `{}` are false. */
export function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') {
    return false;
  }
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/**
 * Python `==` between JSON values: `True == 1 == 1.0`, lists and dicts compare element-wise,
 * `None` equals only `None` (an absent value counts as `None`).
 */
export function pythonEquals(left: unknown, right: unknown): boolean {
  const a = left === undefined ? null : left;
  const b = right === undefined ? null : right;
  if (a === b) return true;
  if (isNumberLike(a) && isNumberLike(b)) return Number(a) === Number(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => pythonEquals(item, b[index]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const aKeys = Object.keys(a);
    if (aKeys.length !== Object.keys(b).length) return false;
    return aKeys.every(
      (key) =>
        Object.prototype.hasOwnProperty.call(b, key) &&
        pythonEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    );
  }
  return false;
}

function isNumberLike(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

/** JSON with object keys sorted at every level (Python's `json.dumps(x, sort_keys=True)` identity). */
export function jsonWithSortedKeys(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonWithSortedKeys).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${jsonWithSortedKeys(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
