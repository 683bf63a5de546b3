// The Recommendations page's URLs and number formats. The page's state lives in its URL: the rules'
// search (q), sort (sort, dir) and page, the previewed product (product) and the product picker's
// search (find); every link keeps the rest of the state.
import { DEFAULT_RULE_SORT, type RuleSort, type RuleSortDirection } from "../../domain/recommendation";

export const PAGE_URL = "/app/recommendations";

export interface PageState {
  readonly search?: string;
  readonly sort?: RuleSort;
  readonly direction?: RuleSortDirection;
  readonly page?: number;
  readonly product?: string | null;
  readonly find?: string;
}

/** The page's URL for a state (defaults left out); `anchor` scrolls to a section. */
export function recommendationsHref(state: PageState, anchor?: "preview" | "rules"): string {
  const p = new URLSearchParams();
  if (state.search) p.set("q", state.search);
  if (state.sort && state.sort !== DEFAULT_RULE_SORT) p.set("sort", state.sort);
  if (state.direction === "asc") p.set("dir", "asc");
  if (state.page && state.page > 1) p.set("page", String(state.page));
  if (state.product) p.set("product", state.product);
  if (state.find) p.set("find", state.find);
  const qs = p.toString();
  return `${PAGE_URL}${qs ? `?${qs}` : ""}${anchor ? `#${anchor}` : ""}`;
}

/** The product's page in Shopify admin (opens outside the embedded frame). */
export function productAdminUrl(shopDomain: string, productId: string): string {
  const handle = shopDomain.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${encodeURIComponent(handle)}/products/${encodeURIComponent(productId)}`;
}

/** Support in the table: small shares keep two significant figures ("0.12%"). */
export function formatSupport(share: number): string {
  const p = share * 100;
  return p >= 10 ? `${p.toFixed(1)}%` : `${Number(p.toPrecision(2)).toString()}%`;
}

/** Confidence in the table: "34.2%". */
export function formatConfidence(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Lift in the table: "5.20×". */
export function formatLift(lift: number): string {
  return `${lift.toFixed(2)}×`;
}

/** An evaluation figure (hit rate or MRR) as a share: "29.5%". */
export function formatRate(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
