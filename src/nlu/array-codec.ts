/** Typed arrays in JSON model data: `<dtype>:<base64 of the little-endian bytes>`. */
import { ParleyError } from '../errors.js';

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array;

const DTYPES = {
  f32: Float32Array,
  f64: Float64Array,
  i32: Int32Array,
  u8: Uint8Array,
  i8: Int8Array,
} as const;

type Dtype = keyof typeof DTYPES;

function dtypeOf(array: Typed): Dtype {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Int8Array) return 'i8';
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
export const decodeInt8 = (encoded: string): Int8Array => decode(encoded, 'i8');

/** A matrix stored as 8-bit integers with one scale per row: a quarter of the size of Float32. */
export interface QuantizedRows {
  /** Encoded Float32Array, one scale per row. */
  scales: string;
  /** Encoded Int8Array, `round(value / scale of its row)`. */
  values: string;
}

/**
 * Quantizes the rows (of `rowLength` values each) of a weight matrix to 8 bits, each row scaled so
 * that its largest magnitude maps to 127: every weight is kept to within 1/254 of its row's largest.
 */
export function encodeQuantizedRows(matrix: Float32Array, rowLength: number): QuantizedRows {
  const rows = rowLength > 0 ? matrix.length / rowLength : 0;
  const scales = new Float32Array(rows);
  const values = new Int8Array(matrix.length);
  for (let row = 0; row < rows; row++) {
    const start = row * rowLength;
    let largest = 0;
    for (let i = start; i < start + rowLength; i++) largest = Math.max(largest, Math.abs(matrix[i]));
    const scale = largest / 127;
    scales[row] = scale;
    if (scale === 0) continue;
    for (let i = start; i < start + rowLength; i++) values[i] = Math.round(matrix[i] / scale);
  }
  return { scales: encodeArray(scales), values: encodeArray(values) };
}

/** The Float32 matrix (rows of `rowLength`) back from {@link encodeQuantizedRows}. */
export function decodeQuantizedRows(encoded: QuantizedRows, rowLength: number): Float32Array {
  const scales = decodeFloat32(encoded.scales);
  const values = decodeInt8(encoded.values);
  if (values.length !== scales.length * rowLength) {
    throw new ParleyError('PARLEY_ERR_MODEL_INVALID', 'The NLU model is damaged: a quantized weight matrix does not fit its row scales. Train the model again.');
  }
  const matrix = new Float32Array(values.length);
  for (let row = 0; row < scales.length; row++) {
    const scale = scales[row];
    for (let i = row * rowLength; i < (row + 1) * rowLength; i++) matrix[i] = values[i] * scale;
  }
  return matrix;
}
