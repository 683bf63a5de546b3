import { describe, expect, it } from "vitest";
import { segmentCustomers } from "../../../app/analytics/segments/pipeline";
import { assignSegments } from "../../../app/analytics/segments/assign";
import { parseSegmentModel } from "../../../app/analytics/segments/model";
import { explainCustomer } from "../../../app/analytics/segments/explain";
import { featureTableFromRows } from "../../../app/analytics/rfm/features";
import { blobs, FOUR_GROUPS, snapshot } from "./planted-groups";

const segOf = (r: ReturnType<typeof segmentCustomers>, i: number): string => r.model.segments[r.segmentIndex[i]!]!.id;

describe("segmentCustomers: K-means", () => {
  const t = blobs(FOUR_GROUPS, 1);
  const before = snapshot(t);
  // K-means is no longer the default (ADR 0016): asked for by name
  const r = segmentCustomers(t, { seed: 7, k: 4, algorithm: "kmeans" });

  it("does not mutate the feature table", () => {
    expect(snapshot(t)).toEqual(before);
  });
  it("recovers the four planted groups", () => {
    for (const prefix of ["champ", "new", "risk", "gone"]) {
      const segs = new Set(t.customerIds.flatMap((id, i) => (id.startsWith(prefix) ? [segOf(r, i)] : [])));
      expect(segs.size).toBe(1);
    }
    expect(new Set(Array.from(r.labels)).size).toBe(4);
  });
  it("names segments from their centroids relative to the population", () => {
    const nameOf = (prefix: string): string => r.model.segments[r.segmentIndex[t.customerIds.findIndex((id) => id.startsWith(prefix))]!]!.name;
    expect(nameOf("champ")).toBe("Champions");
    expect(nameOf("gone")).toMatch(/^(Dormant|Almost lost)$/);
    expect(nameOf("risk")).toMatch(/At risk|Previously loyal/);
    const champ = r.profiles.find((p) => p.name === "Champions")!;
    expect(champ.definition).toMatch(/^Bought very recently \(median \d+ days? ago\), very often \([\d.]+ orders\) and spends a lot \([\d,]+\)\.$/);
    expect(champ.action).toMatch(/Reward/);
  });
  it("profiles add up", () => {
    expect(r.profiles.reduce((s, p) => s + p.size, 0)).toBe(t.count);
    expect(r.profiles.reduce((s, p) => s + p.revenueShare, 0)).toBeCloseTo(1, 12);
    const total = t.monetaryMilli.reduce((a, b) => a + b, 0);
    expect(r.profiles.reduce((s, p) => s + p.revenueMilli, 0)).toBe(total);
  });
  it("is deterministic for a seed", () => {
    const again = segmentCustomers(t, { seed: 7, k: 4, algorithm: "kmeans" });
    expect(Array.from(again.labels)).toEqual(Array.from(r.labels));
    expect(JSON.stringify(again.model)).toBe(JSON.stringify(r.model));
  });
  it("model JSON round trip assigns the same segments without refitting, and scores new customers", () => {
    const model = parseSegmentModel(JSON.stringify(r.model));
    expect(model).toEqual(JSON.parse(JSON.stringify(r.model)));
    const a = assignSegments(model, t);
    expect(Array.from(a.segmentIndex)).toEqual(Array.from(r.segmentIndex));
    expect(Array.from(a.outlier)).toEqual(Array.from(r.outlier));
    const fresh = featureTableFromRows(
      [
        { customerId: "n1", recencyDays: 3, frequency: 14, monetaryMilli: 3_500_000 },
        { customerId: "n2", recencyDays: 320, frequency: 1, monetaryMilli: 35_000 },
      ],
      "2024-06-30",
    );
    const b = assignSegments(model, fresh);
    expect(model.segments[b.segmentIndex[0]!]!.name).toBe("Champions");
    expect(model.segments[b.segmentIndex[1]!]!.name).toBe(r.model.segments[r.segmentIndex[t.customerIds.indexOf("gone0")]!]!.name);
  });
  it("plot data: PCA points and centroids, elbow/silhouette when K is auto", () => {
    expect(r.plots.pca!.points.length).toBe(t.count);
    expect(r.plots.pca!.centroids.length).toBe(4);
    expect(r.plots.kDistance!.curve.length).toBeGreaterThan(10);
    const auto = segmentCustomers(t, { seed: 7, algorithm: "kmeans" });
    expect(auto.plots.elbow.map((e) => e.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(auto.diagnostics.kRule).toMatch(/K = \d/);
    expect(auto.plots.silhouette.every((s) => s.silhouette <= 1 && s.silhouette >= -1)).toBe(true);
    const small = segmentCustomers(t, { seed: 7, k: 4, plotSampleSize: 100, algorithm: "kmeans" });
    expect(small.plots.pca!.points.length).toBe(100);
  });
  it("explains each customer", () => {
    const i = t.customerIds.indexOf("champ0");
    expect(explainCustomer(r, t, i)).toMatch(/^last purchase \d+ days? ago, \d+ orders, net spend [\d,.]+; closest centre: Champions \d\.\d\d, .+ \d\.\d\d \(R\d F\d M\d\)\.$/);
  });
});

describe("segmentCustomers: RFM groups, prospects", () => {
  const t = featureTableFromRows(
    [
      { customerId: "a", recencyDays: 1, frequency: 9, monetaryMilli: 900_000 },
      { customerId: "b", recencyDays: 2, frequency: 1, monetaryMilli: 10_000 },
      { customerId: "c", recencyDays: 200, frequency: 8, monetaryMilli: 800_000 },
      { customerId: "d", recencyDays: 300, frequency: 1, monetaryMilli: 5_000 },
      { customerId: "e", recencyDays: 50, frequency: 3, monetaryMilli: 100_000 },
      { customerId: "z", recencyDays: null, frequency: 0, monetaryMilli: -7_000 },
    ],
    "2024-06-30",
  );
  const r = segmentCustomers(t, { seed: 1, algorithm: "rfm" });
  it("segments are the Shopify groups; return-only customers are Prospects, not clustered", () => {
    expect(t.customerIds.map((_, i) => r.model.segments[r.segmentIndex[i]!]!.name)).toEqual(["Champions", "Active", "At risk", "Dormant", "Needs attention", "Prospects"]);
    expect(r.labels[5]).toBe(-2);
    expect([r.r[5], r.f[5], r.m[5]]).toEqual([0, 0, 0]);
  });
  it("explanations state scores and the group", () => {
    expect(explainCustomer(r, t, 0)).toBe("R5 F5 M5, FM 5 → Champions (last purchase 1 day ago, 9 orders, net spend 900).");
    expect(explainCustomer(r, t, 5)).toBe("No purchase before 2024-06-30 (net -7.00 from returns only): Prospects.");
  });
  it("profiles: median in original units", () => {
    const p = r.profiles.find((x) => x.name === "Champions")!;
    expect(p.median).toEqual({ recencyDays: 1, frequency: 9, monetaryMilli: 900_000 });
    expect(p.revenueShare).toBeCloseTo(900_000 / (900_000 + 10_000 + 800_000 + 5_000 + 100_000 - 7_000), 12);
  });
});

describe("segmentCustomers: hybrid", () => {
  // high-value lapsed vs low-value lapsed: same recency, very different value
  const t = blobs(
    [
      { n: 60, recency: 300, frequency: 8, monetary: 6000, spread: 0.08, prefix: "hiold" },
      { n: 60, recency: 10, frequency: 10, monetary: 7000, spread: 0.08, prefix: "hinew" },
      { n: 60, recency: 120, frequency: 5, monetary: 5000, spread: 0.08, prefix: "himid" },
      { n: 150, recency: 300, frequency: 1, monetary: 30, spread: 0.08, prefix: "loold" },
      { n: 150, recency: 10, frequency: 1, monetary: 35, spread: 0.08, prefix: "lonew" },
      { n: 150, recency: 120, frequency: 2, monetary: 40, spread: 0.08, prefix: "lomid" },
      { n: 270, recency: 60, frequency: 3, monetary: 400, prefix: "mid" }, // high tier = top 20 % = exactly the 180 "hi" customers
    ],
    3,
  );
  const r = segmentCustomers(t, { seed: 3, algorithm: "hybrid" });
  const nameOf = (prefix: string): Set<string> => new Set(t.customerIds.flatMap((id, i) => (id.startsWith(prefix) ? [r.model.segments[r.segmentIndex[i]!]!.name] : [])));
  it("separates high-value lapsed customers (can't lose) from low-value ones (lost)", () => {
    const hi = [...nameOf("hiold")];
    const lo = [...nameOf("loold")];
    expect(hi).toHaveLength(1);
    expect(lo).toHaveLength(1);
    expect(hi[0]).toBe("High-value can't lose");
    expect(lo[0]).toBe("Low-value lost");
    expect([...nameOf("hinew")]).toEqual(["High-value champions"]);
    expect([...nameOf("lonew")]).toEqual(["Low-value new"]);
    // every planted group is a segment of its own
    const all = ["hiold", "hinew", "himid", "loold", "lonew", "lomid"].map((p) => [...nameOf(p)]);
    expect(all.every((n) => n.length === 1)).toBe(true);
    expect(new Set(all.map((n) => n[0])).size).toBe(6);
    expect(r.model.segments.filter((s) => s.kind === "cluster").every((s) => s.tier !== null)).toBe(true);
  });
  it("names are distinct and plain, and each action fits its name", () => {
    const names = r.model.segments.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.includes("("))).toEqual([]);
    const actionOf = (name: string): string => r.model.segments.find((s) => s.name === name)!.action;
    expect(actionOf("High-value champions")).toMatch(/^Reward/);
    expect(actionOf("High-value can't lose")).toMatch(/^Personal outreach/);
    expect(actionOf("Low-value new")).toMatch(/^Welcome/);
    expect(actionOf("Low-value lost")).toMatch(/^Suppress/);
  });
  it("tier cuts are the 50th/80th percentiles of monetary and assignment reproduces the fit", () => {
    const sorted = Array.from(t.monetaryMilli).sort((a, b) => a - b);
    expect(r.model.tierCutsMinor![0]).toBeCloseTo((sorted[(sorted.length - 1) / 2 | 0]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2, 6);
    const a = assignSegments(parseSegmentModel(JSON.stringify(r.model)), t);
    expect(Array.from(a.segmentIndex)).toEqual(Array.from(r.segmentIndex));
  });
  it("explains the tier", () => {
    const i = t.customerIds.indexOf("hiold0");
    expect(explainCustomer(r, t, i)).toMatch(/^high-value tier by spend; last purchase \d+ days ago, \d+ orders, net spend [\d,]+; closest centre: High-value can't lose/);
  });
});

describe("segmentCustomers: DBSCAN", () => {
  const base = blobs(
    [
      { n: 300, recency: 30, frequency: 3, monetary: 300, spread: 0.1, prefix: "a" },
      { n: 300, recency: 200, frequency: 1, monetary: 50, spread: 0.1, prefix: "b" },
    ],
    5,
  );
  const rows = base.customerIds.map((id, i) => ({ customerId: id, recencyDays: base.recencyDays[i]!, frequency: base.frequency[i]!, monetaryMilli: base.monetaryMilli[i]! }));
  rows.push({ customerId: "whale1", recencyDays: 2, frequency: 150, monetaryMilli: 900_000_000 });
  rows.push({ customerId: "whale2", recencyDays: 5, frequency: 90, monetaryMilli: 500_000_000 });
  rows.push({ customerId: "odd", recencyDays: 1000, frequency: 40, monetaryMilli: 10_000 });
  const t = featureTableFromRows(rows, "2024-06-30");
  const r = segmentCustomers(t, { seed: 5, algorithm: "dbscan" });
  it("finds the dense groups, flags noise as outliers, high spenders as whales", () => {
    const seg = (id: string): string => r.model.segments[r.segmentIndex[t.customerIds.indexOf(id)]!]!.id;
    expect(seg("whale1")).toBe("whales");
    expect(seg("whale2")).toBe("whales");
    expect(seg("odd")).toBe("outliers");
    expect(r.labels[t.customerIds.indexOf("odd")]).toBe(-1);
    expect(r.outlier[t.customerIds.indexOf("whale1")]).toBe(1);
    expect(r.diagnostics.minPoints).toBe(6);
    expect(r.diagnostics.eps).toBeGreaterThan(0);
    expect(r.diagnostics.k).toBeGreaterThanOrEqual(2);
  });
  it("assignment from JSON reproduces the labels (nearest core point within eps)", () => {
    const a = assignSegments(parseSegmentModel(JSON.stringify(r.model)), t);
    expect(Array.from(a.labels)).toEqual(Array.from(r.labels));
  });
  it("an explicit eps and minPoints are used", () => {
    const tight = segmentCustomers(t, { seed: 5, algorithm: "dbscan", eps: 0.01, minPoints: 4 });
    expect(tight.diagnostics.eps).toBe(0.01);
    expect(tight.diagnostics.minPoints).toBe(4);
    expect(Array.from(tight.outlier).filter((o) => o === 1).length).toBeGreaterThan(Array.from(r.outlier).filter((o) => o === 1).length);
  });
});

describe("the order of customers does not matter", () => {
  // the CLI reads a CSV's rows, the app streams orders: the same customers in another order
  // must get the same segments (clustering works in customer-id order, segments/prepare.ts)
  const t = blobs(FOUR_GROUPS, 4);
  const rows = t.customerIds.map((id, i) => ({ customerId: id, recencyDays: t.recencyDays[i]!, frequency: t.frequency[i]!, monetaryMilli: t.monetaryMilli[i]! }));
  const shuffled = featureTableFromRows([...rows].reverse().sort((a, b) => (a.monetaryMilli % 7) - (b.monetaryMilli % 7)), t.asOf);
  it.each(["hybrid", "kmeans", "dbscan", "rfm"] as const)("%s: same segment, label and outlier flag per customer", (algorithm) => {
    const a = segmentCustomers(t, { seed: 5, algorithm });
    const b = segmentCustomers(shuffled, { seed: 5, algorithm });
    const byId = (r: ReturnType<typeof segmentCustomers>, table: typeof t): Map<string, string> =>
      new Map(table.customerIds.map((id, i) => [id, `${r.model.segments[r.segmentIndex[i]!]!.name}|${r.labels[i]}|${r.outlier[i]}`]));
    expect(byId(b, shuffled)).toEqual(byId(a, t));
    expect(JSON.stringify(b.model)).toBe(JSON.stringify(a.model));
  });
});

describe("validation at the entry", () => {
  const t = blobs(FOUR_GROUPS, 1);
  it("throws clear errors", () => {
    expect(() => segmentCustomers(t, { seed: Number.NaN })).toThrow(/seed/);
    expect(() => segmentCustomers(t, { seed: 1, algorithm: "gmm" as never })).toThrow(/algorithm must be/);
    expect(() => segmentCustomers(t, { seed: 1, k: 0 })).toThrow(/k must be/);
    expect(() => segmentCustomers(t, { seed: 1, eps: -1 })).toThrow(/eps must be/);
    expect(() => segmentCustomers(t, { seed: 1, hysteresisMargin: 1 })).toThrow(/hysteresisMargin/);
    expect(() => parseSegmentModel({ kind: "other" })).toThrow(/kind must be/);
    const none = featureTableFromRows([{ customerId: "z", recencyDays: null, frequency: 0, monetaryMilli: -1 }], "2024-01-01");
    expect(() => segmentCustomers(none, { seed: 1 })).toThrow(/no customer has a purchase/);
  });
});
