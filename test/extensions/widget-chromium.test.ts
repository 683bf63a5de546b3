// The widget's script and styles in Chromium against the demo storefront (simulator/storefront.ts)
// with a stand-in app (storefront-fixture.ts), so every answer the proxy can give is tried in
// seconds: cards with links and prices, an empty list and an error (block hidden), fewer products
// than skeletons, images and placeholders, the carousel, no layout shift, the fetch after first
// paint, axe and the keyboard. The demo's real data: test/e2e/storefront.test.ts.
//
// Needs /usr/bin/chromium (Debian's `chromium` package; .ci/run installs it). Without it the file is
// skipped locally and fails in CI (CI set).
import fs from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults } from "axe-core";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CUSTOMER_ID, proxyProducts, startStoreWithApp, type StoreWithApp } from "./storefront-fixture";

const CHROMIUM = "/usr/bin/chromium";
const inCI = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";
const haveChromium = fs.existsSync(CHROMIUM);
const require = createRequire(import.meta.url);

describe("widget browser tests need Chromium", () => {
  it.runIf(inCI)(`${CHROMIUM} is installed in CI`, () => {
    expect(haveChromium, `${CHROMIUM} is missing: .ci/run installs Debian's chromium package before the tests`).toBe(true);
  });
});

/** Layout shifts the page records from its start (injected before any page script). */
const RECORD_SHIFTS = () => {
  const w = window as unknown as { __shifts: number[] };
  w.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!e.hadRecentInput) w.__shifts.push(e.value);
  }).observe({ type: "layout-shift", buffered: true });
};

(haveChromium ? describe : describe.skip)("the recommendation blocks in Chromium", () => {
  let s: StoreWithApp;
  let browser: Browser;

  beforeAll(async () => {
    s = await startStoreWithApp(12);
    const [p1, p2, p3, p4, p5, p6, p7] = s.products;
    s.app.answers.set(String(p1!.id), { status: 200, products: proxyProducts([p2!, p3!, p4!, p5!]) });
    s.app.answers.set(String(p2!.id), { status: 200, products: [] });
    s.app.answers.set(String(p3!.id), { status: 500, products: [] });
    s.app.answers.set(String(p4!.id), { status: 200, products: proxyProducts([p5!]) });
    s.app.answers.set(String(p5!.id), { status: 200, products: proxyProducts([p6!, p7!], { image: true }) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function open(path: string, width = 1280, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.addInitScript(RECORD_SHIFTS);
    await page.goto(`${s.storefront.url}${path}`, { waitUntil: "load" });
    return page;
  }

  /** Scrolls each block into view (they load when near the viewport), then waits until every block has either cards or been hidden. */
  async function settled(page: Page): Promise<void> {
    for (const b of await page.locator("[data-segmint-recs]").all()) await b.evaluate((el) => el.scrollIntoView({ block: "center" }));
    await page.waitForFunction(() => [...document.querySelectorAll("[data-segmint-recs]")].every((b) => (b as HTMLElement).hidden || !b.querySelector(".segmint-recs__item--skeleton")), null, { timeout: 10_000 });
    await page.waitForTimeout(300); // a late shift would be recorded by now
  }

  const block = (page: Page, kind: string) => page.locator(`[data-segmint-recs][data-block="${kind}"]`);

  it("renders the cards in the skeletons' place: a list of links to the products' pages with their titles and prices, each list exactly as tall as its skeletons, no layout shift", async () => {
    const [p1, p2, p3, p4] = s.products;
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      try {
        const page = await context.newPage();
        await page.addInitScript(RECORD_SHIFTS);
        // The proxy's answers wait until the skeletons are measured.
        let release = () => {};
        const gate = new Promise<void>((resolve) => (release = resolve));
        await page.route("**/apps/segmint/**", async (route) => {
          await gate;
          await route.continue();
        });
        await page.goto(`${s.storefront.url}/products/${p1!.handle}`, { waitUntil: "load" });
        const heights = () => page.locator("[data-segmint-recs] ul").evaluateAll((uls) => uls.map((ul) => ul.getBoundingClientRect().height));
        const skeletons = await heights();
        expect(await page.locator(".segmint-recs__item--skeleton").count()).toBe(7);
        release();
        await settled(page);
        const together = block(page, "together");
        expect(await together.isVisible()).toBe(true);
        const links = together.locator("ul.segmint-recs__list > li > a");
        expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([p2, p3, p4].map((p) => `/products/${p!.handle}`));
        expect(await links.allTextContents()).toEqual([p2, p3, p4].map((p) => p!.title));
        expect(await together.locator(".segmint-recs__price").allTextContents()).toEqual(["£1.00", "£2.00", "£3.00"]);
        expect(await together.locator("ul").getAttribute("aria-busy")).toBeNull();
        // Recommended for you on the same page: the 4 products of the answer.
        expect(await block(page, "for-you").locator("li > a").count()).toBe(4);
        const cards = await heights();
        cards.forEach((h, i) => expect(h, `list ${i} at ${width} px: cards vs skeletons`).toBeCloseTo(skeletons[i]!, 1));
        expect(await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts), `layout shifts at ${width} px`).toEqual([]);
      } finally {
        await context.close();
      }
    }
  }, 60_000);

  it("asks the proxy for the block's own list after the first paint: block, context, product, limit", async () => {
    const p1 = s.products[0]!;
    const before = s.app.requests.length;
    const page = await open(`/products/${p1.handle}?products=5`);
    try {
      await settled(page);
      const timing = await page.evaluate(() => {
        const paint = performance.getEntriesByName("first-paint")[0]?.startTime ?? Infinity;
        const fetches = performance.getEntriesByType("resource").filter((e) => e.name.includes("/apps/segmint/recommendations"));
        return { paint, starts: fetches.map((e) => e.startTime) };
      });
      expect(timing.starts).toHaveLength(2);
      for (const start of timing.starts) expect(start).toBeGreaterThanOrEqual(timing.paint);
      const asked = s.app.requests.slice(before).map((u) => Object.fromEntries(["block", "context", "product_id", "limit", "cart"].map((k) => [k, u.searchParams.get(k)])));
      expect(asked).toEqual(
        expect.arrayContaining([
          { block: "together", context: "product", product_id: String(p1.id), limit: "5", cart: null },
          { block: "for-you", context: "product", product_id: String(p1.id), limit: "5", cart: null },
        ]),
      );
    } finally {
      await page.context().close();
    }
  }, 30_000);

  it("an empty list hides the block; so does an error; the page around it stays", async () => {
    for (const p of [s.products[1]!, s.products[2]!]) {
      const page = await open(`/products/${p.handle}`);
      try {
        await settled(page);
        expect(await block(page, "together").isHidden(), p.handle).toBe(true);
        expect(await page.locator("#shopify-block-segmint-frequently-bought-together").isHidden(), "the theme's app-block wrapper too").toBe(true);
        expect(await page.locator("h1").textContent()).toBe(p.title);
      } finally {
        await page.context().close();
      }
    }
  }, 30_000);

  it("fewer products than skeletons: the remaining slots stay as invisible fillers, so the list keeps its height", async () => {
    const page = await open(`/products/${s.products[3]!.handle}`, 375);
    try {
      const list = block(page, "together").locator("ul");
      const before = (await list.boundingBox())!.height;
      await settled(page);
      expect(await list.locator("li > a").count()).toBe(1);
      expect(await list.locator("li.segmint-recs__item--filler").count()).toBe(2);
      expect((await list.boundingBox())!.height).toBeCloseTo(before, 0);
      expect(await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts)).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 30_000);

  it("an image gets its alt text and the card's square; no image gets a placeholder of the same size", async () => {
    const page = await open(`/products/${s.products[4]!.handle}`);
    try {
      await settled(page);
      const img = block(page, "together").locator("img.segmint-recs__media").first();
      expect(await img.getAttribute("alt")).toBe(`Photo of ${s.products[5]!.title}`);
      const imgBox = (await img.boundingBox())!;
      expect(imgBox.width).toBeCloseTo(imgBox.height, 0);
      const other = await open(`/products/${s.products[0]!.handle}`);
      try {
        await settled(other);
        const placeholder = (await block(other, "together").locator("span.segmint-recs__media").first().boundingBox())!;
        expect(placeholder.width).toBeCloseTo(imgBox.width, 0);
        expect(placeholder.height).toBeCloseTo(imgBox.height, 0);
      } finally {
        await other.context().close();
      }
    } finally {
      await page.context().close();
    }
  }, 30_000);

  it("loads a block only near the viewport; the carousel layout: one row that scrolls sideways inside the block, not the page; show_price=false shows no prices", async () => {
    const before = s.app.requests.length;
    const page = await open(`/products/${s.products[0]!.handle}?layout=carousel&show_price=false`, 375, 500);
    try {
      // Far below the fold (more than 400 px below a 375 × 500 viewport), Recommended for you waits until the shopper scrolls near it.
      await page.waitForTimeout(500);
      expect(await block(page, "for-you").evaluate((el) => el.getBoundingClientRect().top)).toBeGreaterThan(900);
      expect(s.app.requests.slice(before).map((u) => u.searchParams.get("block"))).toEqual(["together"]);
      expect(await block(page, "for-you").locator(".segmint-recs__item--skeleton").count()).toBe(4);
      await settled(page);
      const tops = await block(page, "for-you").locator("li").evaluateAll((lis) => lis.map((li) => Math.round(li.getBoundingClientRect().top)));
      expect(new Set(tops).size).toBe(1);
      const scroll = await block(page, "for-you").locator("ul").evaluate((ul) => ({ inner: ul.scrollWidth > ul.clientWidth, page: document.documentElement.scrollWidth - document.documentElement.clientWidth }));
      expect(scroll).toEqual({ inner: true, page: 0 });
      expect(await page.locator(".segmint-recs__price").count()).toBe(0);
    } finally {
      await page.context().close();
    }
  }, 30_000);

  it("the cart page's block asks with the cart's products; a logged-in demo customer reaches the app as logged_in_customer_id", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${s.storefront.url}/products/${s.products[6]!.handle}?customer=${CUSTOMER_ID}`);
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.waitForURL(/\/cart$/);
      const before = s.app.requests.length;
      await page.reload();
      await settled(page);
      const asked = s.app.requests.slice(before).find((u) => u.searchParams.get("context") === "cart");
      expect(asked?.searchParams.get("cart")).toBe(String(s.products[6]!.id));
      expect(asked?.searchParams.get("block")).toBe("for-you");
      expect(asked?.searchParams.get("logged_in_customer_id")).toBe(String(CUSTOMER_ID));
    } finally {
      await context.close();
    }
  }, 30_000);

  it("accessible: no serious or critical axe violation on the blocks, the links reached by Tab with a visible focus", async () => {
    const page = await open(`/products/${s.products[0]!.handle}`);
    try {
      await settled(page);
      await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
      const results = await page.evaluate(() => (window as unknown as { axe: { run(context: unknown): Promise<AxeResults> } }).axe.run({ include: [["[data-segmint-recs]"]] }));
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
      expect(serious).toEqual([]);
      const reached: { href: string | null; outline: string }[] = [];
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return el?.closest("[data-segmint-recs]") ? { href: el.getAttribute("href"), outline: getComputedStyle(el).outlineStyle } : null;
        });
        if (focused) reached.push(focused);
      }
      expect(reached.map((r) => r.href)).toEqual(expect.arrayContaining([`/products/${s.products[1]!.handle}`, `/products/${s.products[3]!.handle}`]));
      for (const r of reached) expect(r.outline, `focus on ${r.href} is visible`).not.toBe("none");
    } finally {
      await page.context().close();
    }
  }, 30_000);
});
