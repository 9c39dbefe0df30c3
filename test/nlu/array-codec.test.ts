import { describe, expect, it } from 'vitest';
import { decodeFloat32, decodeInt8, decodeQuantizedRows, encodeArray, encodeQuantizedRows } from '../../src/nlu/array-codec.js';

describe('encodeArray', () => {
  it('round-trips Float32 and Int8 arrays and refuses the wrong type', () => {
    const floats = Float32Array.of(1.5, -2.25, 0);
    expect(decodeFloat32(encodeArray(floats))).toEqual(floats);
    const bytes = Int8Array.of(-128, -1, 0, 127);
    expect(decodeInt8(encodeArray(bytes))).toEqual(bytes);
    expect(() => decodeInt8(encodeArray(floats))).toThrow(expect.objectContaining({ code: 'PARLEY_ERR_MODEL_INVALID' }));
  });
});

describe('encodeQuantizedRows', () => {
  it('keeps every weight within 1/254 of the largest magnitude in its row', () => {
    const matrix = Float32Array.of(0.5, -1, 0.25, 0.001, 200, -3, 7, 0, 0, 0, 0, 0);
    const decoded = decodeQuantizedRows(JSON.parse(JSON.stringify(encodeQuantizedRows(matrix, 4))), 4);
    expect(decoded.length).toBe(matrix.length);
    for (let row = 0; row < 3; row++) {
      const slice = matrix.subarray(row * 4, row * 4 + 4);
      const largest = Math.max(...Array.from(slice, Math.abs));
      slice.forEach((value, i) => expect(Math.abs(decoded[row * 4 + i] - value)).toBeLessThanOrEqual(largest / 254 + 1e-6));
    }
    expect(Array.from(decoded.subarray(8))).toEqual([0, 0, 0, 0]);
    expect(decoded[1]).toBeCloseTo(-1, 6);
  });

  it('stores a quarter of the bytes of the Float32 matrix plus one scale per row', () => {
    const matrix = new Float32Array(64 * 100).map((_unused, i) => Math.sin(i));
    const encoded = encodeQuantizedRows(matrix, 64);
    expect(decodeInt8(encoded.values).byteLength).toBe(matrix.byteLength / 4);
    expect(decodeFloat32(encoded.scales).length).toBe(100);
  });

  it('refuses values that do not fit the row scales', () => {
    const encoded = encodeQuantizedRows(new Float32Array(8).fill(1), 4);
    expect(() => decodeQuantizedRows(encoded, 3)).toThrow(expect.objectContaining({ code: 'PARLEY_ERR_MODEL_INVALID' }));
  });
});
