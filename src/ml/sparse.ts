/** Sparse feature matrices in compressed-row form, the input of every linear model we train. */

/** Rows of (feature index, value) pairs, stored flat: row r spans `rowStart[r]..rowStart[r+1]`. */
export interface SparseMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly rowStart: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** One sparse row: parallel arrays of feature indices and values. */
export interface SparseRow {
  indices: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** Packs rows (each a map or pair of arrays) into one compressed-row matrix. */
export function packRows(rows: readonly SparseRow[], columns: number): SparseMatrix {
  const rowStart = new Int32Array(rows.length + 1);
  let total = 0;
  rows.forEach((row, index) => {
    total += row.indices.length;
    rowStart[index + 1] = total;
  });
  const indices = new Int32Array(total);
  const values = new Float32Array(total);
  rows.forEach((row, index) => {
    const offset = rowStart[index];
    for (let k = 0; k < row.indices.length; k++) {
      indices[offset + k] = row.indices[k];
      values[offset + k] = row.values[k];
    }
  });
  return { rows: rows.length, columns, rowStart, indices, values };
}

/** Builds a sparse row from a feature-index → value map, with indices in ascending order. */
export function rowFromMap(features: Map<number, number>): SparseRow {
  const indices = Int32Array.from([...features.keys()].sort((a, b) => a - b));
  const values = Float32Array.from(indices, (index) => features.get(index) ?? 0);
  return { indices, values };
}

/** Scales a row to unit Euclidean length (no-op for an empty row). */
export function normalizeRow(row: SparseRow): SparseRow {
  let norm = 0;
  for (let k = 0; k < row.values.length; k++) norm += row.values[k] * row.values[k];
  if (norm === 0) return row;
  const scale = 1 / Math.sqrt(norm);
  return { indices: row.indices, values: Float32Array.from(row.values, (value) => value * scale) };
}
