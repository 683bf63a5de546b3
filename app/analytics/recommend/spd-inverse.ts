// The inverse of a symmetric positive definite matrix (EASE's P = (XᵀX + λI)⁻¹), in place.
//
// Cholesky A = L·Lᵀ, then U = L⁻ᵀ (row j of U = column j of L⁻¹, by forward substitution), then
// P = L⁻ᵀ·L⁻¹ = U·Uᵀ. Every inner loop is a dot product over two contiguous row segments, unrolled
// by four: JavaScript has no BLAS, and strided column access is several times slower (memory-bound).
// About n³/2 multiply-adds in all; docs/decisions/0022 has the timings.

/** Σ_{k∈[from, to)} a[ai+k]·b[bi+k]. */
function dot(a: Float64Array, ai: number, b: Float64Array, bi: number, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = from;
  for (const end = to - 3; k < end; k += 4) {
    s0 += a[ai + k]! * b[bi + k]!;
    s1 += a[ai + k + 1]! * b[bi + k + 1]!;
    s2 += a[ai + k + 2]! * b[bi + k + 2]!;
    s3 += a[ai + k + 3]! * b[bi + k + 3]!;
  }
  for (; k < to; k++) s0 += a[ai + k]! * b[bi + k]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Replaces the n×n SPD matrix `a` (row-major, both triangles filled) by its inverse (both triangles).
 * `onRow(done, total)` reports progress over the three passes (3n steps). Throws if `a` is not
 * positive definite.
 */
export function invertSpdInPlace(a: Float64Array, n: number, onRow?: (done: number, total: number) => void): void {
  const total = 3 * n;
  // 1. Cholesky, lower triangle: L[i][j] = (A[i][j] − L[i][0…j)·L[j][0…j)) / L[j][j].
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    const d = a[rj + j]! - dot(a, rj, a, rj, 0, j);
    if (!(d > 0)) throw new RangeError(`The item–item matrix is not positive definite (pivot ${j}): λ must be positive.`);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      a[ri + j] = (a[ri + j]! - dot(a, ri, a, rj, 0, j)) * inv;
    }
    onRow?.(j + 1, total);
  }
  // 2. U = L⁻ᵀ (upper triangle of `u`): column j of L⁻¹ solves L·x = e_j, x[i] = 0 for i < j.
  //    x lives in row j of `u` (u[j][i] = x[i]), so each step is a contiguous dot product.
  const u = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    u[rj + j] = 1 / a[rj + j]!;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      u[rj + i] = -dot(a, ri, u, rj, j, i) / a[ri + i]!;
    }
    onRow?.(n + j + 1, total);
  }
  // 3. P = U·Uᵀ: P[i][j] = Σ_{k ≥ max(i, j)} U[i][k]·U[j][k]; written to both triangles of `a`.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = i; j < n; j++) {
      const v = dot(u, ri, u, j * n, j, n);
      a[ri + j] = v;
      a[j * n + i] = v;
    }
    onRow?.(2 * n + i + 1, total);
  }
}
