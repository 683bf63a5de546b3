// Isolation forest (Liu, Ting & Zhou 2008), with the sub-sampling the algorithm prescribes. Seeded.
// CONTRACT STUB — replaced by its owner; the signatures are the contract.

export interface IsolationForestOptions {
  /** Trees. Default 100. */
  readonly trees?: number;
  /** Rows drawn (without replacement) per tree: ψ. Default 256 (or all rows if fewer). */
  readonly sampleSize?: number;
  /** Seed of every draw (sample, split feature, split value). */
  readonly seed: number;
}

export interface IsolationForest {
  readonly columns: number;
  readonly sampleSize: number;
  /** Anomaly score s(x, ψ) = 2^(−E[h(x)] / c(ψ)) of one row (`values[offset … offset + columns)`). */
  scoreRow(values: ArrayLike<number>, offset?: number): number;
  /** Scores of every row of a row-major matrix. */
  scoreAll(values: Float64Array, rows: number): Float64Array;
  /** Average path length E[h(x)] of one row (tests, explanations). */
  pathLength(values: ArrayLike<number>, offset?: number): number;
  /** JSON-safe form (parseIsolationForest reads it back). */
  toJSON(): unknown;
}

/** c(n): the average path length of an unsuccessful search in a binary search tree of n points. */
export function averagePathLength(n: number): number {
  void n;
  throw new Error("not implemented");
}

/** Fits a forest on a row-major matrix `rows × columns`. */
export function fitIsolationForest(values: Float64Array, rows: number, columns: number, options: IsolationForestOptions): IsolationForest {
  void values;
  void rows;
  void columns;
  void options;
  throw new Error("not implemented");
}

/** Reads a forest stored by `toJSON`; throws a plain-words error on anything else. */
export function parseIsolationForest(json: unknown): IsolationForest {
  void json;
  throw new Error("not implemented");
}
