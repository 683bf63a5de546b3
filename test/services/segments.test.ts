// The Segments pages' read side on both databases: the list, a segment's detail (definition with
// the model's cut-offs, profile charts, a customers page sorted/searched/paginated on the server),
// the streamed CSV export, and tenant isolation (another shop's segment is not found).
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { Db } from "../../app/db.server";
import { parseSegmentModel } from "../../app/analytics";
import { parseCsv } from "../../cli/csv/parser";
import { runCustomerRows } from "../../app/models/segment-runs.server";
import { segmentCustomersPage } from "../../app/models/segment-customers.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { EXPORT_COLUMNS, segmentExport } from "../../app/services/segment-export.server";
import { SEGMENT_PAGE_SIZE, segmentDetail, segmentsList, type SegmentCustomerSort } from "../../app/services/segments.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

// The routes' session: the test picks the shop.
const session = vi.hoisted(() => ({ shop: "" }));
vi.mock("../../app/shopify/admin-auth.server", () => ({ requireAdmin: async () => ({ session, admin: {} }) }));

const AS_OF = new Date("2026-11-01T12:00:00Z");
const CUSTOMERS = 140;

/** Shopify ids of 1 to 4 digits, so text order and numeric order differ ("9" < "10" numerically). */
const shopifyIdOf = (i: number): string => String(i * 7 + 3);

/** Customer i: (i % 4) + 1 orders, of a spend that varies with `spendSeed`. */
async function seedShop(db: Db, domain: string, spendSeed: number): Promise<number> {
  const shop = await db.shop.create({ data: { domain, timezone: "UTC" } });
  const orders = [];
  const lines = [];
  for (let i = 0; i <= CUSTOMERS; i++) {
    const customer = await db.customer.create({ data: { shopId: shop.id, shopifyId: i === CUSTOMERS ? "99999" : shopifyIdOf(i) } });
    const n = i === CUSTOMERS ? 1 : (i % 4) + 1;
    for (let j = 0; j < n; j++) {
      const at = new Date(Date.UTC(2026, 0, 1) + (20 + ((i * 13 + j * 41) % 280)) * 86_400_000);
      const milli = (((i * spendSeed) % 300) + 5) * 1000;
      orders.push({ shopId: shop.id, shopifyId: `o${i}-${j}`, customerId: customer.id, processedAt: at, shopifyUpdatedAt: at, currency: "GBP", grossMilli: BigInt(milli), netMilli: BigInt(milli), cancelledAt: i === CUSTOMERS ? at : null });
      lines.push({ key: `o${i}-${j}`, milli });
    }
  }
  await db.order.createMany({ data: orders });
  const ids = new Map((await db.order.findMany({ where: { shopId: shop.id }, select: { id: true, shopifyId: true } })).map((o) => [o.shopifyId, o.id]));
  await db.orderLine.createMany({ data: lines.map((l) => ({ shopId: shop.id, orderId: ids.get(l.key)!, shopifyId: `${l.key}-0`, productId: "p1", quantity: 1, unitPriceMilli: BigInt(l.milli) })) });
  return shop.id;
}

type StoredRow = Awaited<ReturnType<typeof runCustomerRows>>[number];

/** The expected order of a sort, written from the page's rules (not from the SQL). */
function expectedOrder(rows: StoredRow[], sort: SegmentCustomerSort, direction: "asc" | "desc"): string[] {
  const key = (r: StoredRow): number | null =>
    sort === "monetary" ? Number(r.monetaryMilli) : sort === "frequency" ? r.frequency : sort === "recency" ? r.recencyDays : Number(r.shopifyCustomerId);
  const sign = direction === "asc" ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === null || kb === null) return ka === kb ? sign * (a.id - b.id) : ka === null ? 1 : -1;
      return sign * (ka - kb) || sign * (a.id - b.id);
    })
    .map((r) => r.shopifyCustomerId);
}

describeEachDatabase("segments pages (read side)", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let shopA: number;
  let shopB: number;
  let shopEmpty: number;
  let runA: number;
  let runB: number;
  let bigKey: string;
  let rowsA: StoredRow[];

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    db = tdb.db;
    shopA = await seedShop(db, "a.myshopify.com", 37);
    shopB = await seedShop(db, "b.myshopify.com", 11); // same Shopify customer ids, other spend
    shopEmpty = (await db.shop.create({ data: { domain: "empty.myshopify.com" } })).id;
    runA = (await refreshSegments(db, shopA, { reason: "on-demand", asOf: AS_OF, algorithm: "kmeans", k: 2 })).runId;
    runB = (await refreshSegments(db, shopB, { reason: "on-demand", asOf: AS_OF, algorithm: "hybrid", k: 2 })).runId;
    rowsA = await runCustomerRows(db, shopA, runA);
    const sizes = new Map<string, number>();
    for (const r of rowsA) sizes.set(r.segmentKey, (sizes.get(r.segmentKey) ?? 0) + 1);
    bigKey = [...sizes].sort((a, b) => b[1] - a[1])[0]![0];
    expect(sizes.get(bigKey)).toBeGreaterThan(SEGMENT_PAGE_SIZE); // the pages below need 2+
    globalThis.__segmintDb = db; // the routes' default client
  }, 120_000);
  afterAll(async () => {
    globalThis.__segmintDb = undefined;
    await tdb?.drop();
  });

  it("lists the latest run's segments, largest first, sizes adding up to the run's customers", async () => {
    const list = await segmentsList(db, shopA);
    expect(list.run?.id).toBe(runA);
    expect(list.run?.asOfDay).toBe("2026-11-01");
    expect(list.segments.reduce((s, x) => s + x.size, 0)).toBe(CUSTOMERS + 1);
    expect(list.segments.map((s) => s.size)).toEqual([...list.segments.map((s) => s.size)].sort((a, b) => b - a));
    const prospects = list.segments.find((s) => s.kind === "prospects")!;
    expect(prospects.size).toBe(1);
    expect(prospects.medianRecencyDays).toBeNull(); // no buyer: no recency, not NaN
    for (const s of list.segments) expect(s.action.length).toBeGreaterThan(0);
    expect(await segmentsList(db, shopEmpty)).toEqual({ run: null, segments: [] });
  });

  it.each([
    ["monetary", "desc"],
    ["monetary", "asc"],
    ["frequency", "desc"],
    ["recency", "asc"],
    ["recency", "desc"],
    ["customer", "asc"],
    ["customer", "desc"],
  ] as const)("pages of the segment sorted by %s %s match the stored rows' order, each customer once", async (sort, direction) => {
    const members = rowsA.filter((r) => r.segmentKey === bigKey);
    const expected = expectedOrder(members, sort, direction);
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(members.length / SEGMENT_PAGE_SIZE); page++) {
      const d = await segmentDetail(db, shopA, bigKey, "GBP", { page, sort, direction });
      expect(d!.customers.total).toBe(members.length);
      expect(d!.customers.page).toBe(page);
      seen.push(...d!.customers.rows.map((r) => r.shopifyCustomerId));
    }
    expect(seen).toEqual(expected);
  });

  it("a page past the last gives the last page; rows carry the stored values and the why-here sentence", async () => {
    const d = (await segmentDetail(db, shopA, bigKey, "GBP", { page: 999, sort: "monetary", direction: "desc" }))!;
    expect(d.customers.page).toBe(d.customers.pageCount);
    const row = d.customers.rows[0]!;
    const stored = rowsA.find((r) => r.shopifyCustomerId === row.shopifyCustomerId)!;
    expect(row.monetaryMilli).toBe(Number(stored.monetaryMilli));
    expect(row.frequency).toBe(stored.frequency);
    expect(row.explanation).toBe(stored.explanation);
    expect(row.explanation).toMatch(/closest centre/);
  });

  it("searches by Shopify customer id: a prefix finds every member starting with it, an exact id finds one", async () => {
    const members = rowsA.filter((r) => r.segmentKey === bigKey);
    const prefix = "1";
    const expected = members.filter((r) => r.shopifyCustomerId.startsWith(prefix)).map((r) => r.shopifyCustomerId).sort((a, b) => Number(a) - Number(b));
    expect(expected.length).toBeGreaterThan(1);
    const d = (await segmentDetail(db, shopA, bigKey, "GBP", { page: 1, sort: "customer", direction: "asc", search: prefix }))!;
    expect(d.customers.total).toBe(expected.length);
    expect(d.customers.rows.map((r) => r.shopifyCustomerId)).toEqual(expected.slice(0, SEGMENT_PAGE_SIZE));
    const one = members[3]!.shopifyCustomerId;
    const exact = (await segmentDetail(db, shopA, bigKey, "GBP", { page: 1, sort: "monetary", direction: "desc", search: one }))!;
    expect(exact.customers.rows.map((r) => r.shopifyCustomerId)).toContain(one);
    expect(exact.customers.rows.every((r) => r.shopifyCustomerId.startsWith(one))).toBe(true);
    // LIKE wildcards are literal: "%" matches no digit id.
    expect((await segmentDetail(db, shopA, bigKey, "GBP", { page: 1, sort: "monetary", direction: "desc", search: "%" }))!.customers.total).toBe(0);
    // Another segment finds only its own members.
    const other = [...new Set(rowsA.map((r) => r.segmentKey))].find((k) => k !== bigKey)!;
    const elsewhere = (await segmentDetail(db, shopA, other, "GBP", { page: 1, sort: "monetary", direction: "desc", search: prefix }))!;
    expect(elsewhere.customers.total).toBe(rowsA.filter((r) => r.segmentKey === other && r.shopifyCustomerId.startsWith(prefix)).length);
    expect(elsewhere.customers.rows.map((r) => r.shopifyCustomerId)).not.toContain(one);
  });

  it("the definition names the model's cut-offs: K-means centre (shop A), hybrid spend tiers (shop B)", async () => {
    const modelA = parseSegmentModel((await db.segmentRun.findUniqueOrThrow({ where: { id: runA } })).model);
    const a = (await segmentDetail(db, shopA, bigKey, "GBP", { page: 1, sort: "monetary", direction: "desc" }))!;
    const centre = modelA.segments.find((s) => s.id === bigKey)!.centroidOriginal;
    expect(a.definition.rules.join(" ")).toContain(`${Math.round(centre[0]!)} days ago`);
    expect(a.definition.rules.join(" ")).toMatch(/K-means/);
    // Score scale rows come from the model's quintile ranges.
    const r5 = modelA.rfmScores.recency.ranges[4]!;
    expect(a.definition.scoreScale[0]).toMatchObject({ score: 5, recency: r5[0] === r5[1] ? `${r5[0]} days ago` : `${r5[0]}–${r5[1]} days ago` });

    const modelB = parseSegmentModel((await db.segmentRun.findUniqueOrThrow({ where: { id: runB } })).model);
    const [low, high] = modelB.tierCutsMinor!;
    const money = (milli: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "GBP", minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(milli / 1000);
    const highSegment = modelB.segments.find((s) => s.tier === "high")!;
    const midSegment = modelB.segments.find((s) => s.tier === "mid")!;
    const b = (await segmentDetail(db, shopB, highSegment.id, "GBP", { page: 1, sort: "monetary", direction: "desc" }))!;
    expect(b.definition.rules[0]).toContain(`${money(high)} or more`);
    const mid = (await segmentDetail(db, shopB, midSegment.id, "GBP", { page: 1, sort: "monetary", direction: "desc" }))!;
    expect(mid.definition.rules[0]).toContain(`from ${money(low)} up to ${money(high)}`);
  });

  it("profile charts: the segment's and the store's shares per bin, from the stored distributions", async () => {
    const d = (await segmentDetail(db, shopA, bigKey, "GBP", { page: 1, sort: "monetary", direction: "desc" }))!;
    expect(d.charts?.map((c) => c.feature)).toEqual(["recency", "frequency", "monetary"]);
    const members = rowsA.filter((r) => r.segmentKey === bigKey && r.frequency > 0);
    const frequency = d.charts![1]!;
    expect(frequency.segmentBuyers).toBe(members.length);
    expect(frequency.storeBuyers).toBe(CUSTOMERS);
    // Bin "1 order": the share of the segment's buyers with exactly one order.
    expect(frequency.bins[0]!.segment).toBeCloseTo(members.filter((r) => r.frequency === 1).length / members.length, 12);
    expect(frequency.bins[0]!.store).toBeCloseTo(CUSTOMERS / 4 / CUSTOMERS, 12);
    for (const c of d.charts!) expect(c.bins.reduce((s, b) => s + b.segment, 0)).toBeCloseTo(1, 12);
    expect(d.charts![2]!.bins[0]!.label).toMatch(/^Under £/);
  });

  it("an unknown segment, or a shop without runs, is not found; another shop sees only its own rows", async () => {
    expect(await segmentDetail(db, shopA, "no-such-segment", "GBP", { page: 1, sort: "monetary", direction: "desc" })).toBeNull();
    expect(await segmentDetail(db, shopEmpty, bigKey, "GBP", { page: 1, sort: "monetary", direction: "desc" })).toBeNull();
    expect(await segmentExport(db, shopA, "no-such-segment")).toBeNull();
    expect(await segmentExport(db, shopEmpty, bigKey)).toBeNull();
    // The model refuses shop A's run read as shop B: no row.
    expect(await segmentCustomersPage(db, shopB, runA, bigKey, { sort: "monetary", direction: "desc", offset: 0, limit: 50 })).toEqual([]);
    // Shop B's segments list and rows are B's own (other spend, same customer ids).
    const rowsB = await runCustomerRows(db, shopB, runB);
    const keyB = (await segmentsList(db, shopB)).segments[0]!.id;
    const dB = (await segmentDetail(db, shopB, keyB, "GBP", { page: 1, sort: "monetary", direction: "desc" }))!;
    expect(dB.run.id).toBe(runB);
    expect(dB.customers.total).toBe(rowsB.filter((r) => r.segmentKey === keyB).length);
    for (const r of dB.customers.rows) expect(Number(rowsB.find((x) => x.shopifyCustomerId === r.shopifyCustomerId && x.segmentKey === keyB)!.monetaryMilli)).toBe(r.monetaryMilli);
  });

  it("the CSV export streams every customer of the segment once, RFC 4180-quoted, across keyset pages", async () => {
    const out = (await segmentExport(db, shopA, bigKey, 7))!;
    expect(out.filename).toBe(`segmint-${bigKey}-2026-11-01.csv`);
    const text = await new Response(out.body).text();
    expect(text.endsWith("\r\n")).toBe(true);
    const records = parseCsv(text).filter((r) => r.fields.length > 1 || r.fields[0] !== "");
    for (const r of records) expect(r.error).toBeNull();
    expect(records[0]!.fields).toEqual([...EXPORT_COLUMNS]);
    const body = records.slice(1).map((r) => Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, r.fields[i]!])));
    const members = rowsA.filter((r) => r.segmentKey === bigKey);
    expect(body.map((r) => r.shopify_customer_id).sort()).toEqual(members.map((r) => r.shopifyCustomerId).sort());
    for (const r of body) {
      const stored = members.find((m) => m.shopifyCustomerId === r.shopify_customer_id)!;
      // The explanation holds commas: quoted in the file, read back intact.
      expect(r.explanation).toBe(stored.explanation);
      expect(r.segment_id).toBe(bigKey);
      expect(Number(r.monetary) * 1000).toBeCloseTo(Number(stored.monetaryMilli), 6);
      expect(r.recency_days).toBe(String(stored.recencyDays));
      expect(r.r_score).toBe(String(stored.rScore));
    }
    expect(text).toContain(`,"${members[0]!.explanation.replace(/"/g, '""')}"\r\n`);
    // Shop B's export of the same key (if it has one) holds B's customers only.
    const outB = await segmentExport(db, shopB, bigKey);
    if (outB) {
      const rowsB = (await runCustomerRows(db, shopB, runB)).filter((r) => r.segmentKey === bigKey);
      expect(parseCsv(await new Response(outB.body).text()).filter((r) => r.fields.length > 1).length - 1).toBe(rowsB.length);
    }
  });

  it("the export of the prospects leaves scores and recency empty", async () => {
    const prospects = (await segmentsList(db, shopA)).segments.find((s) => s.kind === "prospects")!;
    const text = await new Response((await segmentExport(db, shopA, prospects.id))!.body).text();
    const [, row] = parseCsv(text);
    const fields = Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, row!.fields[i]]));
    expect(fields).toMatchObject({ shopify_customer_id: "99999", recency_days: "", frequency: "0", r_score: "", f_score: "", m_score: "" });
  });

  const call = async <T,>(load: (args: LoaderFunctionArgs) => Promise<T>, shop: string, url: string, params: Record<string, string> = {}) => {
    session.shop = shop;
    return load({ request: new Request(url), params, context: {} }).catch((e: unknown) => e);
  };

  it("detail route: a page of the shop's segment; a bad search is named next to the field; another store's segment is 404", async () => {
    const { loader } = await import("../../app/routes/app.segments.$segmentKey");
    const ok = (await call(loader, "a.myshopify.com", `http://localhost/app/segments/${bigKey}?sort=recency&dir=asc&page=2`, { segmentKey: bigKey })) as Response;
    const body = (await ok.json()) as { detail: { customers: { page: number; sort: string; rows: unknown[] } }; errors: { q?: string } };
    expect(body.detail.customers).toMatchObject({ page: 2, sort: "recency" });
    expect(body.detail.customers.rows.length).toBeGreaterThan(0);
    const bad = (await call(loader, "a.myshopify.com", `http://localhost/app/segments/${bigKey}?q=bob`, { segmentKey: bigKey })) as Response;
    expect(((await bad.json()) as { errors: { q?: string } }).errors.q).toMatch(/digits only/);
    const other = (await call(loader, "empty.myshopify.com", `http://localhost/app/segments/${bigKey}`, { segmentKey: bigKey })) as Response;
    expect(other.status).toBe(404);
    expect(await other.text()).toMatch(/not found in this store/);
    const gid = (await call(loader, "a.myshopify.com", `http://localhost/app/segments/${bigKey}?q=gid://shopify/Customer/1`, { segmentKey: bigKey })) as Response;
    expect(((await gid.json()) as { detail: { customers: { search: string } } }).detail.customers.search).toBe("1");
  });

  it("export route: text/csv attachment of the shop's segment; another store's segment is 404", async () => {
    const { loader } = await import("../../app/routes/app.segments.$segmentKey.export");
    const res = (await call(loader, "a.myshopify.com", `http://localhost/app/segments/${bigKey}/export`, { segmentKey: bigKey })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="segmint-${bigKey}-2026-11-01.csv"`);
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines).toHaveLength(rowsA.filter((r) => r.segmentKey === bigKey).length + 1);
    const other = (await call(loader, "empty.myshopify.com", `http://localhost/app/segments/${bigKey}/export`, { segmentKey: bigKey })) as Response;
    expect(other.status).toBe(404);
  });

  it("list route: the shop's segments; a shop without runs gets the empty state's data", async () => {
    const { loader } = await import("../../app/routes/app.segments._index");
    const a = (await ((await call(loader, "a.myshopify.com", "http://localhost/app/segments")) as Response).json()) as { run: { id: number }; segments: unknown[] };
    expect(a.run.id).toBe(runA);
    const empty = (await ((await call(loader, "empty.myshopify.com", "http://localhost/app/segments")) as Response).json()) as { run: null; segments: unknown[] };
    expect(empty).toMatchObject({ installed: true, run: null, segments: [] });
  });

  it("detail action: write-back intents validated (400 names the problem), another store's segment is 404, a preview is started", async () => {
    const { action } = await import("../../app/routes/app.segments.$segmentKey");
    const post = async (shop: string, key: string, fields: Record<string, string>) => {
      session.shop = shop;
      const request = new Request(`http://localhost/app/segments/${key}`, { method: "POST", body: new URLSearchParams(fields) });
      return (await action({ request, params: { segmentKey: key }, context: {} }).catch((e: unknown) => e)) as Response;
    };
    const bad = await post("a.myshopify.com", bigKey, { intent: "delete-everything" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errors: { writeBack: "Choose Preview changes or Apply to Shopify." } });
    const noPreview = await post("a.myshopify.com", bigKey, { intent: "write-back-apply", previewId: "x" });
    expect(noPreview.status).toBe(400);
    expect(((await noPreview.json()) as { errors: { writeBack: string } }).errors.writeBack).toMatch(/Preview first/);
    expect((await post("empty.myshopify.com", bigKey, { intent: "write-back-preview" })).status).toBe(404);
    expect((await post("a.myshopify.com", "no-such-segment", { intent: "write-back-preview" })).status).toBe(404);
    const unknownPreview = await post("a.myshopify.com", bigKey, { intent: "write-back-apply", previewId: "999999" });
    expect(unknownPreview.status).toBe(409);
    expect(((await unknownPreview.json()) as { errors: { writeBack: string } }).errors.writeBack).toMatch(/not found/);
    const started = await post("a.myshopify.com", bigKey, { intent: "write-back-preview" });
    expect(started.status).toBe(200);
    const { writeBackId } = (await started.json()) as { writeBackId: number };
    expect(await db.writeBack.findFirst({ where: { id: writeBackId, shopId: shopA, segmentKey: bigKey, mode: "dry-run" } })).not.toBeNull();
  });
});

