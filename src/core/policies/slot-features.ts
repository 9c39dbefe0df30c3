/** How a slot's value is featurised for the dialogue policies (Rasa's `Slot.as_feature()`). */
import type { SlotDefinition } from '../../shared/domain.js';
import { pythonStr } from '../python-values.js';
import { boolFromAny } from '../slot-values.js';

/**
 * Number of features a slot contributes to dialogue states; 0 for slots that do not influence
 * the conversation (and for `any` slots, which never do).
 */
export function slotFeatureDimension(slot: SlotDefinition): number {
  if (!slot.influenceConversation) return 0;
  switch (slot.type) {
    case 'text':
    case 'list':
      return 1;
    case 'bool':
    case 'float':
      return 2;
    case 'categorical':
      return (slot.values?.length ?? 0) + 1;
    case 'any':
      return 0;
    default: {
      const unknown: never = slot.type;
      throw new TypeError(`Unknown slot type '${String(unknown)}'`);
    }
  }
}

/**
 * The features of a stored slot value, per project-format §3.5: text set → `[1]`; bool →
 * `[is_set, value]`; categorical → one-hot over `values` plus `__other__` (last); float →
 * `[1, (clamped - min) / (max - min)]`; list non-empty → `[1]`. Unset values give all zeros.
 */
export function slotFeatures(slot: SlotDefinition, value: unknown): number[] {
  const dimension = slotFeatureDimension(slot);
  const features = new Array<number>(dimension).fill(0);
  if (dimension === 0 || value === null || value === undefined) return features;
  switch (slot.type) {
    case 'text':
      features[0] = 1;
      break;
    case 'list':
      features[0] = hasLength(value) ? 1 : 0;
      break;
    case 'bool':
      try {
        features[1] = boolFromAny(value) ? 1 : 0;
        features[0] = 1;
      } catch {
        // Rasa featurises a value it cannot read as a boolean like an unset slot.
      }
      break;
    case 'float': {
      const number = pythonFloat(value);
      if (number === null) break;
      const min = slot.minValue ?? 0;
      const max = slot.maxValue ?? 1;
      const capped = Math.max(min, Math.min(max, number));
      const range = Math.abs(max - min) > 0 ? Math.abs(max - min) : 1;
      features[0] = 1;
      features[1] = (capped - min) / range;
      break;
    }
    case 'categorical': {
      const values = slot.values ?? [];
      const index = values.indexOf(pythonStr(value).toLowerCase());
      features[index >= 0 ? index : values.length] = 1;
      break;
    }
    case 'any':
      break;
    default: {
      const unknown: never = slot.type;
      throw new TypeError(`Unknown slot type '${String(unknown)}'`);
    }
  }
  return features;
}

function hasLength(value: unknown): boolean {
  if (Array.isArray(value) || typeof value === 'string') return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return false;
}

/** Python's `float(value)`, or null where Python would raise. */
function pythonFloat(value: unknown): number | null {
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i.test(text)) return null;
    const number = Number(text.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
    return Number.isNaN(number) ? null : number;
  }
  return null;
}
