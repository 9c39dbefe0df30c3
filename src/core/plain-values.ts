/** Copying the plain JSON-like data of domains and events (responses, slot initial values). */

/**
 * A deep copy of plain data (arrays, plain objects, primitives), as `structuredClone` makes it
 * but several times faster for the small values copied per message; anything else (dates, maps,
 * class instances) is handed to `structuredClone`.
 */
export function clonePlainValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clonePlainValue) as T;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = clonePlainValue((value as Record<string, unknown>)[key]);
  return copy as T;
}

/**
 * Copies the own enumerable properties of `source` onto `target` as object spread does (a key
 * named `__proto__`, which JSON from clients and action servers may hold, becomes a plain
 * property, never the prototype), but in a loop: cheaper than a spread for objects of many
 * shapes on the per-message path. `skipUndefined` leaves out properties whose value is undefined.
 */
export function assignOwn(target: Record<string, unknown>, source: object, skipUndefined = false): void {
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const value = (source as Record<string, unknown>)[key];
    if (skipUndefined && value === undefined) continue;
    if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    else target[key] = value;
  }
}

