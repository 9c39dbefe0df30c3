/** The trained dialogue model as plain JSON: what `trainPolicies` returns and `loadPolicies` reads. */
import { ParleyError } from '../../errors.js';
import type { RuleOnlyData } from './states.js';
import type { RulePolicyData } from './rule-policy.js';
import type { MemoizationPolicyData } from './memoization-policy.js';
import type { TedPolicyData } from './ted-policy.js';

/** Changes whenever stored dialogue models stop being readable by older code. */
export const DIALOGUE_MODEL_FORMAT = 'parley.dialogue.v1';

export type PolicyData = RulePolicyData | MemoizationPolicyData | TedPolicyData;

export interface DialogueModelData {
  format: typeof DIALOGUE_MODEL_FORMAT;
  /** The trained policies, in `config.yml` order. */
  policies: PolicyData[];
  /** Slots and loops only rules use (from RulePolicy); story-trained policies ignore them. */
  ruleOnlyData: RuleOnlyData | null;
  /** Policies named in the configuration that Parley accepted but does not run. */
  skippedPolicies: string[];
}

/** A Float32Array as little-endian bytes in base64: compact and exact in JSON. */
export interface EncodedFloat32Array {
  dtype: 'float32';
  length: number;
  base64: string;
}

/** Packs weights for JSON. */
export function encodeFloat32Array(values: Float32Array): EncodedFloat32Array {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return { dtype: 'float32', length: values.length, base64: bytes.toString('base64') };
}

/** Unpacks weights from {@link encodeFloat32Array}; throws `PARLEY_ERR_MODEL_INVALID` if damaged. */
export function decodeFloat32Array(encoded: EncodedFloat32Array): Float32Array {
  const bytes = Buffer.from(encoded.base64, 'base64');
  if (encoded.dtype !== 'float32' || bytes.length !== encoded.length * 4) {
    throw new ParleyError('PARLEY_ERR_MODEL_INVALID', 'The dialogue model holds a damaged weight array. Train the model again.');
  }
  const values = new Float32Array(encoded.length);
  for (let index = 0; index < values.length; index++) values[index] = bytes.readFloatLE(index * 4);
  return values;
}
