import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PageLinks } from "../../app/components/page-links";

const render = (page: number, hasNext: boolean) =>
  renderToStaticMarkup(
    <AppProvider i18n={en}>
      <PageLinks page={page} hasNext={hasNext} hrefFor={(p) => `/app/jobs?page=${p}`} label={`Page ${page}`} accessibilityLabels={{ previous: "Newer jobs", next: "Older jobs" }} />
    </AppProvider>,
  );

const links = (html: string) => [...html.matchAll(/<a\b[^>]*>/g)].map((m) => m[0]);

describe("page links", () => {
  it("links only a side with a page to go to; the other is a disabled button, never a link without href", () => {
    const first = render(1, true);
    expect(links(first)).toHaveLength(1);
    expect(links(first)[0]).toContain('href="/app/jobs?page=2"');
    expect(first).toMatch(/<button[^>]*disabled[^>]*aria-label="Newer jobs"|<button[^>]*aria-label="Newer jobs"[^>]*disabled/);

    const last = render(3, false);
    expect(links(last)).toHaveLength(1);
    expect(links(last)[0]).toContain('href="/app/jobs?page=2"');
    expect(last).toMatch(/<button[^>]*disabled[^>]*aria-label="Older jobs"|<button[^>]*aria-label="Older jobs"[^>]*disabled/);

    const middle = render(2, true);
    expect(links(middle).map((a) => /href="([^"]+)"/.exec(a)?.[1])).toEqual(["/app/jobs?page=1", "/app/jobs?page=3"]);
    expect(links(middle).every((a) => a.includes("href="))).toBe(true);
  });
});
