// What puts a customer in a segment, in plain words with the model's own cut-offs (the hybrid's
// spend tiers, the RFM score ranges, the K-means centre, DBSCAN's eps and whale threshold), for
// the segment detail page's definition card. Pure: the stored model in, sentences out.
import { RFM_GROUP_GRID, type QuintileScale, type SegmentModel } from "../analytics/index";

export interface ScoreScaleRow {
  readonly score: number;
  /** e.g. "0–12 days ago", or null when no customer got this score in the fit. */
  readonly recency: string | null;
  readonly frequency: string | null;
  readonly monetary: string | null;
}

export interface SegmentDefinitionText {
  /** The rules, one sentence each, in the order a merchant reads them. */
  readonly rules: readonly string[];
  /** R, F and M scores 1–5 and the raw values each one covered in the fit (the store's quintiles). */
  readonly scoreScale: readonly ScoreScaleRow[];
}

/** Milli → "£1,234.5" in `currency` (an unknown code: a plain number); `whole`: no decimals, `cents`: always two ("£1,234.50"). */
export function moneyFormatter(currency: string, digits: "auto" | "whole" | "cents" = "auto"): (milli: number) => string {
  const fraction = { minimumFractionDigits: digits === "cents" ? 2 : 0, maximumFractionDigits: digits === "whole" ? 0 : 2 };
  let f: Intl.NumberFormat;
  try {
    f = new Intl.NumberFormat("en-US", { style: "currency", currency, ...fraction });
  } catch {
    f = new Intl.NumberFormat("en-US", fraction);
  }
  return (milli) => f.format(milli / 1000);
}

const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

function days(n: number): string {
  const d = Math.round(n);
  return `${count.format(d)} ${d === 1 ? "day" : "days"}`;
}

function orders(n: number): string {
  return `${count.format(n)} ${n === 1 ? "order" : "orders"}`;
}

/** "3–4 orders", "1 order" ("—" in the table when a score holds nobody: null). */
function range(r: readonly [number, number] | null, one: (v: number) => string, unit?: readonly [singular: string, plural: string]): string | null {
  if (r === null) return null;
  const u = unit ? ` ${r[1] === 1 ? unit[0] : unit[1]}` : "";
  return r[0] === r[1] ? `${one(r[0])}${u}` : `${one(r[0])}–${one(r[1])}${u}`;
}

function scoreScale(scale: { recency: QuintileScale; frequency: QuintileScale; monetary: QuintileScale }, money: (milli: number) => string): ScoreScaleRow[] {
  // Monetary scores are fitted on milli; recency on days; frequency on orders.
  return [5, 4, 3, 2, 1].map((score) => ({
    score,
    recency: range(scale.recency.ranges[score - 1] ?? null, (v) => count.format(v), ["day ago", "days ago"]),
    frequency: range(scale.frequency.ranges[score - 1] ?? null, (v) => count.format(v), ["order", "orders"]),
    monetary: range(scale.monetary.ranges[score - 1] ?? null, money),
  }));
}

/** "4–5" from a sorted list of distinct integers when contiguous, else "1, 3". */
function scoreList(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const contiguous = sorted.every((v, i) => i === 0 || v === sorted[i - 1]! + 1);
  return contiguous && sorted.length > 1 ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(", ");
}

/** The RFM grid cells of a group, as "R 5 with FM 4–5" phrases. */
function rfmGroupCells(groupId: string): string[] {
  const out: string[] = [];
  RFM_GROUP_GRID.forEach((row, index) => {
    const fms = row.flatMap((g, c) => (g === groupId ? [c + 1] : []));
    if (fms.length > 0) out.push(`R ${5 - index} with FM ${scoreList(fms)}`);
  });
  return out;
}

/**
 * The definition card's text for one segment of a stored model, or null when the model has no
 * such segment. `currency`: ISO code the money cut-offs are written in.
 */
export function segmentDefinitionText(model: SegmentModel, segmentId: string, currency: string): SegmentDefinitionText | null {
  const segment = model.segments.find((s) => s.id === segmentId);
  if (!segment) return null;
  const money = moneyFormatter(currency);
  const rules: string[] = [];
  const [r, f, m] = segment.centroidOriginal;
  const asOf = `on or before ${model.asOf}`;
  if (segment.kind === "prospects") {
    rules.push(`No purchase ${asOf}: every order was cancelled or returned, or the customer has not ordered yet. These customers get no R, F or M score and are never clustered.`);
  } else if (model.algorithm === "hybrid") {
    const cuts = model.tierCutsMinor;
    if (cuts !== null) {
      if (segment.tier === "high") rules.push(`Spend tier "high": net spend of ${money(cuts[1])} or more ${asOf} (the store's top spenders).`);
      else if (segment.tier === "mid") rules.push(`Spend tier "mid": net spend from ${money(cuts[0])} up to ${money(cuts[1])} ${asOf}.`);
      else if (segment.tier === "low") rules.push(`Spend tier "low": net spend below ${money(cuts[0])} ${asOf}.`);
    }
    if (r !== undefined && f !== undefined && Number.isFinite(r) && Number.isFinite(f)) {
      rules.push(`Within that tier, K-means groups customers by how recently and how often they buy; a customer joins the closest centre. This group's centre: last order ${days(r)} ago, ${orders(f)}.`);
    }
  } else if (model.algorithm === "kmeans") {
    if (r !== undefined && f !== undefined && m !== undefined && [r, f, m].every(Number.isFinite)) {
      rules.push(`K-means on recency, frequency and spend (log-scaled): a customer joins the group with the closest centre. This group's centre: last order ${days(r)} ago, ${orders(f)}, ${money(m * 1000)} net spend.`);
    }
  } else if (model.algorithm === "dbscan" && model.dbscan !== null) {
    const d = model.dbscan;
    const eps = count.format(Number(d.eps.toPrecision(3)));
    if (segment.kind === "whales") rules.push(`Not part of any dense group (DBSCAN noise: fewer than ${d.minPoints} neighbours within a scaled distance of ${eps}) and net spend of ${money(d.whaleMonetary * 1000)} or more (the store's top 5 % of spend).`);
    else if (segment.kind === "outliers") rules.push(`Not part of any dense group (DBSCAN noise: fewer than ${d.minPoints} neighbours within a scaled distance of ${eps}) and net spend below ${money(d.whaleMonetary * 1000)}.`);
    else {
      rules.push(`A dense group found by DBSCAN: customers with at least ${d.minPoints} neighbours within a scaled distance of ${eps}, and the customers reachable from them.`);
      if (r !== undefined && f !== undefined && m !== undefined && [r, f, m].every(Number.isFinite)) rules.push(`Its centre: last order ${days(r)} ago, ${orders(f)}, ${money(m * 1000)} net spend.`);
    }
  } else if (model.algorithm === "rfm" && segment.kind === "rfm-group") {
    const cells = rfmGroupCells(segment.id);
    if (cells.length > 0) rules.push(`Shopify-style RFM group: ${cells.join(", or ")}. FM is the average of the F and M scores, rounded up; the score ranges are below.`);
  }
  if (segment.kind !== "prospects") rules.push(`Scores are quintiles of this store's customers ${asOf}: 5 is the best fifth (most recent, most orders, most spend), 1 the lowest.`);
  return { rules, scoreScale: scoreScale(model.rfmScores, money) };
}
