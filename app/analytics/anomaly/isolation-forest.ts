// Isolation forest (Liu, Ting & Zhou 2008), with the sub-sampling the algorithm prescribes, as
// scikit-learn's IsolationForest does it: each tree is grown on ψ rows drawn without replacement,
// to depth ceil(log2 ψ); a node splits on a feature drawn uniformly among those not constant in the
// node, at a value drawn uniformly in (min, max) of the node (x ≤ value goes left); a row's path
// length is its leaf's depth + c(leaf size); score = 2^(−mean path / c(ψ)). Seeded; no Math.random.
// The trees live in flat typed arrays (pre-order, all trees end to end: a split's left child is the
// node right after it) so 1M rows × 100 trees score in a tight loop.
import { createRng, type Rng } from "../util/random";

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

const EULER_GAMMA = 0.5772156649015329;
const JSON_KIND = "segmint.isolation-forest";
const JSON_VERSION = 1;
/** `feature` of a leaf. */
const LEAF = -1;

/**
 * c(n): the average path length of an unsuccessful search in a binary search tree of n points,
 * 2·H(n − 1) − 2(n − 1)/n with the harmonic number estimated as ln(i) + γ (Liu et al. 2008, and
 * scikit-learn, so path lengths agree with it); c(1) = 0, c(2) = 1.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/**
 * The trees, pre-order, end to end: node i of the forest. A split's left child is node i + 1 (it is
 * grown right after its parent), its right child `right[i]`; a leaf has feature LEAF and right −1.
 */
interface ForestArrays {
  readonly columns: number;
  readonly sampleSize: number;
  /** First node of each tree. */
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly right: Int32Array;
  /** Training rows that reached the node. */
  readonly size: Int32Array;
}

/** Fits a forest on a row-major matrix `rows × columns`. */
export function fitIsolationForest(values: Float64Array, rows: number, columns: number, options: IsolationForestOptions): IsolationForest {
  const trees = options.trees ?? 100;
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`An isolation forest needs at least one row to learn from (got ${rows}).`);
  if (!Number.isInteger(columns) || columns < 1) throw new RangeError(`An isolation forest needs at least one column (got ${columns}).`);
  if (values.length < rows * columns) throw new RangeError(`The matrix holds ${values.length} values, fewer than ${rows} rows × ${columns} columns.`);
  if (!Number.isInteger(trees) || trees < 1) throw new RangeError(`An isolation forest needs at least one tree (got ${trees}).`);
  const requested = options.sampleSize ?? 256;
  if (!Number.isInteger(requested) || requested < 1) throw new RangeError(`The sample per tree must be a whole number of rows ≥ 1 (got ${requested}).`);
  for (let i = 0; i < rows * columns; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`Row ${Math.floor(i / columns)}, column ${i % columns} is ${values[i]}: an isolation forest needs finite numbers.`);
    }
  }
  const psi = Math.min(requested, rows);
  const maxDepth = Math.ceil(Math.log2(Math.max(psi, 2)));
  const rng = createRng(options.seed);
  const maxNodes = 2 * psi - 1;
  const builder = new TreeBuilder(columns, psi, maxDepth, trees * maxNodes, rng);
  const draw = new SampleDrawer(rows);
  const roots = new Int32Array(trees);
  for (let t = 0; t < trees; t++) {
    roots[t] = builder.nodeCount;
    builder.grow(values, draw.sample(psi, rng));
  }
  return new Forest(builder.finish(roots, psi));
}

/**
 * ψ distinct row indices per call: a partial Fisher–Yates over one identity permutation that is
 * restored after each draw, so a tree costs O(ψ) instead of O(rows).
 */
class SampleDrawer {
  private readonly pool: Int32Array;
  constructor(rows: number) {
    this.pool = new Int32Array(rows);
    for (let i = 0; i < rows; i++) this.pool[i] = i;
  }

  sample(size: number, rng: Rng): Int32Array {
    const pool = this.pool;
    const n = pool.length;
    const swapped = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(rng() * (n - i));
      swapped[i] = j;
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
    }
    const out = pool.slice(0, size);
    for (let i = size - 1; i >= 0; i--) {
      const j = swapped[i]!;
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
    }
    return out;
  }
}

class TreeBuilder {
  nodeCount = 0;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly right: Int32Array;
  private readonly size: Int32Array;
  /** The tree's sample, copied row-major so the splits scan contiguous memory. */
  private readonly local: Float64Array;
  private readonly order: Int32Array;
  private readonly candidates: Int32Array;

  constructor(
    private readonly columns: number,
    psi: number,
    private readonly maxDepth: number,
    capacity: number,
    private readonly rng: Rng,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.right = new Int32Array(capacity);
    this.size = new Int32Array(capacity);
    this.local = new Float64Array(psi * columns);
    this.order = new Int32Array(psi);
    this.candidates = new Int32Array(columns);
  }

  grow(values: Float64Array, sample: Int32Array): void {
    const d = this.columns;
    for (let i = 0; i < sample.length; i++) {
      const from = sample[i]! * d;
      for (let c = 0; c < d; c++) this.local[i * d + c] = values[from + c]!;
      this.order[i] = i;
    }
    this.build(0, sample.length, 0);
  }

  /** Grows the node holding `order[lo, hi)` at `depth`; returns its index. */
  private build(lo: number, hi: number, depth: number): number {
    const node = this.nodeCount++;
    this.size[node] = hi - lo;
    this.feature[node] = LEAF;
    this.right[node] = -1;
    this.threshold[node] = 0;
    if (depth >= this.maxDepth || hi - lo <= 1) return node;
    const split = this.drawSplit(lo, hi);
    if (split === null) return node;
    const { column, value } = split;
    // Partition: rows with x ≤ value first.
    const d = this.columns;
    let i = lo;
    let j = hi - 1;
    while (i <= j) {
      if (this.local[this.order[i]! * d + column]! <= value) i++;
      else {
        const tmp = this.order[i]!;
        this.order[i] = this.order[j]!;
        this.order[j] = tmp;
        j--;
      }
    }
    this.feature[node] = column;
    this.threshold[node] = value;
    this.build(lo, i, depth + 1); // node + 1
    this.right[node] = this.build(i, hi, depth + 1);
    return node;
  }

  /**
   * A feature drawn uniformly among those not constant in the node (drawn one at a time and
   * dropped when constant, as scikit-learn's random splitter does), and a value uniform in
   * (min, max); null when every feature is constant.
   */
  private drawSplit(lo: number, hi: number): { column: number; value: number } | null {
    const d = this.columns;
    const candidates = this.candidates;
    for (let c = 0; c < d; c++) candidates[c] = c;
    let remaining = d;
    while (remaining > 0) {
      const pick = Math.floor(this.rng() * remaining);
      const column = candidates[pick]!;
      let min = Infinity;
      let max = -Infinity;
      for (let k = lo; k < hi; k++) {
        const v = this.local[this.order[k]! * d + column]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min) {
        let value = min + this.rng() * (max - min);
        // Rounding can land on max, which would leave the right side empty.
        if (value >= max) value = min;
        return { column, value };
      }
      candidates[pick] = candidates[remaining - 1]!;
      remaining--;
    }
    return null;
  }

  finish(roots: Int32Array, psi: number): ForestArrays {
    const n = this.nodeCount;
    return {
      columns: this.columns,
      sampleSize: psi,
      roots,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      right: this.right.slice(0, n),
      size: this.size.slice(0, n),
    };
  }
}

/** Rows scored together, tree by tree: the block's rows and one tree stay in cache. */
const SCORE_BLOCK = 128;

class Forest implements IsolationForest {
  readonly columns: number;
  readonly sampleSize: number;
  /** Path length credited at a leaf: its depth + c(its size); 0 for splits. */
  private readonly leafPath: Float64Array;
  private readonly normaliser: number;
  /** pathLength's total, reused (row-by-row scoring calls it once per row). */
  private readonly oneRow = new Float64Array(1);

  constructor(private readonly arrays: ForestArrays) {
    this.columns = arrays.columns;
    this.sampleSize = arrays.sampleSize;
    const { feature, right, size } = arrays;
    const n = feature.length;
    const depth = new Int32Array(n);
    this.leafPath = new Float64Array(n);
    // Pre-order: a parent comes before its children, so one forward pass sets every depth.
    for (let i = 0; i < n; i++) {
      if (feature[i] === LEAF) this.leafPath[i] = depth[i]! + averagePathLength(size[i]!);
      else {
        depth[i + 1] = depth[i]! + 1;
        depth[right[i]!] = depth[i]! + 1;
      }
    }
    this.normaliser = averagePathLength(arrays.sampleSize);
  }

  pathLength(values: ArrayLike<number>, offset = 0): number {
    const total = this.oneRow;
    total[0] = 0;
    this.addPathLengths(values, offset, 1, total);
    return total[0]! / this.arrays.roots.length;
  }

  scoreRow(values: ArrayLike<number>, offset = 0): number {
    return this.scoreOf(this.pathLength(values, offset));
  }

  scoreAll(values: Float64Array, rows: number): Float64Array {
    if (values.length < rows * this.columns) throw new RangeError(`The matrix holds ${values.length} values, fewer than ${rows} rows × ${this.columns} columns.`);
    const out = new Float64Array(rows);
    const block = new Float64Array(SCORE_BLOCK);
    const trees = this.arrays.roots.length;
    for (let first = 0; first < rows; first += SCORE_BLOCK) {
      const count = Math.min(SCORE_BLOCK, rows - first);
      block.fill(0);
      this.addPathLengths(values, first * this.columns, count, block);
      for (let k = 0; k < count; k++) out[first + k] = this.scoreOf(block[k]! / trees);
    }
    return out;
  }

  toJSON(): unknown {
    const a = this.arrays;
    return {
      kind: JSON_KIND,
      version: JSON_VERSION,
      columns: a.columns,
      sampleSize: a.sampleSize,
      roots: Array.from(a.roots),
      feature: Array.from(a.feature),
      threshold: Array.from(a.threshold),
      right: Array.from(a.right),
      size: Array.from(a.size),
    };
  }

  /** Adds each of `count` consecutive rows' path lengths, summed over the trees, to `totals[k]`. */
  private addPathLengths(values: ArrayLike<number>, offset: number, count: number, totals: Float64Array): void {
    const { roots, feature, threshold, right } = this.arrays;
    const leafPath = this.leafPath;
    const d = this.columns;
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t]!;
      for (let k = 0, at = offset; k < count; k++, at += d) {
        let node = root;
        let f = feature[node]!;
        while (f !== LEAF) {
          node = values[at + f]! <= threshold[node]! ? node + 1 : right[node]!;
          f = feature[node]!;
        }
        totals[k]! += leafPath[node]!;
      }
    }
  }

  private scoreOf(meanPath: number): number {
    // ψ = 1: every path is 0 and c(1) = 0; no row can be told apart, call it 0.5 (undecided).
    return this.normaliser > 0 ? Math.pow(2, -meanPath / this.normaliser) : 0.5;
  }
}

/** Reads a forest stored by `toJSON`; throws a plain-words error on anything else. */
export function parseIsolationForest(json: unknown): IsolationForest {
  const bad = (what: string): never => {
    throw new Error(`This is not a stored isolation forest: ${what}. Fit the model again.`);
  };
  if (typeof json !== "object" || json === null) return bad("expected an object");
  const o = json as Record<string, unknown>;
  if (o.kind !== JSON_KIND) return bad(`kind is ${JSON.stringify(o.kind)}, expected "${JSON_KIND}"`);
  if (o.version !== JSON_VERSION) return bad(`version ${JSON.stringify(o.version)} is not ${JSON_VERSION}`);
  const columns = o.columns;
  const sampleSize = o.sampleSize;
  if (!isCount(columns) || columns < 1) return bad("columns must be a whole number ≥ 1");
  if (!isCount(sampleSize) || sampleSize < 1) return bad("sampleSize must be a whole number ≥ 1");
  const ints = (name: string): Int32Array => {
    const v = o[name];
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) return bad(`${name} must be an array of whole numbers`);
    return Int32Array.from(v as number[]);
  };
  const roots = ints("roots");
  const feature = ints("feature");
  const right = ints("right");
  const size = ints("size");
  const t = o.threshold;
  if (!Array.isArray(t) || !t.every((x) => typeof x === "number" && Number.isFinite(x))) return bad("threshold must be an array of finite numbers");
  const threshold = Float64Array.from(t as number[]);
  const n = feature.length;
  if (n === 0 || roots.length === 0) return bad("it has no trees");
  if (threshold.length !== n || right.length !== n || size.length !== n) return bad("its node arrays differ in length");
  // Trees are stored end to end in pre-order: each tree's nodes run from its root to the next root.
  for (let k = 0; k < roots.length; k++) {
    const expected = k === 0 ? 0 : roots[k - 1]! + 1;
    if (roots[k]! < expected || roots[k]! >= n) return bad(`tree ${k} starts outside the node arrays`);
  }
  for (let k = 0; k < roots.length; k++) {
    const end = k + 1 < roots.length ? roots[k + 1]! : n;
    for (let i = roots[k]!; i < end; i++) {
      if (size[i]! < 1 || size[i]! > sampleSize) return bad(`node ${i} holds ${size[i]} rows`);
      if (feature[i] === LEAF) {
        if (right[i] !== -1) return bad(`leaf ${i} has a child`);
        continue;
      }
      if (feature[i]! < 0 || feature[i]! >= columns) return bad(`node ${i} splits on column ${feature[i]} of ${columns}`);
      // Both children come after their parent and inside the same tree: no cycles, no sharing across trees.
      if (right[i]! <= i + 1 || right[i]! >= end) return bad(`node ${i} points to node ${right[i]} outside its tree`);
      if (size[i + 1]! + size[right[i]!]! !== size[i]) return bad(`node ${i}'s children do not add up to its ${size[i]} rows`);
    }
  }
  return new Forest({ columns, sampleSize, roots, feature, threshold, right, size });
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}
