/**
 * Kneedle (Satopää et al., 2011), offline form: normalise x and y to [0, 1], turn the curve into
 * a "difference curve" whose maximum is the knee, and return the index of that maximum.
 *
 *   concave increasing   (rises fast, then flattens)   diff = ŷ − x̂
 *   concave decreasing   (flat, then falls fast)       diff = ŷ + x̂ − 1
 *   convex  increasing   (flat, then rises fast; the sorted k-distance curve)   diff = x̂ − ŷ
 *   convex  decreasing   (falls fast, then flattens; the inertia "elbow")       diff = 1 − x̂ − ŷ
 *
 * For a monotone curve this is the point farthest from the chord joining its end points.
 * Differences from the `kneed` Python package: no smoothing and no sensitivity threshold S; the
 * global maximum of the difference curve is returned (kneed returns the first local maximum that
 * passes its threshold, which is the same point on the curves we feed it). Ties go to the
 * smallest index.
 *
 * Returns -1 when there is no knee: fewer than 3 points, x or y constant, or no point lies on the
 * bulging side of the chord (e.g. a straight line, or a curve bending the other way).
 */
export interface KneeOptions {
  curve: "concave" | "convex";
  direction: "increasing" | "decreasing";
}

export function findKnee(xs: ArrayLike<number>, ys: ArrayLike<number>, o: KneeOptions): number {
  if (xs === null || ys === null || typeof xs !== "object" || typeof ys !== "object") {
    throw new TypeError("findKnee: xs and ys must be arrays of numbers");
  }
  const n = xs.length;
  if (ys.length !== n) throw new RangeError(`findKnee: xs has ${n} values, ys has ${ys.length}`);
  if (o === null || typeof o !== "object") throw new TypeError("findKnee: options { curve, direction } required");
  if (o.curve !== "concave" && o.curve !== "convex") throw new RangeError(`findKnee: curve must be "concave" or "convex"`);
  if (o.direction !== "increasing" && o.direction !== "decreasing") {
    throw new RangeError(`findKnee: direction must be "increasing" or "decreasing"`);
  }
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`findKnee: non-finite value at index ${i}`);
    if (i > 0 && x <= (xs[i - 1] as number)) throw new RangeError("findKnee: xs must be strictly increasing");
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  if (n < 3 || xMax === xMin || yMax === yMin) return -1;
  const xr = xMax - xMin;
  const yr = yMax - yMin;
  const concave = o.curve === "concave";
  const increasing = o.direction === "increasing";
  let best = -1;
  let bestDiff = 0; // strictly positive difference required: a knee bulges away from the chord
  for (let i = 0; i < n; i++) {
    const xn = ((xs[i] as number) - xMin) / xr;
    const yn = ((ys[i] as number) - yMin) / yr;
    let diff: number;
    if (concave) diff = increasing ? yn - xn : yn + xn - 1;
    else diff = increasing ? xn - yn : 1 - xn - yn;
    if (diff > bestDiff + 1e-12) {
      bestDiff = diff;
      best = i;
    }
  }
  return best;
}
