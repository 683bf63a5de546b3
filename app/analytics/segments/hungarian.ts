/**
 * Minimum-cost assignment (Hungarian algorithm, Kuhn–Munkres with potentials, O(n³)) for any
 * rectangular cost matrix: the smaller side is padded with zero-cost dummies internally.
 * Returns for each row the assigned column, or −1 for rows left over when rows > columns.
 */
export function hungarian(cost: readonly (readonly number[])[]): Int32Array {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0]!.length;
  for (const r of cost) {
    if (r.length !== cols) throw new RangeError("hungarian: ragged cost matrix");
    for (const v of r) if (!Number.isFinite(v)) throw new RangeError("hungarian: costs must be finite");
  }
  const n = Math.max(rows, cols);
  const a = (i: number, j: number): number => (i < rows && j < cols ? cost[i]![j]! : 0);
  // 1-based arrays as in the classic formulation
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j] = row matched to column j
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = a(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    const i = p[j]! - 1;
    if (i >= 0 && i < rows && j - 1 < cols) result[i] = j - 1;
  }
  return result;
}
