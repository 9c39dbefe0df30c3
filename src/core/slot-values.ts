/** How slot values are stored and read, per slot type (Rasa's `Slot.value` setter and helpers). */
import type { SlotDefinition } from '../shared/domain.js';
import { pythonTruthy } from './python-values.js';

/**
 * The value a slot stores when `value` is set: list slots wrap a single truthy value into a list
 * (`"a"` → `["a"]`); every other type stores the value as given, as Rasa does (a bool slot set to
 * `"true"` keeps the string; use {@link boolFromAny} to read it as a boolean).
 */
export function storedSlotValue(definition: SlotDefinition, value: unknown): unknown {
  if (definition.type === 'list' && pythonTruthy(value) && !Array.isArray(value)) return [value];
  return value === undefined ? null : value;
}

/**
 * Rasa's `bool_from_any`: booleans as is, numbers true only when equal to 1, strings `"true"` /
 * `"false"` (any case, trimmed) or numeric strings; anything else throws a `TypeError`.
 */
export function boolFromAny(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return Number(value) === 1;
    const word = value.trim().toLowerCase();
    if (word === 'true') return true;
    if (word === 'false') return false;
    throw new TypeError(`Cannot convert the string '${value}' to a boolean.`);
  }
  throw new TypeError(`Cannot convert a value of type ${value === null ? 'null' : typeof value} to a boolean.`);
}
