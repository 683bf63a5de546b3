// The Anomalies page's components as server-rendered HTML with realistic views (invoice 581483 of
// Online Retail as an order anomaly, a whale, a broken-checkout day): the subject links to Shopify
// admin, the reasons in words, Confirm / Dismiss as real forms (Reopen once reviewed), the feedback
// figures, the model's sentence, and the store-days chart with its flagged days and data table.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { AnomaliesList, subjectLabel } from "../../app/components/anomalies/anomalies-list";
import { StoreDaysChart, storeDaysSummary } from "../../app/components/anomalies/store-days-chart";
import { AnomaliesSummary, modelSentence } from "../../app/components/anomalies/summary";
import { anomaliesHref, feedbackSentence } from "../../app/components/anomalies/view";
import { orderAdminUrl } from "../../app/components/format";
import type { AnomalyRowView, KindCounts, StoreDaySeries } from "../../app/domain/anomaly";

const html = (node: ReactNode) => renderToStaticMarkup(<AppProvider i18n={en}>{node}</AppProvider>);
/** Components with forms need a data router around them, as the Remix app's server render has. */
async function routed(node: ReactNode): Promise<string> {
  const { query, dataRoutes } = createStaticHandler([{ path: "/app/anomalies", element: node }]);
  const context = await query(new Request("http://localhost/app/anomalies"));
  if (context instanceof Response) throw new Error("the static handler answered a Response");
  return html(<StaticRouterProvider router={createStaticRouter(dataRoutes, context)} context={context} hydrate={false} />);
}
const text = (out: string) => out.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ");

const SHOP = "segmint-demo.myshopify.com";
const order: AnomalyRowView = {
  id: 41,
  kind: "order",
  category: "review",
  status: "open",
  score: 0.8123,
  orderId: "5000000581483",
  customerId: "16446",
  day: null,
  metric: null,
  at: "2011-12-09T09:15:00.000Z",
  value: 168_469_600,
  expected: null,
  reasons: ["80,995 × PAPER CRAFT , LITTLE BIRDIE is 6,749× this product's median quantity of 12", "cancelled after it was placed: £168,469.60, 9,000× the store's median order"],
  source: "refresh",
  reviewedAt: null,
  detectedAt: "2011-12-10T02:00:00.000Z",
};
const whale: AnomalyRowView = { ...order, id: 42, kind: "customer", category: "whale", status: "confirmed", orderId: null, at: null, value: 280_206_020, reasons: ["spent £280,206.02 over 73 orders"], reviewedAt: "2011-12-10T09:00:00.000Z" };
const day: AnomalyRowView = { ...order, id: 43, kind: "day", category: "drop", score: 4.25, orderId: null, customerId: null, at: null, day: "2011-12-05", metric: "orders", value: 0, expected: { low: 18, high: 42, median: 30 }, reasons: [] };

describe("view helpers", () => {
  it("URLs leave the defaults out; the order's page in Shopify admin", () => {
    expect(anomaliesHref({})).toBe("/app/anomalies");
    expect(anomaliesHref({ kind: "order", status: "open", page: 1 })).toBe("/app/anomalies");
    expect(anomaliesHref({ kind: "day", status: "all", page: 3 })).toBe("/app/anomalies?kind=day&status=all&page=3");
    expect(orderAdminUrl(SHOP, "5000000581483")).toBe("https://admin.shopify.com/store/segmint-demo/orders/5000000581483");
  });

  it("feedback: confirmed against dismissed, the share of reviewed flags that were real; nothing before a review", () => {
    const counts = (confirmed: number, dismissed: number): KindCounts => ({ open: 5, confirmed, dismissed, all: 5 + confirmed + dismissed });
    expect(feedbackSentence(counts(12, 3))).toBe("12 confirmed, 3 dismissed — 80% of reviewed flags were real");
    expect(feedbackSentence(counts(1, 2))).toBe("1 confirmed, 2 dismissed — 33% of reviewed flags were real");
    expect(feedbackSentence(counts(0, 0))).toBeNull();
  });
});

describe("AnomaliesList", () => {
  let out = "";
  beforeAll(async () => {
    out = await routed(<AnomaliesList rows={[order, whale, day]} label="Orders: open" currency="GBP" timeZone="UTC" shopDomain={SHOP} />);
  });

  it("an order: its link to the order and the customer in Shopify admin, when, the value, the score, the badge and the reasons", () => {
    expect(out).toContain('href="https://admin.shopify.com/store/segmint-demo/orders/5000000581483"');
    expect(out).toContain('href="https://admin.shopify.com/store/segmint-demo/customers/16446"');
    const row = text(out.slice(out.indexOf('data-testid="anomaly-row-41"'), out.indexOf('data-testid="anomaly-row-42"')));
    expect(row).toContain("Order 5000000581483");
    expect(row).toContain("Placed 9 Dec 2011, 09:15 UTC · £168,469.60 · customer 16446 · score 0.81");
    expect(row).toContain("Review");
    expect(row).toContain("80,995 × PAPER CRAFT , LITTLE BIRDIE is 6,749× this product's median quantity of 12");
    expect(row).toContain("cancelled after it was placed");
  });

  it("Confirm and Dismiss post the row's id and status (named for screen readers); a reviewed row offers Reopen", () => {
    const forms = [...out.matchAll(/<form[^>]*method="post"[^>]*>(.*?)<\/form>/g)].map((m) => m[1]!);
    const fields = forms.map((f) => Object.fromEntries([...f.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]])));
    expect(fields).toEqual([
      { intent: "review", id: "41", status: "confirmed" },
      { intent: "review", id: "41", status: "dismissed" },
      { intent: "review", id: "42", status: "open" },
      { intent: "review", id: "43", status: "confirmed" },
      { intent: "review", id: "43", status: "dismissed" },
    ]);
    expect(out).toContain('aria-label="Confirm: Order 5000000581483"');
    expect(out).toContain('aria-label="Reopen: Customer 16446"');
    expect(text(out.slice(out.indexOf('data-testid="anomaly-row-42"')))).toContain("Confirmed");
  });

  it("a customer shows what they spent; a day its value against the expected range, and says so when no single figure stands out", () => {
    expect(text(out.slice(out.indexOf('data-testid="anomaly-row-42"'), out.indexOf('data-testid="anomaly-row-43"')))).toContain("Spent £280,206.02");
    const dayRow = text(out.slice(out.indexOf('data-testid="anomaly-row-43"')));
    expect(dayRow).toContain("5 Dec 2011, orders");
    expect(dayRow).toContain("0; expected 18 to 42 · score z = 4.3");
    expect(dayRow).toContain("No single figure stands out");
    expect(subjectLabel({ ...day, metric: "revenue" })).toBe("5 Dec 2011, revenue");
  });
});

describe("AnomaliesSummary", () => {
  const counts = { order: { open: 30, confirmed: 4, dismissed: 1, all: 35 }, customer: { open: 2, confirmed: 0, dismissed: 0, all: 2 }, day: { open: 3, confirmed: 0, dismissed: 1, all: 4 } };
  const model = { fittedAt: "2011-12-10T02:00:00.000Z", asOf: "2011-12-09", orderCount: 18_532 };

  it("when and on how many orders the model was fitted, and the feedback per kind", () => {
    const out = text(html(<AnomaliesSummary view={{ model, counts, timeZone: "Europe/London" }} />));
    expect(out).toContain(modelSentence(model, "Europe/London"));
    expect(modelSentence(model, "Europe/London")).toMatch(/^Fitted 10 Dec 2011, 02:00 GMT on 18,532 orders, as of 9 Dec 2011\./);
    expect(out).toContain("Orders: 4 confirmed, 1 dismissed — 80% of reviewed flags were real");
    expect(out).toContain("Customers: none reviewed yet");
    expect(out).toContain("Store days: 0 confirmed, 1 dismissed — 0% of reviewed flags were real");
  });

  it("before the first fit it says when the model comes", () => {
    expect(text(html(<AnomaliesSummary view={{ model: null, counts, timeZone: "UTC" }} />))).toContain("Not fitted yet: Segmint fits it at the next refresh");
  });
});

describe("StoreDaysChart", () => {
  const points = Array.from({ length: 28 }, (_, i) => ({ day: new Date(Date.UTC(2011, 10, 12 + i)).toISOString().slice(0, 10), value: i === 23 ? 0 : i === 10 ? 95 : 30 + (i % 7) }));
  const series: StoreDaySeries = {
    metric: "orders",
    points,
    flagged: [
      { day: "2011-12-05", value: 0, low: 18, high: 42, median: 30, direction: "drop" },
      { day: "2011-11-22", value: 95, low: 20, high: 44, median: 32, direction: "spike" },
    ],
  };

  it("a named chart: the daily line, a dot and an expected-range bar per flagged day, and a data table of every day", () => {
    const out = html(<StoreDaysChart series={series} currency="GBP" testId="chart-orders" />);
    expect(out).toContain('data-testid="chart-orders"');
    expect(out).toMatch(/<svg[^>]*role="img"/);
    expect(out).toContain("<title");
    expect(out.match(/class="segmint-chart-flagged"/g)).toHaveLength(2);
    expect(out.match(/segmint-chart-range/g)).toHaveLength(2);
    expect(out).toContain('data-day="2011-12-05" data-direction="drop"');
    const rows = [...out.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => text(m[1]!).trim());
    expect(rows).toHaveLength(1 + points.length);
    expect(rows).toContain("5 Dec 2011 0 Drop 18 to 42");
    expect(rows).toContain("22 Nov 2011 95 Spike 20 to 44");
    expect(rows).toContain("12 Nov 2011 30");
  });

  it("the summary says the window and what was flagged; revenue is money", () => {
    expect(storeDaysSummary(series)).toBe(
      "Orders per day from 12 Nov 2011 to 9 Dec 2011: 1 spike and 1 drop outside the range the same weekday usually has (red dots; the grey bar is the expected range).",
    );
    expect(storeDaysSummary({ ...series, flagged: [] })).toBe("Orders per day from 12 Nov 2011 to 9 Dec 2011; no day fell outside its expected range.");
    const revenue = html(<StoreDaysChart series={{ metric: "revenue", points: [{ day: "2011-12-05", value: 1_234_500 }], flagged: [] }} currency="GBP" />);
    expect(text(revenue)).toContain("£1,234.50");
  });
});
