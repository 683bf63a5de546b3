import { assertMatrix, type Matrix } from "../util/matrix";

/**
 * Two-component PCA for plotting: centre the columns, form the d×d covariance (divided by n − 1,
 * like scikit-learn), diagonalise it with cyclic Jacobi rotations (exact to machine precision
 * for the small d of segmentation features) and keep the two largest eigenvectors.
 *
 * Sign convention: each component is flipped so that its entry of largest absolute value is
 * positive (first such entry on ties). scikit-learn 1.2 fixes signs from the projected data
 * (`svd_flip` on U) instead, so compare components up to sign. For d = 1 the second component
 * is 0 with explained variance 0.
 */
export interface Pca2d {
  /** 2 × d, unit rows, by decreasing explained variance. */
  components: number[][];
  /** Share of the total variance of each component (0 when all columns are constant). */
  explainedVarianceRatio: number[];
  /** Column means used for centring. */
  mean: number[];
  /** Projects rows with the fitted mean and components; row-major rows × 2. */
  project(x: Matrix): Float64Array;
}

export function pca2d(x: Matrix): Pca2d {
  assertMatrix(x, "pca2d");
  const { rows: n, cols: d, data } = x;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] = (mean[t] as number) + (data[i * d + t] as number);
  for (let t = 0; t < d; t++) mean[t] = (mean[t] as number) / n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) row[t] = (data[i * d + t] as number) - (mean[t] as number);
    for (let a = 0; a < d; a++) {
      const ra = row[a] as number;
      for (let b = a; b < d; b++) cov[a * d + b] = (cov[a * d + b] as number) + ra * (row[b] as number);
    }
  }
  const denom = n > 1 ? n - 1 : 1;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = (cov[a * d + b] as number) / denom;
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  const { values, vectors } = jacobiEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((p, q) => (values[q] as number) - (values[p] as number) || p - q);
  let total = 0;
  for (let t = 0; t < d; t++) total += Math.max(0, values[t] as number);
  const components: number[][] = [];
  const ratio: number[] = [];
  for (let c = 0; c < 2; c++) {
    const e = order[c];
    if (e === undefined) {
      components.push(new Array<number>(d).fill(0));
      ratio.push(0);
      continue;
    }
    const v: number[] = [];
    for (let t = 0; t < d; t++) v.push(vectors[t * d + e] as number);
    let big = 0;
    for (let t = 1; t < d; t++) if (Math.abs(v[t] as number) > Math.abs(v[big] as number)) big = t;
    if ((v[big] as number) < 0) for (let t = 0; t < d; t++) v[t] = -(v[t] as number);
    components.push(v);
    ratio.push(total > 0 ? Math.max(0, values[e] as number) / total : 0);
  }
  const meanArr = Array.from(mean);
  const comp = components.map((c) => c.slice());
  return {
    components,
    explainedVarianceRatio: ratio,
    mean: meanArr,
    project(y: Matrix): Float64Array {
      assertMatrix(y, "pca2d.project", { minRows: 0 });
      if (y.cols !== d) throw new RangeError(`pca2d.project: x has ${y.cols} columns, PCA was fitted on ${d}`);
      const out = new Float64Array(y.rows * 2);
      const c0 = comp[0] as number[];
      const c1 = comp[1] as number[];
      for (let i = 0; i < y.rows; i++) {
        let p0 = 0;
        let p1 = 0;
        for (let t = 0; t < d; t++) {
          const v = (y.data[i * d + t] as number) - (meanArr[t] as number);
          p0 += v * (c0[t] as number);
          p1 += v * (c1[t] as number);
        }
        out[i * 2] = p0;
        out[i * 2 + 1] = p1;
      }
      return out;
    },
  };
}

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric d×d matrix (row-major, not modified).
 * Returns eigenvalues and eigenvectors as columns of `vectors` (row-major d×d).
 */
export function jacobiEigen(sym: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = sym.slice();
  const v = new Float64Array(d * d);
  for (let t = 0; t < d; t++) v[t * d + t] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < d; p++) {
      diag += (a[p * d + p] as number) ** 2;
      for (let q = p + 1; q < d; q++) off += (a[p * d + q] as number) ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q] as number;
        if (apq === 0) continue;
        const app = a[p * d + p] as number;
        const aqq = a[q * d + q] as number;
        // Stable rotation angle (Numerical Recipes §11.1).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < d; r++) {
          const arp = a[r * d + p] as number;
          const arq = a[r * d + q] as number;
          a[r * d + p] = c * arp - s * arq;
          a[r * d + q] = s * arp + c * arq;
        }
        for (let r = 0; r < d; r++) {
          const apr = a[p * d + r] as number;
          const aqr = a[q * d + r] as number;
          a[p * d + r] = c * apr - s * aqr;
          a[q * d + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < d; r++) {
          const vrp = v[r * d + p] as number;
          const vrq = v[r * d + q] as number;
          v[r * d + p] = c * vrp - s * vrq;
          v[r * d + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let t = 0; t < d; t++) values[t] = a[t * d + t] as number;
  return { values, vectors: v };
}
