// The Overview's tables as server-rendered HTML: the migration says when it is not available yet,
// and otherwise renders every count in a labelled, keyboard-focusable table with the totals row;
// the Shopify-RFM card shows the agreement in percent.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MigrationTable } from "../../app/components/overview/migration-table";
import { RfmAgreementCard } from "../../app/components/overview/rfm-agreement";

const html = (node: ReactNode) => renderToStaticMarkup(<AppProvider i18n={en}>{node}</AppProvider>);

describe("MigrationTable", () => {
  it("says the table comes with the next refresh when the run has no migration", () => {
    const out = html(<MigrationTable migration={null} />);
    expect(out).toContain('data-testid="overview-migration-empty"');
    expect(out).toContain("Available after the next refresh");
    expect(out).not.toContain("<table");
  });

  it("renders rows, columns, counts and totals, with the stayers in bold", () => {
    const out = html(
      <MigrationTable
        migration={{
          rows: [
            { id: "a", name: "Loyal" },
            { id: null, name: "New to this run" },
          ],
          columns: [
            { id: "a", name: "Loyal" },
            { id: "b", name: "Lapsed" },
          ],
          counts: [
            [1200, 34],
            [0, 5],
          ],
          rowTotals: [1234, 5],
          columnTotals: [1200, 39],
          stayed: 1200,
          inBoth: 1234,
          newcomers: 5,
          gone: 2,
        }}
      />,
    );
    expect(out).toMatch(/<div role="region" aria-label="[^"]+" tabindex="0"[^>]*data-testid="overview-migration-table"/);
    expect(out).toContain("1,200 of 1,234 customers in both runs kept their segment (97.2%)");
    expect(out).toMatch(/font-weight:700[^>]*>1,200</);
    for (const cell of [">34<", ">1,234<", ">1,239<", ">39<", ">Lapsed<", ">New to this run<"]) expect(out).toContain(cell);
  });
});

describe("RfmAgreementCard", () => {
  it("shows the share agreeing and the cross table", () => {
    const out = html(
      <RfmAgreementCard
        agreement={{ customers: 10, withShopifyGroup: 8, sameGroup: 6, agreement: 0.75, groups: [{ id: "LOYAL", label: "Loyal" }], segments: [{ id: "a", name: "Loyal" }], counts: [[6]], emptyGroups: 11 }}
      />,
    );
    expect(out).toContain('data-testid="overview-rfm-agreement-percent">75.0%<');
    expect(out).toContain("Of the 8 customers Shopify puts in an RFM group");
    expect(out).toContain('data-testid="overview-rfm-agreement-table"');
  });

  it("says when Shopify's groups were not compared yet", () => {
    expect(html(<RfmAgreementCard agreement={null} />)).toContain("Not compared for this run yet");
  });
});
