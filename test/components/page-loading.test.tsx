import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PageLoading, pageTitleOf } from "../../app/components/page-loading";

describe("page loading skeleton", () => {
  it("names the page a path belongs to, the longest match winning", () => {
    expect(pageTitleOf("/app")).toBe("Overview");
    expect(pageTitleOf("/app/segments")).toBe("Segments");
    expect(pageTitleOf("/app/segments/seg-3")).toBe("Segments");
    expect(pageTitleOf("/app/jobs")).toBe("Jobs");
    expect(pageTitleOf("/app/settingsx")).toBe("Overview");
    expect(pageTitleOf("/elsewhere")).toBe("Segmint");
  });

  it("renders a busy skeleton titled with the destination", () => {
    const html = renderToStaticMarkup(
      <AppProvider i18n={en}>
        <PageLoading pathname="/app/model" />
      </AppProvider>,
    );
    expect(html).toContain('aria-busy="true"');
    expect(html).toContain(">Model<");
    expect(html).not.toContain(">Overview<");
  });
});
