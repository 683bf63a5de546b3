// The embedded admin in a real browser: Debian's Chromium (driven by playwright-core) against the
// offline demo (scripts/demo.ts: the simulator seeded with the real UCI Online Retail store, the
// production build, the real job runner). One demo for the whole file, with a database of its own
// (SEGMINT_DEMO_DB) so a developer's .data/demo.db is never touched. Every page is visited at 375 and
// 1280 px, checked by axe-core (no serious or critical violation) and screenshotted into
// test-results/e2e/; then the merchant's tasks: settings (a validation error, then a save), "Run now",
// a segment's write-back preview and apply (checked in the simulator), the CSV export, a customer
// lookup, the demo experiment's results, an experiment created, stopped and archived through the
// form, the anomalies (invoice 581483 flagged with its reasons, the store-days charts, a flag
// confirmed and the feedback figures moving), the recommendations (the model and its evaluation, the
// rules sorted and searched, a product's preview with why), and keyboard reach. App Bridge (cdn.shopify.com) is blocked: the pages must work without it.
//
// Needs /usr/bin/chromium (Debian's `chromium` package; .ci/run installs it). Without it the file is
// skipped locally and fails in CI (CI set).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { AxeResults } from "axe-core";
import Database from "better-sqlite3";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "../../scripts/support/demo-process";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SHOTS = path.join(ROOT, "test-results", "e2e");
const SHOP = "segmint-demo.myshopify.com";
const WIDTHS = [375, 1280] as const;
const inCI = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";
const haveChromium = fs.existsSync(CHROMIUM);
const require = createRequire(import.meta.url);

/** The demo's own lines: the URLs, "first refresh completed", "last week's comparison ready", "demo experiment ready", then "demo anomalies ready". Seeding + backfill + refreshes ≈ 1–2 min, then the first refresh job trains the recommender (≈ 2–4 min on 2 cores, longer beside the other test files) before the shop's next job — the demo experiment's write-back — runs. */
const DEMO_READY_MS = 20 * 60_000;
const STEP_MS = 4 * 60_000;

/** The demo, ready once it has added last week's run (so the Overview has a migration), the demo
 * experiment (so the Experiments page has results) and checked its anomalies are stored. */
function startAdminDemo(dbFile: string): Promise<Demo> {
  return startDemo({
    dbFile,
    readyLine: /demo anomalies ready/,
    readyMs: DEMO_READY_MS,
    waitingFor: "complete its first refresh",
    exitedBefore: "its first refresh",
    failures: [
      { line: /the demo's anomalies were not detected/, error: "the demo could not detect its anomalies" },
      { line: /the demo experiment was refused/, error: "the demo could not create its experiment" },
      { line: /first refresh (failed|did not complete)/, error: "the demo's first refresh did not complete" },
    ],
  });
}

interface Violation {
  page: string;
  width: number;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core on the page as it is: serious and critical violations, with what to fix and where. */
async function seriousViolations(page: Page, name: string, width: number): Promise<Violation[]> {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = await page.evaluate(() => (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run());
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ page: name, width, rule: v.id, impact: v.impact ?? "", help: `${v.help} (${v.helpUrl})`, targets: v.nodes.map((n) => n.target.join(" ")) }));
}

/** The demo's database, read-only: the truth the pages are checked against. */
function readDb(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const shop = db.prepare("SELECT id, tagPrefix, refreshHour FROM Shop WHERE domain = ?").get(SHOP) as { id: number; tagPrefix: string; refreshHour: number };
    const run = db.prepare("SELECT id, model FROM SegmentRun WHERE shopId = ? AND status = 'completed' ORDER BY id DESC LIMIT 1").get(shop.id) as { id: number; model: string };
    const runs = (db.prepare("SELECT id, status FROM SegmentRun WHERE shopId = ? ORDER BY id").all(shop.id) as { id: number; status: string }[]);
    const sizes = db.prepare("SELECT segmentKey AS key, COUNT(*) AS size FROM CustomerSegment WHERE runId = ? GROUP BY segmentKey").all(run.id) as { key: string; size: number }[];
    const names = new Map((JSON.parse(run.model) as { segments: { id: string; name: string }[] }).segments.map((x) => [x.id, x.name]));
    return {
      shop,
      runs,
      latestRunId: run.id,
      segments: sizes.map((x) => ({ ...x, name: names.get(x.key) ?? x.key })),
    };
  } finally {
    db.close();
  }
}

/** Shopify ids and the stored "why here" of a segment's customers in the latest completed run. */
function segmentMembers(file: string, key: string): { shopifyId: string; explanation: string }[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT c.shopifyId AS shopifyId, cs.explanation AS explanation FROM CustomerSegment cs JOIN Customer c ON c.id = cs.customerId
         WHERE cs.segmentKey = ? AND cs.runId = (SELECT MAX(id) FROM SegmentRun WHERE shopId = cs.shopId AND status = 'completed') ORDER BY c.id`,
      )
      .all(key) as { shopifyId: string; explanation: string }[];
  } finally {
    db.close();
  }
}

interface ExperimentRowInDb {
  id: number;
  name: string;
  slug: string;
  status: string;
  controlShare: number;
  design: { cupedMde: number; mde: number; cohort: number; nControl: number; nTreatment: number };
  treatment: number;
  control: number;
}

/** The shop's experiments with their arm sizes, newest last. */
function readExperiments(file: string): ExperimentRowInDb[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT e.id, e.name, e.slug, e.status, e.controlShare, e.design,
           (SELECT COUNT(*) FROM ExperimentAssignment a WHERE a.experimentId = e.id AND a.arm = 'treatment') AS treatment,
           (SELECT COUNT(*) FROM ExperimentAssignment a WHERE a.experimentId = e.id AND a.arm = 'control') AS control
         FROM Experiment e JOIN Shop s ON s.id = e.shopId WHERE s.domain = ? ORDER BY e.id`,
      )
      .all(SHOP) as (Omit<ExperimentRowInDb, "design"> & { design: string })[];
    return rows.map((r) => ({ ...r, design: JSON.parse(r.design) as ExperimentRowInDb["design"] }));
  } finally {
    db.close();
  }
}

interface AnomalyInDb {
  id: number;
  kind: string;
  subjectKey: string;
  status: string;
  score: number;
  reasons: string;
  reviewedAt: string | null;
}

/** The demo shop's anomalies of a kind, in the page's order (highest score first, then id). */
function readAnomalies(file: string, kind: string): AnomalyInDb[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT a.id, a.kind, a.subjectKey, a.status, a.score, a.reasons, a.reviewedAt FROM Anomaly a JOIN Shop s ON s.id = a.shopId
         WHERE s.domain = ? AND a.kind = ? ORDER BY a.score DESC, a.id ASC`,
      )
      .all(SHOP, kind) as AnomalyInDb[];
  } finally {
    db.close();
  }
}

interface RecommendationsInDb {
  basketCount: number;
  productCount: number;
  evaluated: boolean;
  rules: { antecedent: string; consequent: string; count: number; lift: number }[];
  titles: Map<string, { title: string; sellable: boolean }>;
  neighbours: Map<string, { id: string; score: number }[]>;
}

/** The demo shop's latest recommender: its rules, the catalogue's titles and whether a shopper may see each product, each product's stored neighbours. */
function readRecommendations(file: string): RecommendationsInDb | null {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const shop = db.prepare("SELECT id FROM Shop WHERE domain = ?").get(SHOP) as { id: number };
    const model = db.prepare("SELECT id, basketCount, productCount, metrics FROM RecommendationModel WHERE shopId = ? ORDER BY trainedAt DESC, id DESC LIMIT 1").get(shop.id) as
      | { id: number; basketCount: number; productCount: number; metrics: string }
      | undefined;
    if (!model) return null;
    const rules = db.prepare("SELECT antecedent, consequent, count, lift FROM ProductRule WHERE modelId = ?").all(model.id) as RecommendationsInDb["rules"];
    const products = db.prepare("SELECT shopifyId, title, status, available FROM Product WHERE shopId = ?").all(shop.id) as { shopifyId: string; title: string; status: string; available: number }[];
    const lists = db.prepare("SELECT productId, neighbours FROM ProductRecommendation WHERE modelId = ?").all(model.id) as { productId: string; neighbours: string }[];
    return {
      basketCount: model.basketCount,
      productCount: model.productCount,
      evaluated: Boolean((JSON.parse(model.metrics) as { evaluation?: unknown }).evaluation),
      rules,
      titles: new Map(products.map((p) => [p.shopifyId, { title: p.title, sellable: p.status === "ACTIVE" && p.available === 1 }])),
      neighbours: new Map(lists.map((l) => [l.productId, JSON.parse(l.neighbours) as { id: string; score: number }[]])),
    };
  } finally {
    db.close();
  }
}

/** Shopify ids of a segment's customers (latest completed run) held out by a running experiment: their plans carry its holdout tag too. */
function heldOutMembers(file: string, key: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (
      db
        .prepare(
          `SELECT c.shopifyId AS shopifyId FROM ExperimentAssignment a JOIN Experiment e ON e.id = a.experimentId JOIN Customer c ON c.id = a.customerId
           JOIN CustomerSegment cs ON cs.customerId = c.id AND cs.runId = (SELECT MAX(id) FROM SegmentRun WHERE shopId = c.shopId AND status = 'completed')
           WHERE a.arm = 'control' AND e.status = 'running' AND cs.segmentKey = ?`,
        )
        .all(key) as { shopifyId: string }[]
    ).map((r) => r.shopifyId);
  } finally {
    db.close();
  }
}

/** Of the latest run's segments, the one with the most customers who ordered in the 30 days before the store's day (2011-12-10). */
function recentBuyersSegment<T extends { key: string }>(file: string, segments: readonly T[]): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const counts = db
      .prepare(
        `SELECT cs.segmentKey AS key, COUNT(DISTINCT o.customerId) AS buyers FROM CustomerSegment cs JOIN "Order" o ON o.customerId = cs.customerId
         WHERE cs.runId = (SELECT MAX(id) FROM SegmentRun WHERE shopId = cs.shopId AND status = 'completed')
           AND o.processedAt >= '2011-11-10' AND o.processedAt < '2011-12-10' AND o.cancelledAt IS NULL
         GROUP BY cs.segmentKey ORDER BY buyers DESC`,
      )
      .all() as { key: string; buyers: number }[];
    const best = segments.find((x) => x.key === counts[0]?.key);
    expect(best, "a segment with recent buyers").toBeDefined();
    return best!;
  } finally {
    db.close();
  }
}

/** The simulator's customers with their tags (its control API: what Shopify holds). */
async function simCustomers(simUrl: string): Promise<{ id: string; customerId: string | null; tags: string[] }[]> {
  const res = await fetch(`${simUrl}/_sim/shops/${SHOP}/customers`);
  expect(res.status).toBe(200);
  return (await res.text())
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; customerId: string | null; tags: string[] });
}

const describeE2E = haveChromium ? describe : describe.skip;
if (!haveChromium && !inCI) {
  console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing (install Debian's chromium package: sudo apt-get install chromium; .ci/run does it in CI)`);
}

describe("browser tests need Chromium", () => {
  it.runIf(inCI)(`${CHROMIUM} is installed in CI`, () => {
    expect(haveChromium, `${CHROMIUM} is missing: .ci/run installs Debian's chromium package before the tests`).toBe(true);
  });
  it.runIf(!inCI && !haveChromium)(`skipped: ${CHROMIUM} is missing (sudo apt-get install chromium; CI installs it)`, () => {
    expect(haveChromium).toBe(false);
  });
});

describeE2E("the embedded admin in Chromium (offline demo, UCI Online Retail)", () => {
  let demo: Demo;
  let browser: Browser;
  let tmp: string;
  let dbFile: string;
  /** The first segment's URL key, read from the segments list. */
  let segmentKey: string | null = null;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fs.rmSync(SHOTS, { recursive: true, force: true }); // this run's screenshots only
    fs.mkdirSync(SHOTS, { recursive: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "segmint-e2e-"));
    dbFile = path.join(tmp, "demo.db");
    demo = await startAdminDemo(dbFile);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, DEMO_READY_MS + 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  /** A browser context at `width`; everything not on this machine (App Bridge's CDN) is refused at once. */
  async function contextAt(width: number): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    await context.route(
      (url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost",
      (route) => route.abort("internetdisconnected"),
    );
    return context;
  }

  /** Opens `urlPath`, expects a 200, and waits for Remix to hydrate (links and forms then run client-side). */
  async function open(context: BrowserContext, urlPath: string): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(`${urlPath}: ${e.message}`));
    const response = await page.goto(`${demo.appUrl}${urlPath}`, { waitUntil: "load", timeout: 60_000 });
    expect(response?.status(), `${urlPath} answered ${response?.status()}`).toBe(200);
    await page.waitForFunction(() => "__remixRouter" in window, null, { timeout: 30_000 });
    return page;
  }

  /** Visits a page at both widths: no uncaught script error, a heading, no page-wide horizontal scroll, axe, screenshots. */
  async function visit(urlPath: string, name: string, check?: (page: Page, width: number) => Promise<void>): Promise<void> {
    const violations: Violation[] = [];
    for (const width of WIDTHS) {
      const context = await contextAt(width);
      try {
        const before = pageErrors.length;
        const page = await open(context, urlPath);
        await expect.poll(() => page.locator("h1").count(), { message: `${name}: a page heading (h1)` }).toBeGreaterThan(0);
        if (check) await check(page, width);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${name} at ${width} px scrolls sideways by ${overflow} px (tables should scroll inside their card)`).toBeLessThanOrEqual(1);
        await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
        violations.push(...(await seriousViolations(page, name, width)));
        expect(pageErrors.slice(before), `${name}: uncaught errors in the page`).toEqual([]);
      } finally {
        await context.close();
      }
    }
    expect(violations.map((v) => `${v.page} @${v.width}px [${v.impact}] ${v.rule}: ${v.help}\n    at ${v.targets.join("\n    at ")}`).join("\n")).toBe("");
  }

  /** Every chart on the page is an <svg role="img"> with a non-empty accessible name. */
  async function expectNamedCharts(page: Page, atLeast: number): Promise<void> {
    const charts = await page.locator("figure[data-chart] svg").evaluateAll((svgs) =>
      svgs.map((svg) => ({
        role: svg.getAttribute("role"),
        name: (svg.getAttribute("aria-labelledby") ?? "")
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" ")
          .trim() || (svg.getAttribute("aria-label") ?? ""),
      })),
    );
    expect(charts.length, "charts on the page").toBeGreaterThanOrEqual(atLeast);
    for (const c of charts) {
      expect(c.role).toBe("img");
      expect(c.name.length, "a chart's accessible name").toBeGreaterThan(0);
    }
  }

  it("Overview (/app): store counts, sync status, one card per segment, what changed since last week", async () => {
    const { segments } = readDb(dbFile);
    await visit("/app", "overview", async (page) => {
      await expect.poll(() => page.getByTestId("stat-customers").textContent()).toContain("4,372");
      await page.getByTestId("overview-status").waitFor();
      const cards = page.getByTestId("overview-segment-cards").locator('[data-testid^="segment-card-size-"]');
      expect(await cards.count(), "one card per segment of the latest run").toBe(segments.length);
      for (const x of segments) expect(await page.getByTestId(`segment-card-size-${x.key}`).textContent()).toBe(x.size.toLocaleString("en-US"));
      // The demo's last-week run: the migration table and a change on the cards.
      await page.getByTestId("overview-migration-table").waitFor();
      expect(await page.locator('[data-testid^="segment-card-change-"]').count()).toBeGreaterThan(0);
    });
  }, STEP_MS);

  it("Segments (/app/segments): one row per segment with its size, linking to its page", async () => {
    const { segments } = readDb(dbFile);
    await visit("/app/segments", "segments", async (page) => {
      await page.getByTestId("segments-table").waitFor();
      const hrefs = await page.locator('[data-testid^="segment-link-"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
      expect(hrefs.length, "segments linked from the list").toBe(segments.length);
      for (const x of segments) {
        expect(hrefs).toContain(`/app/segments/${x.key}`);
        expect(await page.getByTestId(`segment-size-${x.key}`).textContent()).toBe(x.size.toLocaleString("en-US"));
      }
      segmentKey ??= [...segments].sort((a, b) => b.size - a.size)[0]!.key;
    });
  }, STEP_MS);

  it("Segment detail: definition, named R/F/M charts, a customers table with rows and a why-here per row", async () => {
    expect(segmentKey, "a segment key from the segments list").not.toBeNull();
    await visit(`/app/segments/${segmentKey}`, "segment-detail", async (page) => {
      await page.getByTestId("segment-definition").waitFor();
      await expectNamedCharts(page, 3);
      const rows = page.getByTestId("segment-customers").locator("tbody tr");
      expect(await rows.count()).toBeGreaterThan(0);
      expect(await page.getByTestId("segment-customer-why").count()).toBe(await page.getByTestId("segment-customer-id").count());
      expect(((await page.getByTestId("segment-customer-why").first().textContent()) ?? "").trim().length).toBeGreaterThan(10);
    });
  }, STEP_MS);

  it("Customers (/app/customers): the lookup form, and a customer's page", async () => {
    await visit("/app/customers", "customers", async (page) => {
      await page.getByLabel("Shopify customer id").waitFor();
    });
    const { segments } = readDb(dbFile);
    const member = segmentMembers(dbFile, segments[0]!.key)[0]!;
    await visit(`/app/customers?id=${encodeURIComponent(member.shopifyId.replace(/^gid:\/\/shopify\/Customer\//, ""))}`, "customer-detail", async (page) => {
      await page.getByTestId("customer-current-segment").waitFor();
    });
  }, STEP_MS);

  it("Model (/app/model): named charts", async () => {
    await visit("/app/model", "model", (page) => expectNamedCharts(page, 2));
  }, STEP_MS);

  it("Settings (/app/settings)", async () => {
    await visit("/app/settings", "settings");
  }, STEP_MS);

  it("Jobs (/app/jobs)", async () => {
    await visit("/app/jobs", "jobs");
  }, STEP_MS);

  /** The demo's experiment ("Autumn newsletter", backdated to 2011-09-01, 90 days: its horizon has passed). */
  const demoExperiment = () => {
    const e = readExperiments(dbFile).find((x) => x.name === "Autumn newsletter");
    expect(e, "the demo created its experiment").toBeDefined();
    return e!;
  };

  it("Experiments (/app/experiments): the demo experiment with its status and arm sizes", async () => {
    const e = demoExperiment();
    await visit("/app/experiments", "experiments", async (page) => {
      await page.getByTestId("experiments-table").waitFor();
      expect(await page.getByTestId(`experiment-link-${e.id}`).getByRole("link").getAttribute("href")).toBe(`/app/experiments/${e.id}`);
      expect(await page.getByTestId(`experiment-treatment-${e.id}`).textContent()).toBe(e.treatment.toLocaleString("en-US"));
      expect(await page.getByTestId(`experiment-control-${e.id}`).textContent()).toBe(e.control.toLocaleString("en-US"));
      // Past its horizon and never stopped: completed.
      expect(await page.getByTestId(`experiment-status-${e.id}`).textContent()).toContain("Completed");
    });
  }, STEP_MS);

  it("Experiment results: the verdict, the figures the demo printed, CUPED, the checks and a named chart per arm", async () => {
    const e = demoExperiment();
    // The demo prints the service's figures: the page must show the same p-value.
    const printed = /demo experiment ready: .*p = (\d\.\d{3})/.exec(demo.output());
    expect(printed, "the demo's experiment line with its p-value").not.toBeNull();
    await visit(`/app/experiments/${e.id}`, "experiment-results", async (page) => {
      await page.getByTestId("experiment-verdict").waitFor();
      expect(((await page.getByTestId("experiment-verdict").textContent()) ?? "").trim().length).toBeGreaterThan(20);
      expect(await page.getByTestId("experiment-lift-p").textContent()).toBe(Number(printed![1]) < 0.001 ? "p < 0.001" : `p = ${printed![1]}`);
      expect(await page.getByTestId("experiment-lift-interval").textContent()).toMatch(/ to /);
      expect(await page.getByTestId("experiment-validity").textContent()).toContain("Fixed-horizon result");
      expect(await page.getByTestId("experiment-variance-reduction").textContent()).toMatch(/removed \d+% of the noise/);
      expect(await page.getByTestId("experiment-unadjusted").textContent()).toMatch(/ to .*p/);
      await page.getByTestId("experiment-incremental-total").waitFor();
      expect(await page.getByTestId("experiment-srm").getAttribute("data-mismatch")).toBe("false");
      await page.getByTestId("experiment-results-balance").waitFor();
      expect(await page.getByTestId("experiment-holdout-tag").textContent()).toBe(`segmint:holdout-${e.slug}`);
      await expectNamedCharts(page, 1);
      const chart = page.getByTestId("chart-experiment-arms");
      expect(await chart.locator("svg title").textContent()).toBe("Cumulative result per customer, by group");
      expect(await chart.locator("path.segmint-chart-line").count(), "one line per arm").toBe(2);
      expect(await chart.locator("tbody tr").count(), "a table row per day of the 90").toBe(90);
    });
  }, STEP_MS);

  it("an unknown experiment id answers 404 with a message, a malformed one 400", async () => {
    const context = await contextAt(1280);
    try {
      const page = await context.newPage();
      const missing = await page.goto(`${demo.appUrl}/app/experiments/987654`, { waitUntil: "load" });
      expect(missing?.status()).toBe(404);
      expect(await page.getByTestId("page-error").textContent()).toContain("Experiment not found in this store");
      const bad = await page.goto(`${demo.appUrl}/app/experiments/not-a-number`, { waitUntil: "load" });
      expect(bad?.status()).toBe(400);
      expect(await page.getByTestId("page-error").textContent()).toContain("is not an experiment id");
    } finally {
      await context.close();
    }
  }, STEP_MS);

  /**
   * The known extremes of Online Retail, as Shopify orders of the simulator (5000000000000 + the
   * invoice): 581483 (80,995 × PAPER CRAFT , LITTLE BIRDIE, returned the same day; the product sold
   * only in that order, so its reasons are the refund and the cancelled extreme) and 541431
   * (74,215 × MEDIUM CERAMIC TOP STORAGE JAR, the customer's first order, returned).
   */
  const INVOICE_581483 = "5000000581483";
  const INVOICE_541431 = "5000000541431";

  it("Anomalies (/app/anomalies): order anomalies with their reasons; invoices 581483 and 541431 are among the flagged orders, the jar's reason naming the product", async () => {
    const orders = readAnomalies(dbFile, "order");
    const open = orders.filter((a) => a.status === "open");
    expect(open.length, "the demo's refresh flagged orders").toBeGreaterThan(0);
    expect(demo.output()).toMatch(new RegExp(`demo anomalies ready: ${orders.length.toLocaleString("en-US")} orders, `));
    const flagged = (orderId: string) => {
      const row = open.find((a) => a.subjectKey === orderId);
      expect(row, `order ${orderId} is flagged`).toBeDefined();
      // Its page among the open orders, 25 a page, highest score first.
      const pageNo = Math.floor(open.indexOf(row!) / 25) + 1;
      return { row: row!, url: pageNo > 1 ? `/app/anomalies?page=${pageNo}` : "/app/anomalies", rowsOnPage: Math.min(25, open.length - (pageNo - 1) * 25) };
    };
    /** The row's link to the order in Shopify admin and its reasons as the page lists them (the stored ones, in order). */
    const shownReasons = async (page: Page, anomaly: AnomalyInDb): Promise<string[]> => {
      const row = page.getByTestId(`anomaly-row-${anomaly.id}`);
      expect(await row.getByTestId(`anomaly-subject-${anomaly.id}`).getByRole("link").getAttribute("href")).toBe(`https://admin.shopify.com/store/segmint-demo/orders/${anomaly.subjectKey}`);
      const reasons = (await row.getByTestId(`anomaly-reasons-${anomaly.id}`).locator("li").allTextContents()).map((r) => r.trim());
      expect(reasons).toEqual((JSON.parse(anomaly.reasons) as { text: string }[]).map((r) => r.text));
      return reasons;
    };
    const birdie = flagged(INVOICE_581483);
    const jar = flagged(INVOICE_541431);
    await visit(birdie.url, "anomalies", async (page) => {
      await page.getByTestId("anomalies-list").waitFor();
      expect(await page.locator('[data-testid^="anomaly-row-"]').count()).toBe(birdie.rowsOnPage);
      expect((await shownReasons(page, birdie.row)).join(" | ")).toMatch(/refunded|cancelled/);
      expect(await page.getByTestId("anomalies-model").textContent()).toMatch(/^Fitted .* on [\d,]+ orders, as of /);
      if (jar.url !== birdie.url) await page.goto(`${demo.appUrl}${jar.url}`, { waitUntil: "load" });
      expect((await shownReasons(page, jar.row)).join(" | ")).toMatch(/74,215 × MEDIUM CERAMIC TOP STORAGE JAR is [\d,]+× (?:this product's median quantity|the most this product sold in any other line)/);
    });
  }, STEP_MS);

  it("Anomalies: the customers tab, and the store days with a named chart per metric and its data table", async () => {
    const customers = readAnomalies(dbFile, "customer").filter((a) => a.status === "open");
    await visit("/app/anomalies?kind=customer", "anomalies-customers", async (page) => {
      if (customers.length === 0) await page.getByTestId("anomalies-empty-list").waitFor();
      else expect(await page.locator('[data-testid^="anomaly-row-"]').count()).toBe(Math.min(25, customers.length));
    });
    const days = readAnomalies(dbFile, "day");
    await visit("/app/anomalies?kind=day&status=all", "anomalies-days", async (page) => {
      await expectNamedCharts(page, 2);
      for (const metric of ["orders", "revenue"]) {
        const chart = page.getByTestId(`anomalies-chart-${metric}`);
        expect(await chart.locator("tbody tr").count(), `${metric}: a table row per day`).toBeGreaterThanOrEqual(90);
        expect(await chart.locator("g.segmint-chart-flagged").count()).toBe(await chart.locator("tbody tr", { hasText: /Spike|Drop/ }).count());
      }
      expect(await page.locator('[data-testid^="anomaly-row-"]').count()).toBe(Math.min(25, days.length));
    });
  }, STEP_MS);

  it("Anomalies: Confirm moves a flag to Confirmed and the feedback figures count it; another store's or an unknown id answers 404", async () => {
    const before = readAnomalies(dbFile, "order");
    const target = before.find((a) => a.status === "open")!;
    const confirmedBefore = before.filter((a) => a.status === "confirmed").length;
    const dismissedBefore = before.filter((a) => a.status === "dismissed").length;
    const context = await contextAt(1280);
    try {
      const page = await open(context, "/app/anomalies");
      await page.getByTestId(`anomaly-row-${target.id}`).waitFor();
      await page.getByTestId(`anomaly-confirm-${target.id}`).getByRole("button", { name: /^Confirm: Order / }).click();
      await page.getByTestId("anomalies-action-result").waitFor();
      expect(await page.getByTestId("anomalies-action-result").textContent()).toMatch(/^Confirmed/);
      await expect.poll(() => page.getByTestId(`anomaly-row-${target.id}`).count(), { message: "the confirmed flag leaves the Open list" }).toBe(0);
      const stored = readAnomalies(dbFile, "order").find((a) => a.id === target.id)!;
      expect(stored.status).toBe("confirmed");
      expect(stored.reviewedAt).not.toBeNull();
      const confirmed = confirmedBefore + 1;
      const share = Math.round((100 * confirmed) / (confirmed + dismissedBefore));
      expect(await page.getByTestId("anomalies-feedback-order").textContent()).toBe(`Orders: ${confirmed} confirmed, ${dismissedBefore} dismissed — ${share}% of reviewed flags were real`);
      await page.getByTestId("anomalies-status-confirmed").getByRole("link").click();
      await page.waitForURL((u) => u.search.includes("status=confirmed"));
      await page.getByTestId(`anomaly-row-${target.id}`).waitFor();
      expect(await page.getByTestId(`anomaly-row-${target.id}`).getAttribute("data-status")).toBe("confirmed");
      const missing = await context.request.post(`${demo.appUrl}/app/anomalies`, { form: { intent: "review", id: "987654321", status: "confirmed" }, maxRedirects: 0 });
      expect(missing.status()).toBe(404);
    } finally {
      await context.close();
    }
  }, STEP_MS);

  it("Recommendations (/app/recommendations): the model and its evaluation, the rules sorted and searched, a product's preview with why", async () => {
    // The demo prints this line once the first refresh's training stored its model.
    await expect.poll(() => /demo recommendations ready: [\d,]+ products with recommendations, [\d,]+ rules/.test(demo.output()), { timeout: STEP_MS / 2, interval: 2000, message: "the demo's recommendations line" }).toBe(true);
    const recs = readRecommendations(dbFile);
    expect(recs, "the demo stored a recommender").not.toBeNull();
    const { rules, titles, neighbours } = recs!;
    expect(rules.length, "rules mined from Online Retail's baskets").toBeGreaterThan(25);
    const byCount = [...rules].sort((a, b) => b.count - a.count);
    const maxLift = Math.max(...rules.map((r) => r.lift));
    const shownCounts = (page: Page) => page.getByTestId("recommendations-rule-count").allTextContents();

    await visit("/app/recommendations", "recommendations", async (page, width) => {
      await page.getByTestId("recommendations-rules").waitFor();
      expect(await page.getByTestId("recommendations-model").textContent()).toMatch(new RegExp(`^Trained .* on ${recs!.basketCount.toLocaleString("en-US")} baskets and ${recs!.productCount.toLocaleString("en-US")} products`));
      if (recs!.evaluated) {
        await expectNamedCharts(page, 1);
        expect(await page.getByTestId("recommendations-evaluation-table").locator("tbody tr").count()).toBe(4);
      }
      // Most orders first, 25 a page.
      expect((await shownCounts(page)).map((c) => Number(c.replace(/,/g, "")))).toEqual(byCount.slice(0, 25).map((r) => r.count));
      expect(await page.getByTestId("recommendations-rules-count").textContent()).toContain(`of ${rules.length.toLocaleString("en-US")} rules`);
      if (width === 1280) {
        // Sorting by lift through the table's heading keeps the state in the URL.
        await page.locator("table thead").getByRole("button", { name: "Lift" }).click();
        await page.waitForURL((u) => u.searchParams.get("sort") === "lift");
        await expect.poll(async () => (await page.getByTestId("recommendations-rule-lift").first().textContent())?.trim()).toBe(`${maxLift.toFixed(2)}×`);
      }
    });

    // Search by a word of the most frequent rule's consequent: every listed rule names a product with that word.
    const top = byCount[0]!;
    const word = titles.get(top.consequent)!.title.split(/\s+/).sort((a, b) => b.length - a.length)[0]!.toLowerCase();
    const named = (r: { antecedent: string; consequent: string }) => [...r.antecedent.split(","), r.consequent].some((id) => titles.get(id)?.title.toLowerCase().includes(word));
    const matching = rules.filter(named).length;
    await visit(`/app/recommendations?q=${encodeURIComponent(word)}`, "recommendations-search", async (page) => {
      expect(await page.getByTestId("recommendations-rules-count").textContent()).toContain(`of ${matching.toLocaleString("en-US")} rules naming`);
      // The rules table's rows (the evaluation's figures table is on the page too).
      const rows = page.getByTestId("recommendations-rules").locator("tbody tr").filter({ has: page.getByTestId("recommendations-rule-count") });
      expect(await rows.count()).toBe(Math.min(25, matching));
      for (let i = 0; i < (await rows.count()); i++) {
        const titlesInRow = (await rows.nth(i).getByTestId("recommendations-rule-product").allTextContents()).map((t) => t.toLowerCase());
        expect(titlesInRow.some((t) => t.includes(word)), `row ${i} names "${word}"`).toBe(true);
      }
    });
    const context = await contextAt(1280);
    try {
      const page = await open(context, "/app/recommendations");
      await page.getByLabel("Product title or id").fill(word);
      await page.getByTestId("recommendations-rules-search").getByRole("button").click();
      await page.waitForURL((u) => u.searchParams.get("q") === word);
      // The URL can change a moment before the table re-renders with the search's rules.
      await expect.poll(async () => page.getByTestId("recommendations-rules-count").textContent()).toContain(`of ${matching.toLocaleString("en-US")} rules naming`);
      // A product's preview from the table: both blocks as a guest sees them, each product with why.
      const antecedent = top.antecedent.split(",")[0]!;
      await page.locator(`[data-testid="recommendations-rule-product"][data-product="${antecedent}"]`).first().click();
      await page.waitForURL((u) => u.searchParams.get("product") === antecedent);
      await page.getByTestId("recommendations-preview-product").waitFor();
      expect(await page.getByTestId("recommendations-preview-product").textContent()).toContain(titles.get(antecedent)!.title);
      const items = page.getByTestId("recommendations-preview-together").locator("li");
      const count = await items.count();
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThanOrEqual(4);
      const kinds = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-why")));
      for (const why of await items.getByTestId("recommendations-preview-why").allTextContents()) expect(why.trim().length).toBeGreaterThan(20);
      // Its first sellable neighbours that a single-product rule also links are explained by that rule.
      const sellable = (neighbours.get(antecedent) ?? []).filter((n) => n.score > 0 && titles.get(n.id)?.sellable).slice(0, 4).map((n) => n.id);
      const ruled = new Set(rules.filter((r) => r.antecedent === antecedent).map((r) => r.consequent));
      const shown = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-product")));
      shown.forEach((id, i) => {
        if (id && sellable.includes(id)) expect(kinds[i], `product ${id}`).toBe(ruled.has(id) ? "rule" : "model");
      });
    } finally {
      await context.close();
    }
    await visit(`/app/recommendations?product=${top.antecedent.split(",")[0]}`, "recommendations-preview", async (page) => {
      await page.getByTestId("recommendations-preview-product").waitFor();
    });
  }, STEP_MS * 2);

  it("settings: a bad tag prefix is refused next to the field, then a valid save is stored", async () => {
    const context = await contextAt(1280);
    try {
      const page = await open(context, "/app/settings");
      const prefix = page.getByLabel("Tag prefix");
      await prefix.fill("bad prefix!");
      await page.getByTestId("settings-save").getByRole("button").click();
      await page.getByTestId("settings-errors").waitFor({ timeout: 30_000 });
      // The message sits on the field itself (Polaris links it with aria-describedby).
      const described = await prefix.evaluate((el) =>
        (el.getAttribute("aria-describedby") ?? "")
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" "),
      );
      expect(described.trim().length, "the tag prefix field carries an error message").toBeGreaterThan(0);
      expect(await prefix.getAttribute("aria-invalid")).toBe("true");
      expect(readDb(dbFile).shop.tagPrefix, "nothing saved on a refusal").toBe("segmint");
      await page.screenshot({ path: path.join(SHOTS, "settings-validation-error-1280.png"), fullPage: true });

      await page.getByLabel("Tag prefix").fill("segmint");
      const hour = readDb(dbFile).shop.refreshHour === 5 ? "6" : "5";
      await page.getByLabel("Hour").selectOption(hour);
      await page.getByTestId("settings-save").getByRole("button").click();
      await page.getByTestId("settings-saved").waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("settings-errors").count()).toBe(0);
      expect(readDb(dbFile).shop).toMatchObject({ tagPrefix: "segmint", refreshHour: Number(hour) });
    } finally {
      await context.close();
    }
  }, STEP_MS);

  it("model: Run now starts a refresh that completes and joins the run history", async () => {
    const before = readDb(dbFile).runs;
    const context = await contextAt(1280);
    try {
      const page = await open(context, "/app/model");
      const rowsBefore = await page.locator('[data-testid^="model-run-row-"]').count();
      await page.getByTestId("model-run-now").getByRole("button", { name: "Run now" }).click();
      await page.getByTestId("model-run-now-result").waitFor({ timeout: 30_000 });
      const newRun = await expect
        .poll(() => readDb(dbFile).runs.find((r) => r.id > before.at(-1)!.id && r.status === "completed") ?? null, { timeout: STEP_MS - 60_000, interval: 1000 })
        .not.toBeNull()
        .then(() => readDb(dbFile).runs.at(-1)!);
      await page.reload({ waitUntil: "load" });
      const row = page.getByTestId(`model-run-row-${newRun.id}`);
      await row.waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid^="model-run-row-"]').count()).toBeGreaterThanOrEqual(Math.min(rowsBefore + 1, 10));
      await expect.poll(() => page.locator("tr", { has: row }).innerText()).toContain("Completed");
      await page.screenshot({ path: path.join(SHOTS, "model-after-run-now-1280.png"), fullPage: true });
    } finally {
      await context.close();
    }
  }, STEP_MS);

  /** A segment small enough to apply quickly: the smallest with at least 20 customers. */
  const smallSegment = () => {
    const segments = [...readDb(dbFile).segments].sort((a, b) => a.size - b.size);
    return segments.find((x) => x.size >= 20) ?? segments.at(-1)!;
  };

  it("write-back: preview a segment's tags (counts + sample), apply them, and Shopify holds exactly those tags", async () => {
    const segment = smallSegment();
    const members = new Set(segmentMembers(dbFile, segment.key).map((m) => m.shopifyId));
    const context = await contextAt(1280);
    try {
      const page = await open(context, `/app/segments/${segment.key}`);
      const card = page.getByTestId("segment-write-back");
      await card.waitFor();
      await card.getByRole("button", { name: /Preview/ }).click();
      // The shop's jobs run one at a time: the preview runs after the pass of the refresh that
      // "Run now" started in the step before (every customer's tags read back: ~1.5 min idle).
      await page.getByTestId("write-back-customers-changed").waitFor({ timeout: STEP_MS });
      const count = async (id: string) => Number(((await page.getByTestId(id).textContent()) ?? "").replace(/[^0-9]/g, ""));
      const changed = await count("write-back-customers-changed");
      const toAdd = await count("write-back-tags-to-add");
      const capped = await count("write-back-capped");
      expect(changed, "customers whose tags change").toBeGreaterThan(0);
      expect(changed + capped, "every customer of the segment is changed or capped (none carries the tag yet)").toBe(segment.size);
      // Each changed customer gets the segment's tag; those the demo experiment holds out also get its holdout tag.
      const heldOut = heldOutMembers(dbFile, segment.key);
      expect(toAdd - changed, "holdout tags planned for the segment's held-out customers").toBeGreaterThanOrEqual(capped === 0 ? heldOut.length : 0);
      expect(toAdd - changed).toBeLessThanOrEqual(heldOut.length);
      const sampleRows = page.getByTestId("write-back-sample").locator("tbody tr");
      expect(await sampleRows.count()).toBeGreaterThan(0);
      // Polaris' DataTable renders each row's first cell as a <th>: "Tags to add" is the second cell.
      const toAddCells = await sampleRows.evaluateAll((rows) => rows.map((r) => (r.querySelectorAll("th, td")[1]?.textContent ?? "").trim()));
      // A held-out customer's cell also lists the demo experiment's holdout tag: the segment's tag is the other one.
      const tag = toAddCells.flatMap((t) => t.split(/,\s*/)).find((t) => t.startsWith("segmint:") && !t.startsWith("segmint:holdout-")) ?? "";
      expect(tag, `the sample shows the tag to add (column "Tags to add": ${JSON.stringify(toAddCells)})`).toMatch(/^segmint:[a-z0-9-]+$/);
      expect(((await card.textContent()) ?? "").includes(tag), "the card names the segment's tag").toBe(true);
      await page.screenshot({ path: path.join(SHOTS, "write-back-preview-1280.png"), fullPage: true });
      const taggedBefore = (await simCustomers(demo.simUrl)).filter((c) => c.tags.includes(tag));
      expect(taggedBefore, "a dry-run demo has written no tag yet").toEqual([]);

      await card.getByRole("button", { name: "Apply to Shopify" }).click();
      await page.getByTestId("write-back-applied").waitFor({ timeout: STEP_MS / 2 });
      expect(await page.getByTestId("write-back-applied").textContent()).toContain(`${toAdd.toLocaleString("en-US")} tags added`);
      await page.screenshot({ path: path.join(SHOTS, "write-back-applied-1280.png"), fullPage: true });
      const violations = await seriousViolations(page, "segment-detail after apply", 1280);
      expect(violations.map((v) => `[${v.impact}] ${v.rule}: ${v.help} at ${v.targets.join(", ")}`)).toEqual([]);
      const tagged = (await simCustomers(demo.simUrl)).filter((c) => c.tags.includes(tag));
      expect(tagged.length, "customers carrying the tag in Shopify").toBe(changed);
      const outside = tagged.filter((c) => !members.has(c.id) && !members.has(c.id.replace(/^gid:\/\/shopify\/Customer\//, "")));
      expect(outside.map((c) => c.id), "only the segment's customers were tagged").toEqual([]);
      // The held-out customers of the segment now carry the demo experiment's holdout tag in Shopify.
      const holdoutTagged = (await simCustomers(demo.simUrl)).filter((c) => c.tags.includes(`segmint:holdout-${demoExperiment().slug}`));
      expect(holdoutTagged.length, "holdout tags written by the apply").toBe(toAdd - changed);
      expect(holdoutTagged.every((c) => heldOut.includes(c.id) || heldOut.includes(c.id.replace(/^gid:\/\/shopify\/Customer\//, ""))), "only held-out customers carry the holdout tag").toBe(true);
    } finally {
      await context.close();
    }
  }, 2 * STEP_MS);

  it("export: the segment's CSV downloads with a header and one row per customer", async () => {
    const segment = smallSegment();
    const context = await contextAt(1280);
    try {
      const page = await open(context, `/app/segments/${segment.key}`);
      const button = page.getByTestId("segment-export-csv").getByRole("button");
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), button.click()]);
      const file = path.join(tmp, "export.csv");
      await download.saveAs(file);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const lines = fs.readFileSync(file, "utf8").replace(/\r?\n$/, "").split(/\r?\n/);
      expect(lines[0]).toBe("shopify_customer_id,segment_id,segment_name,recency_days,frequency,monetary,r_score,f_score,m_score,rfm_group,explanation");
      // Quoted fields may hold commas but never line breaks here (explanations are one sentence).
      expect(lines.length - 1, "data rows = the segment's size").toBe(segment.size);
    } finally {
      await context.close();
    }
  }, STEP_MS);

  it("customer lookup: by Shopify id, the customer's segment and the why", async () => {
    const segment = smallSegment();
    const member = segmentMembers(dbFile, segment.key)[0]!;
    const id = member.shopifyId.replace(/^gid:\/\/shopify\/Customer\//, "");
    const context = await contextAt(1280);
    try {
      const page = await open(context, "/app/customers");
      await page.getByLabel("Shopify customer id").fill(id);
      await page.getByTestId("customer-search-submit").getByRole("button").click();
      await page.waitForURL((u) => u.searchParams.get("id") === id, { timeout: 30_000 });
      await page.getByTestId("customer-current-segment").waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("customer-id").textContent()).toContain(id);
      expect(((await page.getByTestId("customer-segment-link").textContent()) ?? "").trim()).toBe(segment.name);
      expect(((await page.getByTestId("customer-explanation").textContent()) ?? "").trim()).toBe(member.explanation.trim());
      await page.getByTestId("customer-segment-history").waitFor();
      await page.screenshot({ path: path.join(SHOTS, "customer-lookup-1280.png"), fullPage: true });
    } finally {
      await context.close();
    }
  }, STEP_MS);

  it("experiments: a refused value shows on its field, Check shows what it can detect before saving, Start lands on its page; stop (confirmed), archive", async () => {
    // The segment with the most customers who ordered in the 30 days before the store's day: a
    // target with a baseline to size the experiment with (a lapsed segment has none).
    const segment = recentBuyersSegment(dbFile, readDb(dbFile).segments);
    const before = readExperiments(dbFile).length;
    const context = await contextAt(1280);
    try {
      const page = await open(context, "/app/experiments");
      await page.getByRole("link", { name: "New experiment" }).click();
      await page.getByTestId("experiment-form").waitFor({ timeout: 30_000 });
      expect(new URL(page.url()).searchParams.has("new")).toBe(true);
      await page.getByLabel("Name", { exact: true }).fill("Winter win-back");
      await page.getByLabel("Target customers").selectOption(segment.key);
      const share = page.getByLabel("Held out", { exact: true });
      await share.fill("75");
      await page.getByLabel("Horizon", { exact: true }).fill("30");
      const check = page.getByTestId("experiment-check").getByRole("button");
      const start = page.getByTestId("experiment-start").getByRole("button");
      await check.click();
      // The refusal sits on the field itself (Polaris links it with aria-describedby).
      await expect.poll(() => share.getAttribute("aria-invalid"), { timeout: 30_000 }).toBe("true");
      const described = await share.evaluate((el) =>
        (el.getAttribute("aria-describedby") ?? "")
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" "),
      );
      expect(described).toMatch(/from 1 to 50/);
      expect(await start.getAttribute("aria-disabled"), "no Start before the figures were checked").toBe("true");
      await page.screenshot({ path: path.join(SHOTS, "experiment-form-error-1280.png"), fullPage: true });

      await share.fill("10");
      await check.click();
      await page.getByTestId("experiment-draft-design").waitFor({ timeout: 60_000 });
      expect(await share.getAttribute("aria-invalid")).not.toBe("true");
      const sentence = (await page.getByTestId("experiment-mde-sentence").textContent()) ?? "";
      expect(sentence).toContain(`With 10% of ${segment.size.toLocaleString("en-US")} customers held out for 30 days`);
      const shownMde = /you can detect a lift of £([\d,]+\.\d\d) per customer/.exec(sentence);
      expect(shownMde, `the MDE in money: ${sentence}`).not.toBeNull();
      expect(readExperiments(dbFile).length, "nothing is saved by a check").toBe(before);
      await page.screenshot({ path: path.join(SHOTS, "experiment-form-design-1280.png"), fullPage: true });
      const formViolations = await seriousViolations(page, "experiment form with its design", 1280);
      expect(formViolations.map((v) => `[${v.impact}] ${v.rule}: ${v.help} at ${v.targets.join(", ")}`)).toEqual([]);

      await start.click();
      await page.waitForURL((u) => /^\/app\/experiments\/\d+$/.test(u.pathname), { timeout: 60_000 });
      const created = readExperiments(dbFile).at(-1)!;
      expect(page.url()).toContain(`/app/experiments/${created.id}`);
      expect(created).toMatchObject({ name: "Winter win-back", status: "running", controlShare: 0.1 });
      expect(created.treatment + created.control, "every customer of the segment is in one arm").toBe(segment.size);
      expect(created.control).toBe(created.design.nControl);
      // One segment is one stratum: the exact stratified split holds out round(10 % × its size).
      expect(created.control).toBe(Math.round(0.1 * segment.size));
      // What was shown before saving is what was stored.
      expect(Math.abs(Number(shownMde![1]!.replace(/,/g, "")) - created.design.cupedMde)).toBeLessThan(0.006);
      await expect.poll(() => page.getByTestId("experiment-verdict").textContent(), { timeout: 30_000 }).toContain("No results yet");
      expect(await page.locator("h1").first().textContent()).toBe("Winter win-back");

      await page.getByTestId("experiment-stop").getByRole("link", { name: "Stop experiment" }).click();
      await page.getByTestId("experiment-stop-confirm").waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("experiment-stop-confirm").textContent()).toContain(`segmint:holdout-${created.slug}`);
      expect(readExperiments(dbFile).at(-1)!.status, "nothing stops before the confirmation").toBe("running");
      await page.screenshot({ path: path.join(SHOTS, "experiment-stop-confirm-1280.png"), fullPage: true });
      const confirmViolations = await seriousViolations(page, "experiment stop confirmation", 1280);
      expect(confirmViolations.map((v) => `[${v.impact}] ${v.rule}: ${v.help} at ${v.targets.join(", ")}`)).toEqual([]);
      await page.getByTestId("experiment-stop-submit").getByRole("button").click();
      await page.waitForURL((u) => u.searchParams.get("done") === "stopped", { timeout: 30_000 });
      await expect.poll(() => page.getByTestId("experiment-action-result").textContent(), { timeout: 30_000 }).toContain("Experiment stopped");
      expect(readExperiments(dbFile).at(-1)!.status).toBe("stopped");

      await page.getByTestId("experiment-archive").getByRole("button", { name: "Archive" }).click();
      await page.waitForURL((u) => u.searchParams.get("done") === "archived", { timeout: 30_000 });
      await expect.poll(() => page.getByTestId("experiment-action-result").textContent(), { timeout: 30_000 }).toContain("Experiment archived");
      expect(readExperiments(dbFile).at(-1)!.status).toBe("archived");

      await page.goto(`${demo.appUrl}/app/experiments`, { waitUntil: "load" });
      expect(await page.getByTestId(`experiment-link-${created.id}`).count(), "archived experiments leave the main list").toBe(0);
      await page.goto(`${demo.appUrl}/app/experiments?view=archived`, { waitUntil: "load" });
      await page.getByTestId(`experiment-link-${created.id}`).waitFor();
    } finally {
      await context.close();
    }
  }, STEP_MS);

  it("keyboard: every control of the new-experiment form is reached with Tab", async () => {
    const context = await contextAt(1280);
    try {
      const page = await open(context, "/app/experiments?new=1");
      await page.getByTestId("experiment-form").waitFor();
      const reached = new Set<string>();
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press("Tab");
        reached.add(
          await page.evaluate(() => {
            const el = document.activeElement as HTMLElement | null;
            if (!el?.closest("[data-testid=experiment-form]")) return "";
            return el.getAttribute("name") ?? (el.tagName === "BUTTON" ? `button:${(el.textContent ?? "").trim()}` : el.tagName);
          }),
        );
      }
      for (const control of ["name", "segmentKey", "controlShare", "metric", "horizonDays", "button:Check what it can detect"]) {
        expect([...reached], `Tab reaches ${control}`).toContain(control);
      }
    } finally {
      await context.close();
    }
  }, STEP_MS);

  it("keyboard: the navigation and a primary button are reached with Tab and show focus", async () => {
    const context = await contextAt(1280);
    try {
      const page = await open(context, "/app/settings");
      const reached: { text: string; nav: boolean; primary: boolean; outline: string; shadow: string }[] = [];
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press("Tab");
        reached.push(
          await page.evaluate(() => {
            const el = document.activeElement as HTMLElement | null;
            const style = el ? getComputedStyle(el) : null;
            const after = el ? getComputedStyle(el, "::after") : null;
            return {
              text: (el?.textContent ?? "").trim().slice(0, 40),
              nav: Boolean(el?.closest("nav")),
              primary: Boolean(el?.matches("button[class*='variantPrimary'], button[type=submit]")),
              outline: style && style.outlineStyle !== "none" && style.outlineWidth !== "0px" ? style.outlineStyle : "",
              shadow: [style?.boxShadow, after?.boxShadow].filter((s) => s && s !== "none").join(" "),
            };
          }),
        );
      }
      const nav = reached.filter((r) => r.nav);
      expect(nav.map((r) => r.text)).toEqual(expect.arrayContaining(["Overview", "Segments", "Customers", "Experiments", "Model", "Settings", "Jobs"]));
      for (const r of nav) expect(r.outline || r.shadow, `focus on the nav link "${r.text}" is visible`).not.toBe("");
      const primary = reached.find((r) => r.primary);
      expect(primary, "a primary/submit button reached with Tab").toBeDefined();
      expect(primary!.outline || primary!.shadow, `focus on "${primary!.text}" is visible`).not.toBe("");
    } finally {
      await context.close();
    }
  }, STEP_MS);

  it("no page threw an uncaught script error (App Bridge blocked)", () => {
    expect(pageErrors).toEqual([]);
  });
});
