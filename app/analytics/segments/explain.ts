import type { RfmFeatureTable } from "../rfm/features";
import { RFM_GROUPS, fmScore } from "../rfm/groups";
import { formatMoneyReadable, MILLI_PER_UNIT } from "../money";
import { scaleRow } from "./scaling";
import { describeCustomerValues } from "./describe";
import type { SegmentationResult, SegmentAssignment } from "./result";
import { centreDims, type SegmentModel } from "./model";

function dist(a: readonly number[], b: readonly number[], d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (a[j]! - b[j]!) ** 2;
  return Math.sqrt(s);
}

/**
 * A short "why in this segment" for customer `i` (index in `features`), built from the model,
 * the assignment and the customer's own values. Pure; cheap enough to call per output row.
 */
export function explainCustomer(
  result: SegmentAssignment & { readonly model: SegmentModel; readonly profiles?: SegmentationResult["profiles"] },
  features: RfmFeatureTable,
  i: number,
  currencySymbol = "",
): string {
  if (!(Number.isInteger(i) && i >= 0 && i < features.count)) throw new RangeError(`explainCustomer: index ${i} out of range`);
  const model = result.model;
  const seg = model.segments[result.segmentIndex[i]!]!;
  const freq = features.frequency[i]!;
  const mon = features.monetaryMilli[i]!;
  if (freq === 0) {
    return `No purchase before ${features.asOf} (net ${formatMoneyReadable(mon, currencySymbol)} from returns only): ${seg.name}.`;
  }
  const rec = features.recencyDays[i]!;
  const values = describeCustomerValues(rec, freq, mon, currencySymbol);
  const r = result.r[i]!;
  const f = result.f[i]!;
  const m = result.m[i]!;
  const scores = `R${r} F${f} M${m}`;
  if (model.algorithm === "rfm") {
    return `${scores}, FM ${fmScore(f, m)} → ${seg.name} (${values}).`;
  }
  const group = RFM_GROUPS[result.rfmGroups[i]!].name;
  if (seg.kind === "whales" || seg.kind === "outliers") {
    const why = seg.kind === "whales" ? "spend in the top 5 % and no dense group nearby" : "no dense group within eps";
    return `${seg.name}: ${why} (${values}; ${scores}, RFM group ${group}).`;
  }
  if (model.algorithm === "dbscan") {
    return `In a dense group of similar customers → ${seg.name} (${values}; ${scores}).`;
  }
  // centroid algorithms: distance to own centre vs the next closest one
  const d = centreDims(model.algorithm);
  const x = scaleRow(model.scaler, [rec, freq, mon / MILLI_PER_UNIT]);
  const own = dist(x, seg.centroidScaled, d);
  let other: { name: string; d: number } | null = null;
  for (const s of model.segments) {
    if (s === seg || s.kind !== "cluster" || s.centroidScaled.length < d || s.tier !== seg.tier) continue;
    const dd = dist(x, s.centroidScaled, d);
    if (other === null || dd < other.d) other = { name: s.name, d: dd };
  }
  const tier = seg.tier === null ? "" : `${seg.tier}-value tier by spend; `;
  const closer = other === null ? "" : `, ${other.name} ${other.d.toFixed(2)}`;
  const kept = result.kept[i] === 1 ? " Kept from the previous run: the new centre is not closer by the hysteresis margin." : "";
  const out = result.outlier[i] === 1 ? " Unusually far from its centre (outlier)." : "";
  return `${tier}${values}; closest centre: ${seg.name} ${own.toFixed(2)}${closer} (${scores}).${kept}${out}`;
}
