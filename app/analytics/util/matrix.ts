/**
 * Dense row-major matrix over a Float64Array: the exchange format of the clustering code.
 * Row i, column j lives at `data[i * cols + j]`. Typed arrays keep 1M×3 features in 24 MB
 * and let the hot loops run without per-point objects.
 */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Copies `rows` (all the same length) into a new Matrix. Zero rows give a 0×0 matrix. */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  if (!Array.isArray(rows)) throw new TypeError("matrixFromRows: rows must be an array of number arrays");
  const n = rows.length;
  if (n === 0) return { data: new Float64Array(0), rows: 0, cols: 0 };
  const first = rows[0];
  if (!Array.isArray(first)) throw new TypeError("matrixFromRows: row 0 is not an array");
  const cols = first.length;
  const data = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw new TypeError(`matrixFromRows: row ${i} is not an array`);
    if (row.length !== cols) {
      throw new RangeError(`matrixFromRows: row ${i} has ${row.length} values, row 0 has ${cols}`);
    }
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j] as number;
  }
  return { data, rows: n, cols };
}

/** Wraps (does not copy) a row-major Float64Array after checking its length. */
export function matrixFromData(data: Float64Array, rows: number, cols: number): Matrix {
  if (!(data instanceof Float64Array)) throw new TypeError("matrixFromData: data must be a Float64Array");
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`matrixFromData: rows and cols must be non-negative integers (got ${rows}, ${cols})`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`matrixFromData: data has ${data.length} values, expected ${rows}×${cols}`);
  }
  return { data, rows, cols };
}

/** Row i as a plain array (for models, fixtures and display; not for hot loops). */
export function matrixRow(x: Matrix, i: number): number[] {
  return Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols));
}

/** Rows of `x` picked by `indices`, copied into a new Matrix. */
export function selectRows(x: Matrix, indices: ArrayLike<number>): Matrix {
  const d = x.cols;
  const out = new Float64Array(indices.length * d);
  for (let t = 0; t < indices.length; t++) {
    const i = indices[t] as number;
    if (!(i >= 0 && i < x.rows)) throw new RangeError(`selectRows: index ${i} out of range 0..${x.rows - 1}`);
    out.set(x.data.subarray(i * d, i * d + d), t * d);
  }
  return { data: out, rows: indices.length, cols: d };
}

/**
 * Throws a descriptive error unless `x` is a consistent Matrix of finite numbers.
 * `who` names the calling function in the message. O(rows·cols), once per entry call.
 */
export function assertMatrix(x: Matrix, who: string, opts: { minRows?: number; minCols?: number } = {}): void {
  if (x === null || typeof x !== "object" || !(x.data instanceof Float64Array)) {
    throw new TypeError(`${who}: x must be a Matrix { data: Float64Array, rows, cols }`);
  }
  const { rows, cols, data } = x;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`${who}: x.rows and x.cols must be non-negative integers`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`${who}: x.data has ${data.length} values, expected rows×cols = ${rows * cols}`);
  }
  const minRows = opts.minRows ?? 1;
  const minCols = opts.minCols ?? 1;
  if (rows < minRows) throw new RangeError(`${who}: need at least ${minRows} rows, got ${rows}`);
  if (cols < minCols) throw new RangeError(`${who}: need at least ${minCols} columns, got ${cols}`);
  for (let t = 0; t < data.length; t++) {
    const v = data[t] as number;
    // v - v is NaN for NaN and ±Infinity: one comparison per value.
    if (v - v !== 0) {
      throw new RangeError(`${who}: x has a non-finite value (${v}) at row ${Math.floor(t / cols)}, column ${t % cols}`);
    }
  }
}

/** Rows `rows` (default all) and columns `cols` of `x`, copied into a new Matrix. */
export function subMatrix(x: Matrix, cols: readonly number[], rows?: ArrayLike<number>): Matrix {
  const n = rows === undefined ? x.rows : rows.length;
  const out = new Float64Array(n * cols.length);
  for (let t = 0; t < n; t++) {
    const i = rows === undefined ? t : rows[t]!;
    for (let j = 0; j < cols.length; j++) out[t * cols.length + j] = x.data[i * x.cols + cols[j]!]!;
  }
  return { data: out, rows: n, cols: cols.length };
}

/** Squared Euclidean distance between `a[aOff..aOff+d)` and `b[bOff..bOff+d)`. */
export function squaredDistance(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[aOff + j]! - b[bOff + j]!;
    s += t * t;
  }
  return s;
}
