// The inverse of a symmetric positive definite matrix (EASE's P = (XᵀX + λI)⁻¹), in place.
//
// Cholesky A = L·Lᵀ, then U = L⁻ᵀ (row j of U = column j of L⁻¹, by forward substitution), then
// P = L⁻ᵀ·L⁻¹ = U·Uᵀ. Every inner loop is a dot product over contiguous row segments, four at a time
// against one shared row (each load of the shared row serves four multiply-adds): JavaScript has no
// BLAS, and strided column access is several times slower (memory-bound). About n³/2 multiply-adds
// in all; docs/decisions/0022 has the timings.

/** Σ_{k∈[from, to)} a[ai+k]·b[bi+k]. */
function dot(a: Float64Array, ai: number, b: Float64Array, bi: number, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let k = from;
  for (const end = to - 1; k < end; k += 2) {
    s0 += a[ai + k]! * b[bi + k]!;
    s1 += a[ai + k + 1]! * b[bi + k + 1]!;
  }
  if (k < to) s0 += a[ai + k]! * b[bi + k]!;
  return s0 + s1;
}

/** out[t] = Σ_{k∈[from, to)} s[si+k]·m[mt+k] for the four rows m0…m3 of `m`. */
function dot4(s: Float64Array, si: number, m: Float64Array, m0: number, m1: number, m2: number, m3: number, from: number, to: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = from; k < to; k++) {
    const x = s[si + k]!;
    s0 += x * m[m0 + k]!;
    s1 += x * m[m1 + k]!;
    s2 += x * m[m2 + k]!;
    s3 += x * m[m3 + k]!;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

/**
 * Replaces the n×n SPD matrix `a` (row-major, both triangles filled) by its inverse (both triangles).
 * `onRow(done, total)` reports progress over the three passes (3n steps). Throws if `a` is not
 * positive definite.
 */
export function invertSpdInPlace(a: Float64Array, n: number, onRow?: (done: number, total: number) => void): void {
  const total = 3 * n;
  const out = new Float64Array(4);
  // 1. Cholesky, lower triangle: L[i][j] = (A[i][j] − L[i][0…j)·L[j][0…j)) / L[j][j], rows i four at a time.
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    const d = a[rj + j]! - dot(a, rj, a, rj, 0, j);
    if (!(d > 0)) throw new RangeError(`The item–item matrix is not positive definite (pivot ${j}): λ must be positive.`);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    let i = j + 1;
    for (; i + 3 < n; i += 4) {
      const ri = i * n;
      dot4(a, rj, a, ri, ri + n, ri + 2 * n, ri + 3 * n, 0, j, out);
      a[ri + j] = (a[ri + j]! - out[0]!) * inv;
      a[ri + n + j] = (a[ri + n + j]! - out[1]!) * inv;
      a[ri + 2 * n + j] = (a[ri + 2 * n + j]! - out[2]!) * inv;
      a[ri + 3 * n + j] = (a[ri + 3 * n + j]! - out[3]!) * inv;
    }
    for (; i < n; i++) {
      const ri = i * n;
      a[ri + j] = (a[ri + j]! - dot(a, ri, a, rj, 0, j)) * inv;
    }
    onRow?.(j + 1, total);
  }
  // 2. U = L⁻ᵀ (upper triangle of `u`): column j of L⁻¹ solves L·x = e_j (x[i] = 0 for i < j), and x
  //    lives in row j of `u`. Rows j0…j0+3 advance together: U's zeros below the diagonal let the four
  //    dot products share one range, and each L row is read once for four of them.
  const u = new Float64Array(n * n);
  const solveTo = (j: number, to: number) => {
    const rj = j * n;
    if (u[rj + j] === 0) u[rj + j] = 1 / a[rj + j]!;
    for (let i = j + 1; i < to; i++) u[rj + i] = -dot(a, i * n, u, rj, j, i) / a[i * n + i]!;
  };
  let j0 = 0;
  for (; j0 + 3 < n; j0 += 4) {
    for (let r = j0; r < j0 + 4; r++) solveTo(r, j0 + 4);
    const r0 = j0 * n;
    for (let i = j0 + 4; i < n; i++) {
      const ri = i * n;
      dot4(a, ri, u, r0, r0 + n, r0 + 2 * n, r0 + 3 * n, j0, i, out);
      const inv = -1 / a[ri + i]!;
      u[r0 + i] = out[0]! * inv;
      u[r0 + n + i] = out[1]! * inv;
      u[r0 + 2 * n + i] = out[2]! * inv;
      u[r0 + 3 * n + i] = out[3]! * inv;
    }
    onRow?.(n + j0 + 4, total);
  }
  for (; j0 < n; j0++) {
    solveTo(j0, n);
    onRow?.(n + j0 + 1, total);
  }
  // 3. P = U·Uᵀ: P[i][j] = Σ_{k ≥ max(i, j)} U[i][k]·U[j][k] (U's zeros make [j, n) right for all four
  //    rows j…j+3); written to both triangles of `a`.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let j = i;
    for (; j + 3 < n; j += 4) {
      const rj = j * n;
      dot4(u, ri, u, rj, rj + n, rj + 2 * n, rj + 3 * n, j, n, out);
      for (let t = 0; t < 4; t++) {
        a[ri + j + t] = out[t]!;
        a[(j + t) * n + i] = out[t]!;
      }
    }
    for (; j < n; j++) {
      const v = dot(u, ri, u, j * n, j, n);
      a[ri + j] = v;
      a[j * n + i] = v;
    }
    onRow?.(2 * n + i + 1, total);
  }
}
