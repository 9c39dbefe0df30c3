/** Typed arrays in JSON model data: `<dtype>:<base64 of the little-endian bytes>`. */
import { ParleyError } from '../errors.js';

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;

const DTYPES = {
  f32: Float32Array,
  f64: Float64Array,
  i32: Int32Array,
  u8: Uint8Array,
} as const;

type Dtype = keyof typeof DTYPES;

function dtypeOf(array: Typed): Dtype {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Int32Array) return 'i32';
  return 'u8';
}

export function encodeArray(array: Typed): string {
  const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return `${dtypeOf(array)}:${bytes.toString('base64')}`;
}

function decode<D extends Dtype>(encoded: string, dtype: D): InstanceType<(typeof DTYPES)[D]> {
  if (typeof encoded !== 'string' || !encoded.startsWith(`${dtype}:`)) {
    throw new ParleyError(
      'PARLEY_ERR_MODEL_INVALID',
      `The NLU model is damaged: expected an array of type ${dtype}. Train the model again.`,
    );
  }
  const bytes = Buffer.from(encoded.slice(dtype.length + 1), 'base64');
  const Constructor = DTYPES[dtype];
  // Copy into a fresh, aligned buffer: Buffer.from may return a view into a shared pool.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Constructor(copy.buffer) as InstanceType<(typeof DTYPES)[D]>;
}

export const decodeFloat32 = (encoded: string): Float32Array => decode(encoded, 'f32');
export const decodeInt32 = (encoded: string): Int32Array => decode(encoded, 'i32');
export const decodeUint8 = (encoded: string): Uint8Array => decode(encoded, 'u8');
